import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { gitSource } from "./git-source.js";

export { createGitSource, gitSource, type GitSourceDeps, type GitSourceOptions } from "./git-source.js";
export { lfsEndpoint } from "./lfs-batch.js";
export { parseGitTarget, isSafeRef, type GitTarget } from "./git-target.js";
export { parseLfsPointer, type LfsPointer } from "./lfs-pointer.js";

/** The Git source plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "git" },
  sources: { git: gitSource },
});
export default plugin;
