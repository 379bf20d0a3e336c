import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { tensorflowAnalyzer } from "./tensorflow-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { tensorflowAnalyzer } from "./tensorflow-analyzer.js";
export { TF_OPS } from "./op-registry.js";

/**
 * The TensorFlow plugin (namespace `tensorflow`): one analyzer for SavedModel
 * and GraphDef protobufs and the SavedModel's Keras metadata.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "tensorflow" },
  analyzers: { [tensorflowAnalyzer.id]: tensorflowAnalyzer },
});

export default plugin;
