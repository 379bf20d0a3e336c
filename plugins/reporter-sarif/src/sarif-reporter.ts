import { pathToFileURL } from "node:url";
import { isAtLeast, jsonChunks, severityRank, type Finding, type Reporter, type RuleMeta, type ScanReport, type Severity } from "@modelward/core";
import { NOTIFICATION_DESCRIPTORS, notificationsOf, truncationNotification } from "./notifications.js";
import { toResult } from "./result.js";
import { fallbackRule, INFORMATION_URI, ruleDescriptor } from "./rule-descriptor.js";
import type { SarifLog } from "./sarif-log.js";
import { originalUriBaseIds, targetBases } from "./uri-base.js";

/** The `$schema` written into every log: the OASIS 2.1.0 schema (errata 01). */
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Rules that fired (suppressed findings included), sorted by id, each with a descriptor even when unknown. */
function firedRules(findings: Finding[], known: ReadonlyMap<string, RuleMeta>): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const f of findings) if (!byId.has(f.ruleId)) byId.set(f.ruleId, known.get(f.ruleId) ?? fallbackRule(f.ruleId, f));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** GitHub code scanning rejects a run with more results than this. */
export const MAX_RESULTS_PER_RUN = 25_000;

/** Options of the SARIF reporter. */
export interface SarifReporterOptions {
  /** Results at or above this severity (default `low`: info findings only when asked for). */
  severity?: Severity;
  /** At most this many results, the most severe kept (default {@link MAX_RESULTS_PER_RUN}). */
  maxResults?: number;
}

/** Where the log's paths are relative to: the source root (git top level or working directory) and the working directory. */
export interface SarifPlaces {
  sourceRoot?: string;
  workingDirectory?: string;
}

/**
 * The findings that become results: at or above the severity asked for, then,
 * past the cap, the most severe first (a stable sort keeps the report order
 * within a severity). Returns what was left out, by severity.
 */
function selectFindings(report: ScanReport, options: SarifReporterOptions): { kept: Finding[]; cut: Partial<Record<Severity, number>>; filtered: number } {
  const threshold = options.severity ?? "low";
  const all = report.files.flatMap((f) => f.findings);
  const wanted = all.filter((f) => isAtLeast(f.severity, threshold));
  const max = options.maxResults ?? MAX_RESULTS_PER_RUN;
  if (wanted.length <= max) return { kept: wanted, cut: {}, filtered: all.length - wanted.length };
  const ranked = wanted.map((f, i) => [f, i] as const).sort((a, b) => severityRank(b[0].severity) - severityRank(a[0].severity) || a[1] - b[1]);
  const keep = new Set(ranked.slice(0, max).map(([, i]) => i));
  const cut: Partial<Record<Severity, number>> = {};
  wanted.forEach((f, i) => {
    if (!keep.has(i)) cut[f.severity] = (cut[f.severity] ?? 0) + 1;
  });
  return { kept: wanted.filter((_, i) => keep.has(i)), cut, filtered: all.length - wanted.length };
}

/** Builds the SARIF log object of a report (exposed for tests and for callers that post-process it). */
export function buildSarifLog(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>, options: SarifReporterOptions = {}, places: SarifPlaces = {}): SarifLog {
  const bases = targetBases(report, places.sourceRoot);
  const { kept: findings, cut } = selectFindings(report, options);
  const fired = firedRules(findings, rules);
  const index = new Map(fired.map((r, i) => [r.id, i]));
  const notifications = report.files.flatMap((f) => notificationsOf(f, bases));
  const truncated = truncationNotification(cut, options.maxResults ?? MAX_RESULTS_PER_RUN);
  if (truncated) notifications.unshift(truncated);
  const version = report.tool.version;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Modelward",
            version,
            ...(SEMVER.test(version) ? { semanticVersion: version } : {}),
            informationUri: INFORMATION_URI,
            rules: fired.map((r) => ruleDescriptor(r, rules.has(r.id))),
            notifications: NOTIFICATION_DESCRIPTORS,
            properties: { analyzers: report.tool.analyzers, rulesets: report.tool.rulesets },
          },
        },
        invocations: [
          {
            executionSuccessful: !report.files.some((f) => f.status === "incomplete"),
            ...(places.workingDirectory !== undefined ? { workingDirectory: { uri: pathToFileURL(places.workingDirectory).href.replace(/\/?$/, "/") } } : {}),
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            toolExecutionNotifications: notifications,
            properties: { durationMs: report.durationMs },
          },
        ],
        originalUriBaseIds: originalUriBaseIds(bases),
        columnKind: "utf16CodeUnits",
        results: findings.map((f) => toResult(f, index.get(f.ruleId)!, bases)),
        properties: { reportSchemaVersion: report.schemaVersion, targets: report.targets, summary: report.summary },
      },
    ],
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. Pure and
 * deterministic: the same report and rules give the same bytes.
 */
export const sarifReporter: Reporter<SarifReporterOptions> = {
  id: "sarif",
  description: "SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers",
  mediaType: "application/sarif+json",
  defaultExtension: "sarif",
  async render(report, ctx) {
    return `${JSON.stringify(buildSarifLog(report, ctx.rules, ctx.options ?? {}, placesOf(ctx)), null, 2)}\n`;
  },
  *renderChunks(report, ctx) {
    yield* jsonChunks(buildSarifLog(report, ctx.rules, ctx.options ?? {}, placesOf(ctx)), 2, 5);
    yield "\n";
  },
};

function placesOf(ctx: { sourceRoot?: string; workingDirectory?: string }): SarifPlaces {
  return {
    ...(ctx.sourceRoot !== undefined ? { sourceRoot: ctx.sourceRoot } : {}),
    ...(ctx.workingDirectory !== undefined ? { workingDirectory: ctx.workingDirectory } : {}),
  };
}
