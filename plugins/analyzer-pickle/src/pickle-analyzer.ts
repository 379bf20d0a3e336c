import type { Analyzer, AnalyzerContext, ByteSource, FileRef } from "@modelward/core";
import { sniff, type MagicKind } from "@modelward/plugin-kit";
import { runPickle, type PickleRunResult } from "@modelward/pickle";
import { joblibCompression } from "./decompress.js";
import { joblibAfterBuild } from "./joblib-wrapper.js";
import { limitsFrom, PICKLE_OPTIONS_SCHEMA, type PickleAnalyzerOptions } from "./options.js";
import { policyFor, reportRun } from "./report-run.js";
import { PICKLE_POLICY_VALIDATORS } from "./policy-validators.js";
import { ALL_RULES } from "./rules.js";
import { pickleClaim, type PickleClaim } from "./sniff-pickle.js";
import { JOBLIB_EXT } from "./joblib-ext.js";

/**
 * Runs the VM over a pickle held in `source` and reports it: the shared path
 * of the raw-pickle, joblib and .npy analyzers.
 */
export async function analyzePickleBytes(
  source: ByteSource,
  ctx: AnalyzerContext<unknown>,
  opts: { start?: number; where?: string; format: string; framework?: string; claim?: PickleClaim },
): Promise<PickleRunResult> {
  const policy = policyFor(ctx);
  let wrappers = 0;
  const common = {
    start: opts.start ?? 0,
    limits: limitsFrom(ctx.options),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    // Small refills: after each skipped tensor only the next opcodes are needed, not a megabyte.
    chunkSize: 256 * 1024,
  };
  // First as joblib.load reads it: the raw bytes after a NumpyArrayWrapper are array data.
  const r = await runPickle(source, {
    ...common,
    afterBuild: (target, state) => {
      const action = joblibAfterBuild(target, state);
      if (action) wrappers++;
      return action;
    },
  });
  if (opts.claim === "guess" && !parsesAsPickle(r)) {
    // Text whose bytes happen to be opcodes: the unpickler would fail before importing or calling anything.
    ctx.describe({ properties: { pickle: "not a pickle: claimed by a content guess, fails before importing or calling anything", opcodes: r.opcodes } });
    return r;
  }
  const joblib = r.globals.some((g) => g.module.startsWith("joblib.numpy_pickle"));
  ctx.describe({
    format: joblib && opts.format === "pickle" ? "joblib" : opts.format,
    ...(opts.framework ? { framework: opts.framework } : joblib ? { framework: "scikit-learn" } : {}),
    properties: {
      opcodes: r.opcodes,
      protocol: r.streams.reduce((p, s) => Math.max(p, s.protocol), 0),
      streams: r.streams.length,
      globals: r.globals.length,
      calls: r.calls.length,
      bytesSkipped: r.bytesSkipped,
    },
  });
  const judged = await reportRun(ctx, policy, r, { source, ...(opts.where ? { where: opts.where } : {}) });
  if (wrappers > 0) {
    // Only joblib's unpickler skips those bytes: pickle.load, torch.load(weights_only=False) and
    // np.load(allow_pickle=True) run them as opcodes. Report what any of them would import or call.
    const plain = await runPickle(source, { ...common, multiStream: false, resync: false });
    await reportRun(ctx, policy, plain, {
      source,
      where: `${opts.where ? `${opts.where} ` : ""}when read by pickle.load/torch.load/np.load, which run the ${wrappers} joblib array(s) as opcodes`,
      codeOnly: { known: judged },
    });
  }
  return r;
}

/**
 * Whether a run over a file claimed only by a content guess is a pickle: it
 * imports, calls or embeds something (in any stream: that is reported
 * whatever else the file holds), or a limit stopped the analysis (then what
 * lies beyond is unknown), or it parses cleanly. Otherwise it is text whose
 * bytes happen to be opcodes: the first stream fails (`pickle.load` stops
 * there), or it completes as a lone value and the rest does not parse (`GIT
 * v1.5.2.1 Release Notes` is BINFLOAT, DUP, STOP and then prose).
 */
function parsesAsPickle(r: PickleRunResult): boolean {
  const first = r.streams[0];
  if (!first || r.limitsHit.length > 0) return true;
  const acts = (stream?: number) =>
    r.globals.some((g) => stream === undefined || g.stream === stream) ||
    r.calls.some((c) => stream === undefined || c.stream === stream) ||
    r.embedded.length > 0 || r.persistentIds > 0 || r.extensions.length > 0;
  if (!first.complete) return acts(0);
  return acts() || r.errors.length === 0;
}

const OWNED_BY_OTHERS: ReadonlySet<MagicKind> = new Set<MagicKind>(["zip", "gzip", "bzip2", "xz", "7z", "hdf5", "gguf", "numpy", "torch-legacy", "elf", "pe", "mach-o", "png", "jpeg"]);

/** Raw pickles (.pkl, .pickle, uncompressed .joblib, .dill…), found by content. */
export const pickleAnalyzer: Analyzer<PickleAnalyzerOptions> = {
  id: "pickle",
  version: 1,
  description: "Pickle streams (protocols 0–5, concatenated, broken), by content: what unpickling would import and call.",
  formats: ["pickle", "joblib"],
  rules: ALL_RULES,
  optionsSchema: PICKLE_OPTIONS_SCHEMA,
  policyValidators: PICKLE_POLICY_VALIDATORS,
  match(file: FileRef, head: Uint8Array, tail: Uint8Array): boolean {
    try {
      // Formats fixed by their first bytes belong to their own analyzers (legacy torch, a stack of
      // pickles plus raw storages, to the PyTorch analyzer). Markers found elsewhere (a trailing zip
      // directory, `ustar` at 257) do not stop a pickle from being claimed: appending one is an evasion.
      if (sniff(head, tail).some((k) => OWNED_BY_OTHERS.has(k))) return false;
      // A compressed joblib (e.g. raw LZMA starts with 0x5d, an opcode) belongs to the joblib analyzer.
      if (joblibCompression(head) && JOBLIB_EXT.has(file.extension)) return false;
      return pickleClaim(head, file.extension, head.length >= file.size) !== undefined;
    } catch {
      return false;
    }
  },
  async analyze(file, ctx) {
    // The same head the engine handed to `match`, so the claim is the same.
    const head = await file.read(0, Math.min(file.size, ctx.limits.headBytes));
    const claim = pickleClaim(head, file.extension, head.length >= file.size);
    await analyzePickleBytes(file, ctx as AnalyzerContext<unknown>, { format: "pickle", ...(claim ? { claim } : {}) });
  },
};
