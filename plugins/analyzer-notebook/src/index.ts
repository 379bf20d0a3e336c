import { definePlugin } from "@modelward/core";
import pkg from "../package.json";
import { notebookAnalyzer } from "./notebook-analyzer.js";
import { sourceAnalyzer } from "./source-analyzer.js";

export { RULES, ALL_RULES } from "./rules.js";
export { notebookAnalyzer } from "./notebook-analyzer.js";
export { sourceAnalyzer } from "./source-analyzer.js";
export { redact, type Redacted } from "./redact.js";
export { githubChecksumValid } from "./github-checksum.js";
export { isSourceText } from "./source-kind.js";
export { personalData, luhnValid, ibanValid, isSpecialIpv4 } from "./pii.js";
export { shellRisks, commandLineRisks, type ShellRisk } from "./shell-risks.js";
export { pythonRisks, type PythonUnit, type PythonRisk, type PythonAnalysis } from "./python-risks.js";

/**
 * The notebook plugin (namespace `notebook`): the `notebook` analyzer for
 * `.ipynb` files and the `source` analyzer for Python sources, `.env` and
 * config-like text. Both report secrets (never printed: redacted form and
 * hash) and personal data.
 */
const plugin = definePlugin({
  apiVersion: 1,
  meta: { name: pkg.name, version: pkg.version, namespace: "notebook" },
  analyzers: { [notebookAnalyzer.id]: notebookAnalyzer, [sourceAnalyzer.id]: sourceAnalyzer },
});

export default plugin;
