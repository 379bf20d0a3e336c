import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { sbomAnalyzer } from "./sbom-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { sbomAnalyzer } from "./sbom-analyzer.js";
export { manifestKind, PARSERS, type ManifestKind } from "./manifest-kind.js";
export type { DeclaredDependency, ParsedManifest } from "./declared-dependency.js";
export { normalizeName, pypiPurl } from "./package-name.js";

/**
 * The SBOM plugin (namespace `sbom`): one analyzer for Python dependency
 * manifests, turning declared libraries into SBOM components and checking
 * how they are fetched.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "sbom" },
  analyzers: { [sbomAnalyzer.id]: sbomAnalyzer },
});

export default plugin;
