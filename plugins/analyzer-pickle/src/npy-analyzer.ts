import type { Analyzer, AnalyzerContext } from "@modelward/core";
import { analyzePickleBytes } from "./pickle-analyzer.js";
import { parseNpyHeader } from "./npy-header.js";
import { PICKLE_OPTIONS_SCHEMA, type PickleAnalyzerOptions } from "./options.js";
import { ALL_RULES, RULES } from "./rules.js";

// The header is at most this far into the file for any numpy version (64 KiB length field).
const HEADER_READ = 70 * 1024;

/** NumPy .npy files: header parsing, and the embedded pickle of object arrays. */
export const npyAnalyzer: Analyzer<PickleAnalyzerOptions> = {
  id: "npy",
  version: 1,
  description: "NumPy .npy arrays: header checks and the pickle behind object dtypes (np.load(allow_pickle=True)).",
  formats: ["numpy"],
  rules: ALL_RULES,
  optionsSchema: PICKLE_OPTIONS_SCHEMA,
  match(_file, head) {
    return head.length >= 6 && head[0] === 0x93 && head[1] === 0x4e && head[2] === 0x55 && head[3] === 0x4d && head[4] === 0x50 && head[5] === 0x59;
  },
  async analyze(file, ctx) {
    const c = ctx as AnalyzerContext<unknown>;
    const head = await file.read(0, Math.min(file.size, HEADER_READ));
    const h = parseNpyHeader(head, file.size);
    if (!h) {
      c.report({ ruleId: RULES.unsupported.id, message: "NumPy magic without a readable header", evidence: { size: file.size } });
      return;
    }
    c.describe({ format: "numpy", framework: "numpy", properties: { npyVersion: h.major, dtype: h.descr ?? "?", objectArray: h.hasObject } });
    for (const p of h.problems) {
      c.report({ ruleId: RULES.malformed.id, message: `malformed .npy header: ${p}`, position: { byteOffset: 8 }, evidence: { problem: p } });
    }
    // Object arrays (or a header we cannot trust) carry a pickle where the data starts.
    if (h.hasObject || h.problems.length > 0) {
      await analyzePickleBytes(file, c, { start: Math.min(h.dataOffset, file.size), where: "in the object-array pickle", format: "numpy", framework: "numpy" });
      return;
    }
    if (h.count !== undefined && h.itemsize !== undefined) {
      const expected = h.count * BigInt(h.itemsize);
      const actual = BigInt(file.size - h.dataOffset);
      if (actual > expected) {
        c.report({ ruleId: RULES.trailingData.id, message: `${actual - expected} bytes follow the array data`, position: { byteOffset: h.dataOffset + Number(expected) }, evidence: { expected: Number(expected), actual: Number(actual) } });
      } else if (actual < expected) {
        c.report({ ruleId: RULES.malformed.id, message: `array data is ${actual} bytes, header says ${expected}`, evidence: { expected: Number(expected), actual: Number(actual) } });
      }
    }
  },
};
