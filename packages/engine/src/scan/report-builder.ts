import {
  CATEGORIES,
  REPORT_SCHEMA_VERSION,
  SEVERITIES,
  isAtLeast,
  maxSeverity,
  severityRank,
  verdictOf,
  type Category,
  type FileReport,
  type Finding,
  type ModelReport,
  type ScanReport,
  type Severity,
  type TargetDescription,
} from "@modelward/core";
import type { ArtifactRecord } from "./artifact-record.js";

/** What the report needs besides the records. */
export interface ReportContext {
  toolVersion: string;
  analyzers: ScanReport["tool"]["analyzers"];
  rulesets: string[];
  startedAt: Date;
  finishedAt: Date;
  targets: TargetDescription[];
  failOn: Severity | "none";
  failOnIncomplete: boolean;
}

const keyOf = (r: { target: string; path: string; members: readonly string[] }) => JSON.stringify([r.target, r.path, r.members]);

/** Turns records into the ScanReport: stable order, per-file roll-up of nested findings, summary. */
export function buildReport(records: readonly ArtifactRecord[], ctx: ReportContext, models: readonly ModelReport[] = []): ScanReport {
  // Roll each artifact's worst unsuppressed finding (and incompleteness) up to its containers.
  const worst = new Map<string, Severity | undefined>();
  const partial = new Set<string>();
  for (const r of records) {
    // Only what has a finding or an incomplete entry rolls up: a folder of 200 k clean files adds nothing to these maps.
    if (r.findings.length === 0 && r.incomplete.length === 0) continue;
    const own = maxSeverity(r.findings.filter((f) => !f.suppression).map((f) => f.severity));
    for (let depth = r.members.length; depth >= 0; depth--) {
      const key = keyOf({ target: r.target, path: r.path, members: r.members.slice(0, depth) });
      const prev = worst.get(key);
      worst.set(key, maxSeverity([prev, own].filter((s): s is Severity => s !== undefined)));
      if (r.incomplete.length) partial.add(key);
    }
  }
  const files: FileReport[] = records
    .map((r): FileReport => {
      const key = worst.size > 0 || partial.size > 0 ? keyOf(r) : "";
      const highest = worst.get(key);
      const file: FileReport = {
        target: r.target,
        path: r.path,
        members: r.members,
        size: r.size,
        properties: r.properties,
        analyzers: r.analyzers,
        status: r.incomplete.length ? "incomplete" : r.skipReason !== undefined ? "skipped" : "scanned",
        incomplete: r.incomplete,
        bytesRead: r.bytesRead,
        // The record is dropped with the scan: its list is sorted in place rather than copied.
        findings: r.findings.length > 1 ? r.findings.sort(compareFindings) : r.findings,
        imports: r.imports,
        components: r.components,
        verdict: verdictOf(highest, partial.has(key)),
      };
      if (r.linkedTo !== undefined) file.linkedTo = r.linkedTo;
      if (r.revision !== undefined) file.revision = r.revision;
      if (r.omittedFindings) file.omittedFindings = r.omittedFindings;
      if (r.sha256) file.sha256 = r.sha256;
      if (r.format) file.format = r.format;
      if (r.framework) file.framework = r.framework;
      if (r.skipReason !== undefined) file.skipReason = r.skipReason;
      if (r.partOf !== undefined) file.model = r.partOf;
      if (highest) file.highestSeverity = highest;
      return file;
    })
    .sort(compareFiles);

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  let total = 0;
  let suppressed = 0;
  for (const f of files.flatMap((file) => file.findings)) {
    if (f.suppression) {
      suppressed++;
      continue;
    }
    total++;
    bySeverity[f.severity]++;
    byCategory[f.category]++;
  }
  const highestSeverity = maxSeverity(SEVERITIES.filter((s) => bySeverity[s] > 0));
  const incompleteCount = files.filter((f) => f.status === "incomplete").length;
  // Only skipped entries (or none at all): nothing was looked at, so nothing can be vouched for.
  const nothingAnalysed = files.every((f) => f.status === "skipped");
  const failed =
    nothingAnalysed ||
    (ctx.failOn !== "none" && highestSeverity !== undefined && isAtLeast(highestSeverity, ctx.failOn)) ||
    (ctx.failOnIncomplete && incompleteCount > 0);
  const topLevel = files.filter((f) => f.members.length === 0);
  const summary: ScanReport["summary"] = {
    verdict: nothingAnalysed ? "none" : verdictOf(highestSeverity, incompleteCount > 0),
    files: {
      total: files.length,
      scanned: files.filter((f) => f.status === "scanned").length,
      incomplete: incompleteCount,
      skipped: files.filter((f) => f.status === "skipped").length,
    },
    findings: { total, suppressed, bySeverity, byCategory },
    bytesRead: topLevel.reduce((n, f) => n + f.bytesRead, 0),
    bytesTotal: topLevel.reduce((n, f) => n + f.size, 0),
    failOn: ctx.failOn,
    failed,
  };
  if (highestSeverity) summary.highestSeverity = highestSeverity;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "modelward", version: ctx.toolVersion, analyzers: ctx.analyzers, rulesets: ctx.rulesets },
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: ctx.finishedAt.toISOString(),
    durationMs: ctx.finishedAt.getTime() - ctx.startedAt.getTime(),
    targets: ctx.targets,
    files,
    ...(models.length ? { models: [...models].sort((a, b) => cmp(a.target, b.target) || cmp(a.path, b.path)) } : {}),
    summary,
  };
}

function compareFiles(a: FileReport, b: FileReport): number {
  return cmp(a.target, b.target) || cmp(a.path, b.path) || compareChains(a.members, b.members);
}

function compareChains(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/** Most severe first, then by position, rule and fingerprint, so output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.location.byteOffset ?? -1) - (b.location.byteOffset ?? -1) ||
    (a.location.cell ?? -1) - (b.location.cell ?? -1) ||
    (a.location.line ?? -1) - (b.location.line ?? -1) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
