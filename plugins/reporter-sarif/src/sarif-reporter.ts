import { jsonChunks, type Finding, type Reporter, type RuleMeta, type ScanReport } from "@modelward/core";
import { NOTIFICATION_DESCRIPTORS, notificationsOf } from "./notifications.js";
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

/** Builds the SARIF log object of a report (exposed for tests and for callers that post-process it). */
export function buildSarifLog(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>): SarifLog {
  const bases = targetBases(report);
  const findings = report.files.flatMap((f) => f.findings);
  const fired = firedRules(findings, rules);
  const index = new Map(fired.map((r, i) => [r.id, i]));
  const notifications = report.files.flatMap((f) => notificationsOf(f, bases));
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
            rules: fired.map(ruleDescriptor),
            notifications: NOTIFICATION_DESCRIPTORS,
            properties: { analyzers: report.tool.analyzers, rulesets: report.tool.rulesets },
          },
        },
        invocations: [
          {
            executionSuccessful: !report.files.some((f) => f.status === "incomplete"),
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
export const sarifReporter: Reporter = {
  id: "sarif",
  description: "SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers",
  mediaType: "application/sarif+json",
  defaultExtension: "sarif",
  async render(report, ctx) {
    return `${JSON.stringify(buildSarifLog(report, ctx.rules), null, 2)}\n`;
  },
  *renderChunks(report, ctx) {
    yield* jsonChunks(buildSarifLog(report, ctx.rules), 2, 5);
    yield "\n";
  },
};
