import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { jsonReporter } from "./json-reporter.js";

export { jsonReporter, type JsonReporterOptions } from "./json-reporter.js";

/** The JSON reporter plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "json" },
  reporters: { json: jsonReporter },
});
export default plugin;
