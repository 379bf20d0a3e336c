import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { archiveAnalyzer } from "./archive-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { archiveAnalyzer } from "./archive-analyzer.js";
export { zipHandler } from "./zip-handler.js";
export { tarHandler } from "./tar-handler.js";
export { wrapperHandler } from "./wrapper-handler.js";
export { sevenZipHandler } from "./sevenzip-handler.js";

/** The archive plugin: ZIP, tar, gzip/bzip2/xz wrappers and 7z, each member handed back to the engine. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "archive" },
  analyzers: { [archiveAnalyzer.id]: archiveAnalyzer },
});

export default plugin;
