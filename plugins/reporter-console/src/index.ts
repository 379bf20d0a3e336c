import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { consoleReporter } from "./console-reporter.js";

export { consoleReporter, formatBytes, type ConsoleReporterOptions } from "./console-reporter.js";

/** The console reporter plugin. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "console" },
  reporters: { console: consoleReporter },
});
export default plugin;
