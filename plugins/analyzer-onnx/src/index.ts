import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { onnxAnalyzer } from "./onnx-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { onnxAnalyzer, looksLikeOnnx } from "./onnx-analyzer.js";
export { decodeStream, Skipped, DecodeError, DecodeLimitError, type Decoded, type DecodedValue } from "./stream-decoder.js";
export { locationProblem } from "./model-checks.js";

/** The ONNX plugin (namespace `onnx`): one analyzer for ONNX models. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "onnx" },
  analyzers: { [onnxAnalyzer.id]: onnxAnalyzer },
});

export default plugin;
