import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { pytorchAnalyzer } from "./pytorch-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { pytorchAnalyzer } from "./pytorch-analyzer.js";
export { scanTorchScriptSource, type ScriptHit } from "./torchscript-code.js";
export { runTorchPickle, storageElementSize, type StorageRef, type TorchPickleRun } from "./storage-refs.js";

/**
 * The PyTorch plugin (namespace `pytorch`): one analyzer for torch zip
 * checkpoints, TorchScript archives, legacy stacked-pickle files and the
 * torch ≤ 0.1 tar layout.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "pytorch" },
  analyzers: { [pytorchAnalyzer.id]: pytorchAnalyzer },
});

export default plugin;
