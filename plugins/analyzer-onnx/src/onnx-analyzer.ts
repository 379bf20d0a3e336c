import type { Analyzer, AnalyzerContext, FileRef, ModelFile } from "@modelward/core";
import { checkOperators, checkTensors, checkTexts, checkVersions } from "./model-checks.js";
import { checkGraphTriggers } from "./trigger-check.js";
import { collectParts, messages, str } from "./model-walk.js";
import { ALL_RULES, RULES } from "./rules.js";
import { DecodeError, DecodeLimitError, decodeStream } from "./stream-decoder.js";

// ModelProto field tags a model starts with after ir_version (producer_name, producer_version, domain,
// model_version, doc_string, graph, opset_import).
const AFTER_IR = new Set([0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42]);

/**
 * ONNX has no magic: a ModelProto written by onnx starts with ir_version
 * (field 1, varint) then another ModelProto field. IR 3+ only (2017 on), which
 * also keeps TensorFlow's SavedModel (`08 01 12`: schema version 1) apart.
 */
export function looksLikeOnnx(file: FileRef, head: Uint8Array): boolean {
  if (file.extension === "onnx") return true;
  if (head.length < 4 || head[0] !== 0x08) return false;
  const ir = head[1]!;
  return ir >= 3 && ir <= 32 && AFTER_IR.has(head[2]!);
}

/**
 * ONNX models: the ModelProto is streamed with onnx.proto as the schema,
 * skipping tensor data by its length (a 2 GB model is read in chunks and kept
 * in a few MB). External data paths, Python and custom operators, functions,
 * metadata and versions are checked; the graph inventory is recorded.
 */
export const onnxAnalyzer: Analyzer = {
  id: "onnx",
  version: 1,
  description: "ONNX ModelProto streamed without tensor data: external-data paths, Python/custom/unknown operators, functions, metadata, IR and opset versions.",
  formats: ["onnx"],
  rules: ALL_RULES,
  match: (file, head) => looksLikeOnnx(file, head),
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    let decoded;
    try {
      decoded = await decodeStream(file, "ModelProto", { signal: ctx.signal });
    } catch (e) {
      if (e instanceof DecodeLimitError) {
        ctx.describe({ format: "onnx" });
        ctx.incomplete(`the ModelProto was not read to the end: ${e.message}`);
        return;
      }
      if (e instanceof DecodeError) {
        ctx.describe({ format: "onnx" });
        ctx.report({ ruleId: RULES.malformed.id, message: `the file does not decode as an ONNX ModelProto: ${e.message}`, position: { byteOffset: e.offset }, evidence: { error: e.message.slice(0, 200) } });
        ctx.incomplete("the ModelProto could not be decoded; what follows the error was not checked");
        return;
      }
      throw e;
    }
    const model = decoded.message;
    const parts = collectParts(model);
    checkVersions(model, ctx);
    checkOperators(parts, ctx);
    const tensors = checkTensors(parts.tensors, ctx);
    checkTexts(parts, ctx);
    checkGraphTriggers(model, ctx);
    const props: Record<string, string | number | boolean> = { nodeCount: parts.nodes.length, tensorCount: parts.tensors.length, graphCount: parts.graphCount };
    if (typeof model.ir_version === "bigint") props.irVersion = Number(model.ir_version);
    const opsets = messages(model.opset_import).map((o) => `${str(o.domain) || "ai.onnx"}:${String(o.version ?? "?")}`);
    if (opsets.length > 0) props.opsets = opsets.join(",");
    const producer = str(model.producer_name);
    if (producer) props.producer = `${producer}${str(model.producer_version) ? ` ${str(model.producer_version)}` : ""}`.slice(0, 200);
    if (tensors.parameters !== undefined) props.parameterCount = tensors.parameters;
    if (tensors.external > 0) props.externalTensors = tensors.external;
    if (parts.functions.length > 0) props.functionCount = parts.functions.length;
    const graphName = str(messages(model.graph)[0]?.name);
    if (graphName) props.name = graphName.slice(0, 200);
    ctx.describe({ format: "onnx", framework: "onnx", properties: props });
  },
};
