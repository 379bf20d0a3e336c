import type { AnalyzerContext, RuleMeta, Severity } from "@modelward/core";
import type { ZipIssue } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";

interface Mapping {
  rule: RuleMeta;
  severity?: Severity;
  /** The issue means some content was not analyzed. */
  incomplete?: boolean;
}

/** How each reader issue becomes a finding. Kinds absent here are handled by the analyzer itself (symlink, encryption flag). */
function mapping(issue: ZipIssue): Mapping | undefined {
  switch (issue.kind) {
    case "eocd-missing":
    case "central-directory-truncated":
    case "local-header-invalid":
    case "data-out-of-bounds":
    case "data-corrupt":
      return { rule: RULES.malformed, incomplete: true };
    case "extra-field-invalid":
      return { rule: RULES.malformed };
    case "multi-disk":
    case "zip64-inconsistent":
    case "entry-count-mismatch":
      return { rule: RULES.zipDirectoryMismatch };
    case "offsets-shifted":
      // Python's zipfile compensates, miniz (PyTorch) does not: loaders fail rather than run it.
      return { rule: RULES.zipDirectoryMismatch, severity: "medium" };
    case "too-many-entries":
      return { rule: RULES.entryBomb, incomplete: true };
    case "name-mismatch":
      return { rule: RULES.zipNameMismatch };
    case "header-mismatch":
    case "size-mismatch":
      return { rule: RULES.zipHeaderMismatch };
    case "crc-mismatch":
      return { rule: RULES.zipCrcMismatch };
    case "unusual-flags":
      return { rule: RULES.zipFlagBits, severity: issue.evidence.refusedByStrictParsers ? "high" : "low" };
    case "unsupported-method":
      return { rule: RULES.unsupportedCompression, incomplete: true };
    case "duplicate-name":
      return { rule: RULES.zipDuplicateName };
    case "overlapping-entries":
      return { rule: RULES.zipOverlappingEntries };
    case "prepended-data":
      return { rule: RULES.zipPrependedData };
    case "trailing-data":
      return { rule: RULES.zipTrailingData };
    case "unreferenced-data":
      return { rule: RULES.zipHiddenData };
    case "path-traversal":
    case "absolute-path":
      return { rule: RULES.pathTraversal };
    case "backslash-path":
      return { rule: RULES.suspiciousName };
    case "unusual-name":
      return { rule: RULES.suspiciousName, severity: "medium" };
    case "symlink":
    case "encryption-flag":
      return undefined;
  }
}

/** Report one ZIP reader issue as a finding (and an incomplete entry when content was missed). */
export function reportZipIssue(ctx: AnalyzerContext<unknown>, issue: ZipIssue): void {
  const m = mapping(issue);
  if (!m) return;
  ctx.report({
    ruleId: m.rule.id,
    message: issue.message,
    ...(m.severity ? { severity: m.severity } : {}),
    ...(issue.offset !== undefined ? { position: { byteOffset: issue.offset } } : {}),
    evidence: { issue: issue.kind, ...(issue.entry !== undefined ? { member: issue.entry } : {}), ...issue.evidence },
  });
  if (m.incomplete) ctx.incomplete(`zip: ${issue.message}`);
}
