import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { s3Source } from "./s3-source.js";

export { s3Source, createS3Source, type S3SourceDeps, type S3SourceOptions } from "./s3-source.js";
export { parseS3Target, type S3Target } from "./s3-target.js";

/** The S3 source plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "s3" },
  sources: { s3: s3Source },
});
export default plugin;
