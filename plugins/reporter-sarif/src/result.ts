import { displayPath, securitySeverityScore, type Finding, type PositionInFile } from "@modelward/core";
import { levelOf } from "./rule-descriptor.js";
import type { Region, SarifResult } from "./sarif-log.js";
import { artifactLocation, type TargetBase } from "./uri-base.js";

/** Key of Modelward's fingerprint in `partialFingerprints`; bump the suffix if its derivation changes. */
export const FINGERPRINT_KEY = "modelward/v1";

/**
 * A region on the file on disk. Every result has `startLine`, which GitHub
 * code scanning requires: the real line for a top-level text finding, else 1
 * (binary data, and anything inside an archive member or a notebook cell,
 * whose position is not a position in the file the URI names: that is carried
 * in `properties.position`). A top-level byte offset is kept as `byteOffset`.
 */
function regionOf(finding: Finding): Region {
  const { members, line, column, byteOffset, cell } = finding.location;
  const topLevel = members.length === 0;
  if (topLevel && line !== undefined && cell === undefined) return { startLine: line, ...(column !== undefined ? { startColumn: column } : {}) };
  return { startLine: 1, ...(topLevel && byteOffset !== undefined ? { byteOffset } : {}) };
}

/**
 * GitHub's `primaryLocationLineHash`: its alert identity across runs. Derived
 * from the finding's fingerprint (rule, path, member chain, position,
 * evidence, message), so findings in different archive members never share one.
 */
export function primaryLocationLineHash(finding: Finding): string {
  return `${finding.fingerprint}:1`;
}

function positionOf(finding: Finding): PositionInFile {
  const { byteOffset, jsonPointer, cell, line, column } = finding.location;
  const position: PositionInFile = { byteOffset, jsonPointer, cell, line, column };
  for (const k of Object.keys(position) as (keyof PositionInFile)[]) if (position[k] === undefined) delete position[k];
  return position;
}

/** The SARIF result of a finding; `ruleIndex` points into `tool.driver.rules`. */
export function toResult(finding: Finding, ruleIndex: number, bases: Map<string, TargetBase>): SarifResult {
  const loc = finding.location;
  const nested = loc.members.length > 0;
  const shown = displayPath(loc);
  const region = regionOf(finding);
  const position = positionOf(finding);
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: levelOf(finding.severity),
    message: { text: nested ? `${finding.message} (in archive member ${shown})` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(bases, loc.target, loc.path),
          region,
        },
        ...(nested ? { message: { text: `Archive member ${shown}` } } : {}),
        properties: { members: loc.members, artifact: shown },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint, primaryLocationLineHash: primaryLocationLineHash(finding) },
    properties: {
      "security-severity": securitySeverityScore(finding.severity),
      severity: finding.severity,
      confidence: finding.confidence,
      category: finding.category,
      tags: ["security", finding.category],
      target: loc.target,
      path: loc.path,
      members: loc.members,
      artifact: shown,
      ...(Object.keys(position).length ? { position } : {}),
      ...(finding.taxonomy.cwe?.length ? { cwe: finding.taxonomy.cwe } : {}),
      ...(finding.taxonomy.atlas?.length ? { atlas: finding.taxonomy.atlas } : {}),
      ...(finding.taxonomy.owasp?.length ? { owasp: finding.taxonomy.owasp } : {}),
      ...(Object.keys(finding.evidence).length ? { evidence: finding.evidence } : {}),
    },
  };
  if (finding.occurrences > 1) result.occurrenceCount = finding.occurrences;
  if (finding.suppression) {
    const { kind, justification } = finding.suppression;
    // Both a config entry and a baseline file live outside the scanned artifact.
    result.suppressions = [
      { kind: "external", status: "accepted", ...(justification ? { justification } : {}), properties: { modelwardKind: kind } },
    ];
  }
  return result;
}
