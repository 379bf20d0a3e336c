import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { cyclonedxReporter } from "./reporter.js";

export { cyclonedxReporter } from "./reporter.js";
// The BOM builders (buildBom, renderBomJson, cweNumbers, vulnerabilityId) are not re-exported:
// importing them would load the CycloneDX library with the plugin. The reporter loads them on render.
export { artifactRef, componentRef, serialNumberOf, vulnerabilityRef } from "./bom-refs.js";
export { MODEL_FORMATS, isModel } from "./artifact-kind.js";
export type { ModelCardJson } from "./model-card.js";

/** The `@modelward/reporter-cyclonedx` plugin: one reporter, `cyclonedx`. */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "cyclonedx" },
  reporters: { cyclonedx: cyclonedxReporter },
});

export default plugin;
