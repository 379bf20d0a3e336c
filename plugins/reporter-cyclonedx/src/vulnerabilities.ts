import { Enums, Models, Types } from "@cyclonedx/cyclonedx-library";
import { securitySeverityScore, type FileReport, type Finding, type RuleMeta } from "@modelward/core";
import { vulnerabilityRef, type BomRefAllocator } from "./bom-refs.js";
import type { ComponentIndex } from "./components.js";
import { NS, propertiesOf } from "./properties.js";

/** The project page: the vulnerability source when a rule has no page of its own. */
export const INFORMATION_URI = "https://github.com/modelward/modelward";

/** The vulnerability id of a rule: `MW:` + the rule id (`MW:pickle/unsafe-global`), stable across scans. */
export function vulnerabilityId(ruleId: string): string {
  return `MW:${ruleId}`;
}

/** CWE numbers of `CWE-502`-style ids; anything else is skipped (it stays in the finding's properties). */
export function cweNumbers(ids: readonly string[] | undefined): number[] {
  const out: number[] = [];
  for (const id of ids ?? []) {
    const m = /^CWE-(\d+)$/i.exec(id.trim());
    if (m && Number(m[1]) > 0 && !out.includes(Number(m[1]))) out.push(Number(m[1]));
  }
  return out;
}

function analysisOf(suppressed: readonly Finding[]): Models.Vulnerability.Analysis | undefined {
  if (suppressed.length === 0) return undefined;
  const details = [...new Set(suppressed.map((f) => {
    const { kind, justification } = f.suppression!;
    const by = kind === "baseline" ? "Accepted in the baseline" : "Suppressed by configuration";
    return justification ? `${by}: ${justification}` : `${by} (no justification recorded).`;
  }))];
  return new Models.Vulnerability.Analysis({ state: Enums.Vulnerability.AnalysisState.NotAffected, detail: details.join(" ") });
}

/**
 * For a dependency finding, the declared package it names (evidence `package`
 * or `name`), so the vulnerability affects the library as well as the file.
 */
function affectedPackage(finding: Finding, declared: Map<string, Models.Component> | undefined): Models.Component | undefined {
  if (finding.category !== "dependency" || !declared) return undefined;
  const name = finding.evidence.package ?? finding.evidence.name;
  return typeof name === "string" ? declared.get(name.toLowerCase()) : undefined;
}

/** The findings of one rule in a report, split by whether they were suppressed. */
interface RuleGroup {
  ruleId: string;
  suppressed: boolean;
  findings: { finding: Finding; file: FileReport }[];
}

/**
 * Groups the findings that become vulnerabilities: one group per rule (and a
 * second one for its suppressed findings, which are `not_affected`), in order
 * of first appearance. Info findings are observations, not vulnerabilities:
 * they stay on the report (and the component evidence), not here.
 */
export function groupByRule(files: readonly FileReport[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const file of files)
    for (const finding of file.findings) {
      if (finding.severity === "info") continue;
      const suppressed = finding.suppression !== undefined;
      const key = `${suppressed ? "s" : "a"}\u0000${finding.ruleId}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { ruleId: finding.ruleId, suppressed, findings: [] }));
      group.findings.push({ finding, file });
    }
  return [...groups.values()];
}

const SEVERITY_ORDER = ["info", "low", "medium", "high", "critical"] as const;

/**
 * One vulnerability per rule (suppressed findings of a rule in a second one,
 * marked `not_affected`): rated with the highest severity of its findings,
 * classified by CWE, affecting every artifact component where the rule fired
 * (and, for dependency findings, each named package). Where in each artifact
 * it fired is the components' `evidence.occurrences`; the properties keep each
 * finding's fingerprint and the count.
 */
export function buildRuleVulnerability(
  group: RuleGroup,
  rule: RuleMeta | undefined,
  components: ComponentIndex,
  refs: BomRefAllocator,
): Models.Vulnerability.Vulnerability {
  const source = new Models.Vulnerability.Source({ name: "Modelward", url: rule?.helpUri ?? INFORMATION_URI });
  const affected = new Map<string, Models.Component>();
  for (const { finding, file } of group.findings) {
    const artifact = components.byFile.get(file);
    if (artifact) affected.set(artifact.bomRef.toString(), artifact);
    const pkg = affectedPackage(finding, components.declared.get(file));
    if (pkg) affected.set(pkg.bomRef.toString(), pkg);
  }
  const affects = new Models.Vulnerability.AffectRepository([...affected.values()].map((c) => new Models.Vulnerability.Affect(c.bomRef)));
  const findings = group.findings.map((x) => x.finding);
  const severity = findings.reduce((top, f) => (SEVERITY_ORDER.indexOf(f.severity) > SEVERITY_ORDER.indexOf(top) ? f.severity : top), findings[0]!.severity);
  const confidences = [...new Set(findings.map((f) => f.confidence))].join(", ");
  const ratings = new Models.Vulnerability.RatingRepository([
    new Models.Vulnerability.Rating({
      source,
      score: Number(securitySeverityScore(severity)),
      severity: severity as Enums.Vulnerability.Severity,
      method: Enums.Vulnerability.RatingMethod.Other,
      justification: `Modelward severity ${severity}, the highest of ${findings.length} finding${findings.length === 1 ? "" : "s"} (confidence ${confidences})`,
    }),
  ]);
  const advisories = new Models.Vulnerability.AdvisoryRepository((rule?.references ?? []).map((url) => new Models.Vulnerability.Advisory(url)));
  const analysis = group.suppressed ? analysisOf(findings) : undefined;
  const first = findings[0]!;
  const taxonomy = (key: "cwe" | "atlas" | "owasp") => [...new Set(findings.flatMap((f) => f.taxonomy[key] ?? []))];

  return new Models.Vulnerability.Vulnerability({
    bomRef: refs.allocate(vulnerabilityRef(group.ruleId, group.suppressed)),
    id: vulnerabilityId(group.ruleId),
    source,
    ratings,
    cwes: new Types.CweRepository(cweNumbers(taxonomy("cwe"))),
    description: findings.length === 1 ? first.message : `${rule?.title ?? group.ruleId}: ${findings.length} findings in ${affected.size} component${affected.size === 1 ? "" : "s"}. First: ${first.message}`,
    ...(rule ? { detail: `${rule.title}. ${rule.description}`, recommendation: rule.remediation } : {}),
    advisories,
    affects,
    ...(analysis ? { analysis } : {}),
    properties: propertiesOf([
      [`${NS}:rule-id`, group.ruleId],
      [`${NS}:rule-title`, rule?.title],
      [`${NS}:category`, first.category],
      [`${NS}:findings`, findings.length],
      ...taxonomy("cwe").map((id) => [`${NS}:cwe`, id] as const),
      ...taxonomy("atlas").map((id) => [`${NS}:atlas`, id] as const),
      ...taxonomy("owasp").map((id) => [`${NS}:owasp`, id] as const),
      ...findings.map((f) => [`${NS}:fingerprint`, f.fingerprint] as const),
    ]),
  });
}
