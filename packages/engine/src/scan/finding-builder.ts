import { createHash } from "node:crypto";
import {
  isSeverity,
  type Finding,
  type FindingInput,
  type RuleMeta,
  type RuleSetting,
  type Severity,
  type SuppressionEntry,
  type Taxonomy,
} from "@modelward/core";
import { artifactGlobPath, createPathMatcher } from "./path-matcher.js";

/** Where the artifact a finding belongs to is. */
export interface ArtifactIdentity {
  target: string;
  path: string;
  members: readonly string[];
}

/**
 * Completes analyzer findings into report findings: rule defaults, severity
 * overrides (`off` drops the rule), suppressions (kept and marked) and stable
 * fingerprints.
 */
export class FindingBuilder {
  private readonly suppressions: { entry: SuppressionEntry; matchPath: (p: string) => boolean }[];

  constructor(
    private readonly rules: ReadonlyMap<string, RuleMeta>,
    private readonly settings: Record<string, RuleSetting>,
    suppressions: readonly SuppressionEntry[],
  ) {
    this.suppressions = suppressions.map((entry) => ({
      entry,
      matchPath: entry.path ? createPathMatcher([entry.path]) : () => true,
    }));
  }

  /** The finding as reported, or undefined when the rule is turned off. */
  build(input: FindingInput, artifact: ArtifactIdentity): Finding | undefined {
    const rule = this.rules.get(input.ruleId);
    const override = this.override(input.ruleId);
    if (override === "off") return undefined;
    const severity: Severity = override ?? input.severity ?? rule?.defaultSeverity ?? "medium";
    const position = { ...input.position };
    const evidence = { ...input.evidence };
    const fingerprint = fingerprintOf(input.ruleId, artifact, position, evidence, input.message);
    const finding: Finding = {
      ruleId: input.ruleId,
      severity,
      confidence: input.confidence ?? rule?.confidence ?? "medium",
      // An undeclared rule still reports: losing a finding would fail open.
      category: rule?.category ?? "integrity",
      message: input.message,
      location: { target: artifact.target, path: artifact.path, members: [...artifact.members], ...position },
      evidence,
      taxonomy: mergeTaxonomy(rule?.taxonomy, input.taxonomy),
      fingerprint,
      occurrences: 1,
    };
    const suppression = this.suppressions.find(
      ({ entry, matchPath }) =>
        (entry.rule === undefined || entry.rule === input.ruleId) &&
        (entry.fingerprint === undefined || entry.fingerprint === fingerprint) &&
        matchPath(artifactGlobPath(artifact.path, artifact.members)),
    );
    if (suppression) finding.suppression = { kind: "config", justification: suppression.entry.justification };
    return finding;
  }

  private override(ruleId: string): Severity | "off" | undefined {
    const s = this.settings[ruleId];
    if (s === undefined) return undefined;
    const value = typeof s === "object" ? s.severity : s;
    return value === "off" || isSeverity(value) ? value : undefined;
  }
}

/**
 * A stable id for a finding: the same content scanned again gives the same
 * fingerprint (SARIF partialFingerprints, baselines, suppressions). Built from
 * the rule, the artifact's place, the position, the evidence and the message;
 * never from timestamps or the absolute target root.
 */
export function fingerprintOf(
  ruleId: string,
  artifact: { path: string; members: readonly string[] },
  position: object,
  evidence: object,
  message: string,
): string {
  const canonical = JSON.stringify([ruleId, artifact.path, artifact.members, sortKeys(position), sortKeys(evidence), message]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

function sortKeys(o: object): [string, unknown][] {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function mergeTaxonomy(a: Taxonomy | undefined, b: Taxonomy | undefined): Taxonomy {
  const out: Taxonomy = {};
  for (const key of ["cwe", "atlas", "owasp"] as const) {
    const ids = [...new Set([...(a?.[key] ?? []), ...(b?.[key] ?? [])])];
    if (ids.length) out[key] = ids;
  }
  return out;
}
