import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { readProtobuf } from "./saved-model-handler.js";
import { decodeTf } from "./tf-proto.js";

// fingerprint.proto is five hashes and a version: anything much larger is not one.
const MAX_FINGERPRINT_BYTES = 4096;

/**
 * `fingerprint.pb` of a SavedModel (hashes of the graph, signatures, object
 * graph and checkpoint). It carries no code; it is decoded so a file of that
 * name that is something else is reported instead of passed.
 */
export const fingerprintHandler: FormatHandler = {
  formats: ["tensorflow"],
  match(file) {
    return file.name === "fingerprint.pb";
  },
  async analyze(file, ctx) {
    if (file.size > MAX_FINGERPRINT_BYTES) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} is ${file.size} bytes; a SavedModel fingerprint is a few dozen`, evidence: { size: file.size } });
      return;
    }
    const bytes = await readProtobuf(file, ctx);
    if (!bytes) return;
    const decoded = decodeTf<Record<string, unknown>>("FingerprintDef", bytes);
    if (!decoded.ok) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} does not decode as a SavedModel fingerprint (${decoded.error})`, evidence: { error: decoded.error } });
      return;
    }
    ctx.describe({ format: "tensorflow", framework: "tensorflow", properties: { fingerprint: true } });
  },
};
