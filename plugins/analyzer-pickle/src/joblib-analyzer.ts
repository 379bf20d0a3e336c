import type { Analyzer, AnalyzerContext } from "@modelward/core";
import { bytesSource, decodeBounded, decodedSource } from "@modelward/plugin-kit";
import { UnsupportedCompressionError, joblibCompression, joblibDecoder } from "./decompress.js";
import { PICKLE_OPTIONS_SCHEMA, type PickleAnalyzerOptions } from "./options.js";
import { analyzePickleBytes } from "./pickle-analyzer.js";
import { ALL_RULES, RULES } from "./rules.js";
import { JOBLIB_EXT } from "./joblib-ext.js";
import { zlibHeadIsPickle } from "./zlib-pickle-head.js";

// Containers a generic archive analyzer also claims; joblib takes them only when the name says the file
// is a dump (`model.joblib`, `model.pkl`, `model.pkl.gz`), never a bare `.gz`/`.tar.gz`, whose content
// the archive analyzer unwraps and dispatches (a pickle inside still reaches the pickle analyzer).
const SHARED = new Set(["gzip", "bz2", "xz"]);
const DUMP_EXT = new Set(["joblib", "pkl", "pickle", "sav", "jbl"]);
const DUMP_NAME = /\.(joblib|pkl|pickle|sav|jbl)\.(gz|bz2|xz)$/i;
// Decompressed payloads up to this size are kept from the measuring pass (the VM then reads memory);
// larger ones are decoded again as the VM reads them, a block at a time, never held whole.
const KEEP = 64 * 1024 * 1024;
// Below this, any ratio is harmless (an empty dump compresses to a few bytes).
const TINY_OUTPUT = 1024 * 1024;

/** Compressed joblib files (zlib, gzip, bz2, xz, raw LZMA, lz4). */
export const joblibAnalyzer: Analyzer<PickleAnalyzerOptions> = {
  id: "joblib",
  version: 1,
  description: "Compressed joblib dumps (compress=…): decompressed as a bounded stream into the pickle VM, with NumpyArrayWrapper handling.",
  formats: ["joblib"],
  rules: ALL_RULES,
  optionsSchema: PICKLE_OPTIONS_SCHEMA,
  match(file, head) {
    const kind = joblibCompression(head);
    if (!kind) return false;
    if (SHARED.has(kind)) return DUMP_EXT.has(file.extension) || DUMP_NAME.test(file.name);
    if (kind === "zlib") return JOBLIB_EXT.has(file.extension) || zlibHeadIsPickle(head);
    if (kind === "lzma") return JOBLIB_EXT.has(file.extension);
    return true;
  },
  async analyze(file, ctx) {
    const c = ctx as AnalyzerContext<unknown>;
    const head = await file.read(0, Math.min(file.size, 64));
    const kind = joblibCompression(head)!;
    let codec;
    try {
      codec = joblibDecoder(kind, head, c.limits.maxReadBytes);
    } catch (e) {
      if (!(e instanceof UnsupportedCompressionError)) throw e;
      c.report({ ruleId: RULES.unsupported.id, message: `${kind}-compressed joblib cannot be decoded: ${e.message}`, evidence: { compression: kind } });
      c.incomplete(`${kind} joblib payload not analysed`);
      return;
    }
    const encoded = () => file.stream(codec.start, file.size);
    const ratioCap = Math.max(TINY_OUTPUT, file.size * c.limits.maxCompressionRatio);
    const budget = c.expansion.remaining;
    // One bounded pass measures the payload (its size is what the VM's reader needs) and stops a
    // bomb in its first megabytes; the VM then reads the payload as a stream.
    const measured = await decodeBounded(encoded(), codec.decode, {
      maxOutput: Math.min(ratioCap, budget),
      keepUpTo: Math.min(KEEP, c.limits.maxReadBytes),
      maxRatio: c.limits.maxCompressionRatio,
      ratioFloor: TINY_OUTPUT,
      ...(c.signal ? { signal: c.signal } : {}),
    });
    c.expansion.take(Math.min(measured.length, c.expansion.remaining));
    c.describe({ format: "joblib", properties: { compression: kind, decompressedBytes: measured.length, complete: !measured.overflow && measured.error === undefined } });
    if (measured.overflow) {
      const why =
        measured.overflowReason === "ratio"
          ? `its first ${measured.consumed} compressed bytes expand to ${measured.length} bytes, more than ${c.limits.maxCompressionRatio}× (maxCompressionRatio)`
          : ratioCap <= budget
            ? `it expands past ${ratioCap} bytes, more than ${c.limits.maxCompressionRatio}× its ${file.size} bytes (maxCompressionRatio)`
            : `it expands past the ${budget} bytes left of its top-level file's budget (maxExpandedBytes)`;
      c.report({
        ruleId: RULES.limitExceeded.id,
        severity: "high",
        message: `${kind}-compressed joblib is a decompression bomb: ${why}; decompression stopped and only the first ${measured.length} bytes were analysed`,
        evidence: { compression: kind, compressed: file.size, consumed: measured.consumed, analysed: measured.length, limit: c.limits.maxCompressionRatio },
      });
      c.incomplete(`${kind} joblib payload: decompression stopped at ${measured.length} bytes`);
    }
    if (measured.error !== undefined) {
      c.report({
        ruleId: RULES.malformed.id,
        message: `${kind}-compressed joblib is corrupt or truncated after ${measured.length} decompressed bytes (${measured.error}); what decoded was analysed`,
        evidence: { compression: kind, decompressed: measured.length, error: measured.error },
      });
      c.incomplete(`${kind} joblib payload: stream corrupt or truncated after ${measured.length} bytes`);
    }
    if (measured.length === 0) return;
    const payload = measured.bytes
      ? bytesSource(measured.bytes)
      : decodedSource({ encoded, decode: codec.decode, size: measured.length, maxReadBytes: c.limits.maxReadBytes });
    await analyzePickleBytes(payload, c, { where: `in the ${kind}-decompressed pickle`, format: "joblib" });
  },
};
