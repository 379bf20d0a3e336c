import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { fileSource } from "./file-source.js";

export { fileSource, createFileSource, STDIN_PATH, STDIN_TARGET, type FileSourceDeps } from "./file-source.js";
export { localFile } from "./local-file.js";

/** The file source plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "file" },
  sources: { file: fileSource },
});
export default plugin;
