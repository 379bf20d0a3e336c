import type { Analyzer, AnalyzerContext } from "@modelward/core";
import { DecompressionLimitError, UnsupportedCompressionError, decompress, joblibCompression } from "./decompress.js";
import type { PickleAnalyzerOptions } from "./options.js";
import { analyzePickleBytes } from "./pickle-analyzer.js";
import { bytesArtifact } from "./report-run.js";
import { ALL_RULES, RULES } from "./rules.js";
import { JOBLIB_EXT } from "./joblib-ext.js";

// Containers a generic archive analyzer also claims; joblib takes them only when the name says the file
// is a dump (`model.joblib`, `model.pkl`, `model.pkl.gz`), never a bare `.gz`/`.tar.gz`, whose content
// the archive analyzer unwraps and dispatches (a pickle inside still reaches the pickle analyzer).
const SHARED = new Set(["gzip", "bz2", "xz"]);
const DUMP_EXT = new Set(["joblib", "pkl", "pickle", "sav", "jbl"]);
const DUMP_NAME = /\.(joblib|pkl|pickle|sav|jbl)\.(gz|bz2|xz)$/i;
// Decompressed joblib payloads are analysed in memory: bounded well below RAM, and by the engine's
// per-file expansion budget. Larger ones are reported as a limit, not skipped silently.
const MAX_DECOMPRESSED = 512 * 1024 * 1024;

/** Compressed joblib files (zlib, gzip, bz2, xz, lz4; raw LZMA is reported as unsupported). */
export const joblibAnalyzer: Analyzer<PickleAnalyzerOptions> = {
  id: "joblib",
  version: 1,
  description: "Compressed joblib dumps (compress=…): decompressed with bounds, then the pickle VM with NumpyArrayWrapper handling.",
  formats: ["joblib"],
  rules: ALL_RULES,
  match(file, head) {
    const kind = joblibCompression(head);
    if (!kind) return false;
    if (SHARED.has(kind)) return DUMP_EXT.has(file.extension) || DUMP_NAME.test(file.name);
    if (kind === "zlib" || kind === "lzma") return JOBLIB_EXT.has(file.extension);
    return true;
  },
  async analyze(file, ctx) {
    const c = ctx as AnalyzerContext<unknown>;
    const kind = joblibCompression(await file.read(0, Math.min(file.size, 16)))!;
    const cap = Math.min(MAX_DECOMPRESSED, c.limits.maxExpandedBytes, Math.max(file.size, 1) * c.limits.maxCompressionRatio);
    let data: Uint8Array;
    try {
      data = await decompress(kind, file, cap, c.limits.maxReadBytes);
    } catch (e) {
      if (e instanceof DecompressionLimitError) {
        c.report({ ruleId: RULES.limitExceeded.id, message: `${kind}-compressed joblib: ${e.message}; not analysed`, evidence: { compression: kind, limit: e.limit } });
        c.incomplete(`${kind} joblib payload over ${e.limit} bytes not analysed`);
      } else if (e instanceof UnsupportedCompressionError) {
        c.report({ ruleId: RULES.unsupported.id, message: `${kind}-compressed joblib cannot be decoded: ${e.message}`, evidence: { compression: kind } });
        c.incomplete(`${kind} joblib payload not analysed`);
      } else {
        c.report({ ruleId: RULES.malformed.id, message: `${kind}-compressed joblib is corrupt: ${(e as Error).message}`, evidence: { compression: kind } });
      }
      return;
    }
    c.describe({ format: "joblib", properties: { compression: kind, decompressedBytes: data.length } });
    await analyzePickleBytes(bytesArtifact("decompressed", data), c, { where: `in the ${kind}-decompressed pickle`, format: "joblib" });
  },
};
