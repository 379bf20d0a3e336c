import { ruleAnchor, securitySeverityScore, type Finding, type RuleMeta, type Severity, type Taxonomy } from "@modelward/core";
import type { ReportingDescriptor, SarifLevel } from "./sarif-log.js";

/** The project page, used as `informationUri` and as the `helpUri` of rules the scan has no metadata for. */
export const INFORMATION_URI = "https://github.com/modelward/modelward";

/** The rules reference; each rule has a section there (`docs/rules.md`, generated). */
export const RULES_DOC_URI = `${INFORMATION_URI}/blob/main/docs/rules.md`;

/**
 * SARIF level of a severity, following the platform's three-level view:
 * critical and high are alerts (`error`), medium and low are warnings, info is a `note`.
 */
export function levelOf(severity: Severity): SarifLevel {
  if (severity === "critical" || severity === "high") return "error";
  if (severity === "medium" || severity === "low") return "warning";
  return "note";
}

/** GitHub's `problem.severity` for a level (`recommendation` is its name for notes). */
function problemSeverity(level: SarifLevel): string {
  return level === "error" ? "error" : level === "warning" ? "warning" : "recommendation";
}

/** `pickle/unsafe-global` → `PickleUnsafeGlobal`: SARIF's `name` is a PascalCase identifier. */
export function pascalName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/**
 * GitHub code scanning tags: `security`, the category, each CWE both as written
 * (`CWE-502`) and in GitHub's `external/cwe/cwe-502` form, then ATLAS and OWASP ids.
 */
export function tagsOf(category: string, taxonomy: Taxonomy): string[] {
  const tags = ["security", category];
  for (const cwe of taxonomy.cwe ?? []) tags.push(cwe, `external/cwe/${cwe.toLowerCase()}`);
  tags.push(...(taxonomy.atlas ?? []), ...(taxonomy.owasp ?? []));
  return [...new Set(tags)];
}

function cweLink(cwe: string): string {
  const n = /^CWE-(\d+)$/i.exec(cwe)?.[1];
  return n ? `[${cwe}](https://cwe.mitre.org/data/definitions/${n}.html)` : cwe;
}

function helpMarkdown(rule: RuleMeta): string {
  const parts = [`**Remediation.** ${rule.remediation}`, `**Why it matters.** ${rule.description}`];
  const t = rule.taxonomy;
  const classes = [
    ...(t.cwe?.length ? [`CWE: ${t.cwe.map(cweLink).join(", ")}`] : []),
    ...(t.atlas?.length ? [`MITRE ATLAS: ${t.atlas.join(", ")}`] : []),
    ...(t.owasp?.length ? [`OWASP: ${t.owasp.join(", ")}`] : []),
  ];
  if (classes.length) parts.push(`**Classification.** ${classes.join(" · ")}`);
  if (rule.references.length) parts.push(`**References**\n\n${rule.references.map((r) => `- <${r}>`).join("\n")}`);
  return parts.join("\n\n");
}

function helpText(rule: RuleMeta): string {
  const refs = rule.references.length ? `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join("\n")}` : "";
  return `Remediation: ${rule.remediation}${refs}`;
}

/**
 * Metadata for a rule the reporter was not told about (a plugin that did not
 * declare it, a stale baseline), built from one of its findings so the log
 * stays valid and the result keeps its severity and taxonomy.
 */
export function fallbackRule(id: string, finding: Finding): RuleMeta {
  return {
    id,
    title: `Modelward rule ${id}`,
    description: `Findings of rule ${id}. The scan had no metadata for this rule; see each result's message.`,
    remediation: "Review the artifact named in the result before loading it.",
    defaultSeverity: finding.severity,
    category: finding.category,
    confidence: finding.confidence,
    taxonomy: finding.taxonomy,
    references: [],
  };
}

/** The SARIF reporting descriptor of a rule, with GitHub code scanning's properties. */
export function ruleDescriptor(rule: RuleMeta, known = true): ReportingDescriptor {
  const level = levelOf(rule.defaultSeverity);
  return {
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: rule.helpUri ?? (known ? `${RULES_DOC_URI}#${ruleAnchor(rule.id)}` : INFORMATION_URI),
    defaultConfiguration: { level },
    properties: {
      tags: tagsOf(rule.category, rule.taxonomy),
      "security-severity": securitySeverityScore(rule.defaultSeverity),
      precision: rule.confidence ?? "medium",
      "problem.severity": problemSeverity(level),
      category: rule.category,
      ...(rule.taxonomy.cwe?.length ? { cwe: rule.taxonomy.cwe } : {}),
      ...(rule.taxonomy.atlas?.length ? { atlas: rule.taxonomy.atlas } : {}),
      ...(rule.taxonomy.owasp?.length ? { owasp: rule.taxonomy.owasp } : {}),
    },
  };
}
