import { SEVERITIES, displayPath, type FileReport, type Severity } from "@modelward/core";
import type { ReportingDescriptor, SarifNotification } from "./sarif-log.js";
import { artifactLocation, type TargetBase } from "./uri-base.js";

/** Id of the notification for an analysis that did not finish. */
export const INCOMPLETE_ID = "modelward/incomplete-analysis";
/** Id of the notification for an artifact no analyzer claimed. */
export const SKIPPED_ID = "modelward/skipped-artifact";
/** Id of the notification for results left out past the per-run cap. */
export const TRUNCATED_ID = "modelward/results-truncated";

/** `tool.driver.notifications`: the descriptors the notifications below refer to (by id and index). */
export const NOTIFICATION_DESCRIPTORS: ReportingDescriptor[] = [
  {
    id: INCOMPLETE_ID,
    name: "IncompleteAnalysis",
    shortDescription: { text: "An artifact was not fully analyzed." },
    fullDescription: {
      text: "Part of the artifact was not analyzed (a parse error, a limit, an encrypted member, a timeout). Its absence of results is not a pass.",
    },
    help: { text: "Fix the cause named in the message (raise a limit, provide the artifact unencrypted) and scan again." },
    defaultConfiguration: { level: "error" },
    properties: {},
  },
  {
    id: SKIPPED_ID,
    name: "SkippedArtifact",
    shortDescription: { text: "An artifact was listed but not analyzed." },
    fullDescription: { text: "No analyzer recognised the artifact, or the configuration excluded it." },
    help: { text: "Nothing to do if the file is not a model; otherwise check that the analyzer for its format is enabled." },
    defaultConfiguration: { level: "note" },
    properties: {},
  },
  {
    id: TRUNCATED_ID,
    name: "ResultsTruncated",
    shortDescription: { text: "Some results were left out of this log." },
    fullDescription: { text: "GitHub code scanning accepts at most 25,000 results per run; the most severe were kept." },
    help: { text: "Read the complete findings in the JSON report (-f json), or fix the most severe and scan again." },
    defaultConfiguration: { level: "warning" },
    properties: {},
  },
];

/** The warning saying how many results the cap left out, by severity; undefined when none were. */
export function truncationNotification(cut: Partial<Record<Severity, number>>, max: number): SarifNotification | undefined {
  const total = Object.values(cut).reduce((n, c) => n + (c ?? 0), 0);
  if (!total) return undefined;
  const bySeverity = SEVERITIES.filter((s) => cut[s]).map((s) => `${cut[s]} ${s}`).join(", ");
  return {
    level: "warning",
    message: { text: `${total} result${total === 1 ? "" : "s"} left out (${bySeverity}): a run holds at most ${max.toLocaleString("en-US")}, the most severe kept. The JSON report has every finding.` },
    descriptor: { id: TRUNCATED_ID, index: 2 },
    properties: { omitted: cut, maxResults: max },
  };
}

/**
 * Notifications for the artifacts that were not fully analyzed: one `error`
 * per incomplete analysis (at least one per incomplete artifact) and one
 * `note` per skipped artifact. The location is the file on disk; the member
 * chain is in the message and properties.
 */
export function notificationsOf(file: FileReport, bases: Map<string, TargetBase>): SarifNotification[] {
  const shown = displayPath(file);
  const base = {
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(bases, file.target, file.path) } }],
  };
  const properties = { target: file.target, path: file.path, members: file.members, artifact: shown };
  if (file.status === "skipped") {
    return [
      {
        level: "note",
        message: { text: `${shown}: skipped: ${file.skipReason ?? "no reason given"}` },
        ...base,
        descriptor: { id: SKIPPED_ID, index: 1 },
        properties,
      },
    ];
  }
  const reasons =
    file.incomplete.length > 0 ? file.incomplete : file.status === "incomplete" ? [{ reason: "analysis did not finish (no reason recorded)" }] : [];
  return reasons.map((r) => ({
    level: "error",
    message: { text: `${shown}: analysis incomplete${"analyzer" in r && r.analyzer ? ` (${r.analyzer})` : ""}: ${r.reason}` },
    ...base,
    descriptor: { id: INCOMPLETE_ID, index: 0 },
    properties: { ...properties, ...("analyzer" in r && r.analyzer ? { analyzer: r.analyzer } : {}) },
  }));
}
