import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { safetensorsAnalyzer } from "./safetensors-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { safetensorsAnalyzer, looksLikeSafetensors } from "./safetensors-analyzer.js";
export { validateHeader, type ValidatedHeader, type TensorEntry, type HeaderProblem } from "./header-validation.js";
export { parseStrictJson, type JsonValue, type StrictJsonResult } from "./strict-json.js";
export { DTYPE_BITS, MAX_HEADER_SIZE } from "./dtypes.js";

/** The safetensors plugin (namespace `safetensors`): one analyzer for safetensors files. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "safetensors" },
  analyzers: { [safetensorsAnalyzer.id]: safetensorsAnalyzer },
});

export default plugin;
