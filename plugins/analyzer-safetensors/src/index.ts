import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { safetensorsAnalyzer } from "./safetensors-analyzer.js";
import { safetensorsIndexAnalyzer } from "./safetensors-index-analyzer.js";

export { RULES, ALL_RULES, INDEX_RULES } from "./rules.js";
export { safetensorsIndexAnalyzer, shardPathProblem } from "./safetensors-index-analyzer.js";
export { safetensorsAnalyzer, looksLikeSafetensors } from "./safetensors-analyzer.js";
export { validateHeader, type ValidatedHeader, type TensorEntry, type HeaderProblem } from "./header-validation.js";
export { parseStrictJson, type JsonValue, type StrictJsonResult } from "./strict-json.js";
export { DTYPE_BITS, MAX_HEADER_SIZE } from "./dtypes.js";

/** The safetensors plugin (namespace `safetensors`): safetensors files, and the indexes of sharded ones. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "safetensors" },
  analyzers: { [safetensorsAnalyzer.id]: safetensorsAnalyzer, [safetensorsIndexAnalyzer.id]: safetensorsIndexAnalyzer },
});

export default plugin;
