import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { sarifReporter } from "./sarif-reporter.js";

export { buildSarifLog, sarifReporter, SARIF_SCHEMA_URI } from "./sarif-reporter.js";
export { levelOf, pascalName, tagsOf, INFORMATION_URI } from "./rule-descriptor.js";
export { FINGERPRINT_KEY } from "./result.js";
export { INCOMPLETE_ID, SKIPPED_ID } from "./notifications.js";
export { SINGLE_TARGET_BASE_ID, encodePath, targetBases, type TargetBase } from "./uri-base.js";
export type * from "./sarif-log.js";

/** The `@modelward/reporter-sarif` plugin: one reporter, `sarif`. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "sarif" },
  reporters: { sarif: sarifReporter },
});

export default plugin;
