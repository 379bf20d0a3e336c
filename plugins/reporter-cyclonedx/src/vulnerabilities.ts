import { Enums, Models, Types } from "@cyclonedx/cyclonedx-library";
import { displayPath, securitySeverityScore, type FileReport, type Finding, type RuleMeta } from "@modelward/core";
import { vulnerabilityRef, type BomRefAllocator } from "./bom-refs.js";
import type { ComponentIndex } from "./components.js";
import { NS, propertiesOf } from "./properties.js";

/** The project page: the vulnerability source when a rule has no page of its own. */
export const INFORMATION_URI = "https://github.com/modelward/modelward";

/** `MW-` + the first 20 hex digits (80 bits) of the finding's fingerprint: short, stable, unique in practice. */
export function vulnerabilityId(fingerprint: string): string {
  return `MW-${fingerprint.slice(0, 20).toUpperCase()}`;
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

function analysisOf(finding: Finding): Models.Vulnerability.Analysis | undefined {
  if (!finding.suppression) return undefined;
  const { kind, justification } = finding.suppression;
  const by = kind === "baseline" ? "Accepted in the baseline" : "Suppressed by configuration";
  return new Models.Vulnerability.Analysis({
    state: Enums.Vulnerability.AnalysisState.NotAffected,
    detail: justification ? `${by}: ${justification}` : `${by} (no justification recorded).`,
  });
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

/**
 * One vulnerability per finding (suppressed ones included, marked
 * `not_affected`): rated by Modelward, classified by CWE, affecting the
 * artifact's component (and, for a dependency finding, the named package).
 */
export function buildVulnerability(
  finding: Finding,
  file: FileReport,
  rule: RuleMeta | undefined,
  components: ComponentIndex,
  refs: BomRefAllocator,
): Models.Vulnerability.Vulnerability {
  const source = new Models.Vulnerability.Source({ name: "Modelward", url: rule?.helpUri ?? INFORMATION_URI });
  const affects = new Models.Vulnerability.AffectRepository();
  const artifact = components.byFile.get(file);
  if (artifact) affects.add(new Models.Vulnerability.Affect(artifact.bomRef));
  const pkg = affectedPackage(finding, components.declared.get(file));
  if (pkg) affects.add(new Models.Vulnerability.Affect(pkg.bomRef));

  const ratings = new Models.Vulnerability.RatingRepository([
    new Models.Vulnerability.Rating({
      source,
      score: Number(securitySeverityScore(finding.severity)),
      severity: finding.severity as Enums.Vulnerability.Severity,
      method: Enums.Vulnerability.RatingMethod.Other,
      justification: `Modelward severity ${finding.severity} (confidence ${finding.confidence})`,
    }),
  ]);
  const advisories = new Models.Vulnerability.AdvisoryRepository((rule?.references ?? []).map((url) => new Models.Vulnerability.Advisory(url)));
  const loc = finding.location;
  const analysis = analysisOf(finding);

  return new Models.Vulnerability.Vulnerability({
    bomRef: refs.allocate(vulnerabilityRef(finding.fingerprint)),
    id: vulnerabilityId(finding.fingerprint),
    source,
    ratings,
    cwes: new Types.CweRepository(cweNumbers(finding.taxonomy.cwe)),
    description: finding.message,
    ...(rule ? { detail: `${rule.title}. ${rule.description}`, recommendation: rule.remediation } : {}),
    advisories,
    affects,
    ...(analysis ? { analysis } : {}),
    properties: propertiesOf([
      [`${NS}:rule-id`, finding.ruleId],
      [`${NS}:rule-title`, rule?.title],
      [`${NS}:category`, finding.category],
      [`${NS}:confidence`, finding.confidence],
      [`${NS}:fingerprint`, finding.fingerprint],
      [`${NS}:occurrences`, finding.occurrences],
      [`${NS}:artifact`, displayPath(loc)],
      [`${NS}:path`, loc.path],
      ...loc.members.map((m) => [`${NS}:member`, m] as const),
      [`${NS}:byte-offset`, loc.byteOffset],
      [`${NS}:line`, loc.line],
      [`${NS}:column`, loc.column],
      [`${NS}:cell`, loc.cell],
      [`${NS}:json-pointer`, loc.jsonPointer],
      ...(finding.taxonomy.cwe ?? []).map((id) => [`${NS}:cwe`, id] as const),
      ...(finding.taxonomy.atlas ?? []).map((id) => [`${NS}:atlas`, id] as const),
      ...(finding.taxonomy.owasp ?? []).map((id) => [`${NS}:owasp`, id] as const),
      [`${NS}:suppression`, finding.suppression?.kind],
      ...Object.keys(finding.evidence)
        .sort()
        .map((k) => [`${NS}:evidence:${k}`, finding.evidence[k]] as const),
    ]),
  });
}
