import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { ggufAnalyzer } from "./gguf-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { ggufAnalyzer } from "./gguf-analyzer.js";
export { parseGguf, type GgufHeader, type GgufKvEntry, type GgufTensorInfo, type GgufProblem } from "./gguf-parser.js";
export { GGML_TYPES } from "./ggml-types.js";

/** The GGUF plugin (namespace `gguf`): one analyzer for GGUF model files. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "gguf" },
  analyzers: { [ggufAnalyzer.id]: ggufAnalyzer },
});

export default plugin;
