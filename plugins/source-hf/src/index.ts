import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { hfSource } from "./hf-source.js";

export { hfSource, createHfSource, type HfSourceDeps, type HfSourceOptions } from "./hf-source.js";
export { parseHfTarget, type HfTarget, type HfRepoType } from "./hf-target.js";
export { retryingFetch, DEFAULT_RETRY, type RetryPolicy } from "./retrying-fetch.js";

/** The Hugging Face source plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "hf" },
  sources: { hf: hfSource },
});
export default plugin;
