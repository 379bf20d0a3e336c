import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { kerasAnalyzer } from "./keras-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { kerasAnalyzer } from "./keras-analyzer.js";
export { judgeReference, type Verdict } from "./reference-policy.js";

/**
 * The Keras plugin (namespace `keras`): one analyzer for `.keras` archives and
 * Keras configs, whatever file or member carries them.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "keras" },
  analyzers: { [kerasAnalyzer.id]: kerasAnalyzer },
});

export default plugin;
