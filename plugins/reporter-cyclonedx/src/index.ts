import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { cyclonedxReporter } from "./cyclonedx-reporter.js";

export { buildBom, cyclonedxReporter, renderBomJson } from "./cyclonedx-reporter.js";
export { artifactRef, componentRef, serialNumberOf, vulnerabilityRef } from "./bom-refs.js";
export { MODEL_FORMATS, isModel } from "./artifact-kind.js";
export { cweNumbers, vulnerabilityId } from "./vulnerabilities.js";
export type { ModelCardJson } from "./model-card.js";

/** The `@modelward/reporter-cyclonedx` plugin: one reporter, `cyclonedx`. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "cyclonedx" },
  reporters: { cyclonedx: cyclonedxReporter },
});

export default plugin;
