import type { FileScanResult, FileSecurityReport, PlatformSeverity, UnsafeDependency } from "@modelward/client";
import { maxSeverity, severityRank, type FileReport, type Finding, type ScanReport, type Verdict } from "@modelward/core";

// The result's shape is the API contract the client publishes: one definition for both sides.
export type { FileScanResult, FileSecurityReport, PlatformSeverity, UnsafeDependency } from "@modelward/client";

const WORD: Record<Verdict, PlatformSeverity> = { alert: "Alert", warning: "Warning", pass: "Pass" };
const SCORE: Record<PlatformSeverity, 1 | 2 | 3> = { Pass: 1, Warning: 2, Alert: 3 };

/** The score of a platform severity. */
export const scoreOf = (s: PlatformSeverity) => SCORE[s];

/**
 * Maps a ScanReport to the platform view. A scan that analysed nothing
 * (`none`) is a Warning: it is never a Pass.
 */
export function platformView(report: ScanReport, ids: { scanId: string; modelId: string; finishedAt: string }): FileScanResult {
  const verdict = report.summary.verdict;
  const severity: PlatformSeverity = verdict === "none" ? "Warning" : WORD[verdict];
  // Files are grouped by their top-level path: members' findings and imports count for their outer file.
  const byPath = new Map<string, FileReport[]>();
  for (const f of report.files) {
    const group = byPath.get(f.path) ?? [];
    group.push(f);
    byPath.set(f.path, group);
  }
  const files: FileSecurityReport[] = [];
  for (const [path, group] of byPath) {
    const top = group.find((f) => f.members.length === 0) ?? group[0]!;
    const incomplete = group.flatMap((f) => f.incomplete.map((i) => (i.analyzer ? `${i.analyzer}: ${i.reason}` : i.reason)));
    files.push({
      file: path,
      severity: WORD[top.verdict],
      status: group.some((f) => f.status === "incomplete") ? "incomplete" : top.status,
      ...(top.format ? { format: top.format } : {}),
      size: top.size,
      findings: group.reduce((n, f) => n + f.findings.filter((x) => !x.suppression).length, 0),
      unsafe_dependencies: group.flatMap(unsafeDependencies),
      ...(incomplete.length ? { incomplete } : {}),
      ...(top.skipReason ? { skip_reason: top.skipReason } : {}),
    });
  }
  return {
    scan_id: ids.scanId,
    model_id: ids.modelId,
    severity,
    score: SCORE[severity],
    finished_at: ids.finishedAt,
    summary: {
      files: report.summary.files,
      findings: report.summary.findings.total,
      by_severity: report.summary.findings.bySeverity,
      nothing_analysed: verdict === "none",
    },
    file_security_reports: files,
  };
}

function unsafeDependencies(file: FileReport): UnsafeDependency[] {
  const seen = new Set<string>();
  const out: UnsafeDependency[] = [];
  for (const imp of file.imports) {
    if (imp.safety === "safe") continue;
    const key = `${imp.kind}\u0000${imp.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const named = file.findings.filter((f) => !f.suppression && mentions(f, imp.name)).map((f) => f.severity);
    out.push({
      name: imp.name,
      kind: imp.kind,
      safety: imp.safety,
      severity: maxSeverity(named) ?? (imp.safety === "dangerous" ? "high" : "low"),
      ...(file.members.length ? { members: file.members } : {}),
    });
  }
  return out.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.name.localeCompare(b.name));
}

/** Whether a finding is about this import: its evidence names it, or its message does. */
function mentions(f: Finding, name: string): boolean {
  const dotted = name.replace(/\//g, ".");
  for (const v of Object.values(f.evidence)) if (typeof v === "string" && (v === name || v === dotted)) return true;
  return f.message.includes(name) || f.message.includes(dotted);
}
