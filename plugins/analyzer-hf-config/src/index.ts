import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { jsonConfigAnalyzer } from "./json-config-analyzer.js";
import { templateFileAnalyzer } from "./template-file-analyzer.js";
import { yamlConfigAnalyzer } from "./yaml-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { jsonConfigAnalyzer } from "./json-config-analyzer.js";
export { yamlConfigAnalyzer, frontMatter } from "./yaml-analyzer.js";
export { templateFileAnalyzer } from "./template-file-analyzer.js";
export { typosquatOf, editDistance, MAJOR_ORGS } from "./major-orgs.js";

/**
 * The Hugging Face metadata plugin (namespace `hf`): JSON configs, YAML
 * configs and model-card front matter, and standalone chat templates.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "hf" },
  analyzers: {
    [jsonConfigAnalyzer.id]: jsonConfigAnalyzer,
    [yamlConfigAnalyzer.id]: yamlConfigAnalyzer,
    [templateFileAnalyzer.id]: templateFileAnalyzer,
  },
});

export default plugin;
