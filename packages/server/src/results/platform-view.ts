import { maxSeverity, severityRank, type FileReport, type Finding, type ImportRecord, type ScanReport, type Severity, type Verdict } from "@modelward/core";

/** The platform's three words for a verdict. */
export type PlatformSeverity = "Alert" | "Warning" | "Pass";

/** Something a file would import or call when loaded that is not known to be safe. */
export interface UnsafeDependency {
  name: string;
  kind: ImportRecord["kind"];
  safety: "dangerous" | "unknown";
  /** The most severe finding of the file that names it; else `high` for dangerous and `low` for unknown. */
  severity: Severity;
  /** Archive member chain, when it came from inside the file. */
  members?: string[];
}

/** One top-level file of the scan. */
export interface FileSecurityReport {
  file: string;
  severity: PlatformSeverity;
  status: FileReport["status"];
  format?: string;
  size: number;
  findings: number;
  unsafe_dependencies: UnsafeDependency[];
  incomplete?: string[];
  skip_reason?: string;
}

/** What `GET /v1/file-scans/{id}/result` returns. */
export interface FileScanResult {
  scan_id: string;
  model_id: string;
  severity: PlatformSeverity;
  /** 1 = Pass, 2 = Warning, 3 = Alert. */
  score: 1 | 2 | 3;
  finished_at: string;
  summary: {
    files: ScanReport["summary"]["files"];
    findings: number;
    by_severity: Record<Severity, number>;
    /** True when nothing was analysed: reported as a Warning, never a Pass. */
    nothing_analysed: boolean;
  };
  file_security_reports: FileSecurityReport[];
}

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
