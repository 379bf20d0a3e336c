import type { Plugin } from "@modelward/core";
import pkg from "../package.json";
import { joblibAnalyzer } from "./joblib-analyzer.js";
import { npyAnalyzer } from "./npy-analyzer.js";
import { pickleAnalyzer } from "./pickle-analyzer.js";

export { pickleAnalyzer, analyzePickleBytes } from "./pickle-analyzer.js";
export { npyAnalyzer } from "./npy-analyzer.js";
export { joblibAnalyzer } from "./joblib-analyzer.js";
export { RULES, ALL_RULES } from "./rules.js";
export { looksLikePickle } from "./sniff-pickle.js";
export { joblibAfterBuild, dtypeItem } from "./joblib-wrapper.js";
export { parseNpyHeader, type NpyHeader } from "./npy-header.js";
export type { PickleAnalyzerOptions } from "./options.js";

/** The pickle plugin: raw pickles, compressed joblib and NumPy .npy, namespace `pickle`. */
const plugin: Plugin = {
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "pickle" },
  analyzers: { pickle: pickleAnalyzer, joblib: joblibAnalyzer, npy: npyAnalyzer },
};

export default plugin;
