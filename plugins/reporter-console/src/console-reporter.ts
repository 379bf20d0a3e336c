import {
  SEVERITIES,
  displayPath as rawDisplayPath,
  escapeForTerminal as esc,
  isAtLeast,
  type FileReport,
  type Finding,
  type Reporter,
  type ScanReport,
  type Severity,
} from "@modelward/core";
import { displayPathFrom } from "./display-path.js";
import { createStyle, type Style } from "./style.js";

/** Options of the console reporter. */
export interface ConsoleReporterOptions {
  /** List clean files, every skipped file, linked paths and taxonomy ids too. */
  verbose?: boolean;
  /** Show findings at or above this severity (default `low`; `info` under `verbose`). Totals count them all. */
  severity?: Severity;
}

/**
 * A human summary, eslint-style: one line per finding
 * (`path[ ▸ member]:offset  severity  message  rule-id`), incomplete files,
 * one line summarising skipped files, a total per target, and the result line.
 * Paths are relative to the working directory when the reporter is told it.
 * Coloured only when the output is a colour terminal.
 */
export const consoleReporter: Reporter<ConsoleReporterOptions> = {
  id: "console",
  description: "Human-readable summary, one line per finding, coloured on a terminal.",
  mediaType: "text/plain",
  defaultExtension: "txt",
  async render(report, ctx) {
    return [...consoleLines(report, ctx)].join("\n") + "\n";
  },
  *renderChunks(report, ctx) {
    for (const line of consoleLines(report, ctx)) yield `${line}\n`;
  },
};

interface LineContext {
  options?: ConsoleReporterOptions;
  color: boolean;
  workingDirectory?: string;
}

/** The output line by line, so a huge report is never built as one string. */
function* consoleLines(report: ScanReport, ctx: LineContext): Generator<string> {
  const style = createStyle(ctx.color);
  const verbose = ctx.options?.verbose === true;
  const threshold: Severity = ctx.options?.severity ?? (verbose ? "info" : "low");
  // Every string that came from a scanned file (names, members, messages, reasons) goes through
  // esc(): a name holding a newline or an ANSI escape must not forge a line such as "Result: PASS".
  const pathOf = (ref: { target: string; path: string; members: readonly string[] }) =>
    esc(rawDisplayPath({ path: displayPathFrom(ref.target, ref.path, ctx.workingDirectory), members: ref.members }));

  yield headerLine(report, style);
  yield "";
  let listed = 0;
  for (const file of report.files) {
    const shown = file.findings.filter((f) => isAtLeast(f.severity, threshold));
    for (const f of shown) yield findingLine(pathOf(file), f, style, verbose);
    for (const [rule, count] of Object.entries(file.omittedFindings ?? {}))
      yield style.dim(`${pathOf(file)}  … and ${plural(count, `more ${esc(rule)} finding`)} (over the per-rule cap)`);
    for (const inc of file.incomplete)
      yield `${pathOf(file)}  ${style.severity("medium", "INCOMPLETE")}  ${inc.analyzer ? `${esc(inc.analyzer)}: ` : ""}${esc(inc.reason)}`;
    if (verbose && file.linkedTo !== undefined && (shown.length || file.incomplete.length)) yield style.dim(`${pathOf(file)}  → ${esc(file.linkedTo)}`);
    if (verbose && file.status !== "skipped" && !shown.length && !file.incomplete.length)
      yield style.dim(`${pathOf(file)}  clean${file.format ? `  ${esc(file.format)}` : ""}`);
    listed += shown.length + file.incomplete.length;
  }
  if (listed) yield "";
  const skipped = report.files.filter((f) => f.status === "skipped");
  if (skipped.length) {
    if (verbose) {
      yield style.bold(`Skipped (${skipped.length})`);
      for (const f of skipped) yield `  ${pathOf(f)}: ${style.dim(esc(f.skipReason ?? ""))}`;
    } else {
      const reasons = groupByReason(skipped).map(([reason, files]) => `${files.length} ${esc(reason)}`);
      yield style.dim(`Skipped ${plural(skipped.length, "file")}: ${reasons.join("; ")} (--verbose lists them)`);
    }
  }
  for (const m of report.models ?? []) {
    const where = esc(displayPathFrom(m.target, m.path === "." ? "" : m.path, ctx.workingDirectory) || ".");
    const judged = m.highestSeverity ? `${m.verdict.toUpperCase()} (${m.highestSeverity})` : m.verdict.toUpperCase();
    yield `Model ${where}/ (${esc(m.kind)}, ${plural(m.files.length, "file")}): ${style.verdict(m.verdict, judged)}`;
  }
  yield* totalLines(report, style);
  yield resultLine(report, style);
}

/** `path:where  SEVERITY  message  rule-id`, plus the taxonomy ids under --verbose. */
function findingLine(path: string, f: Finding, style: Style, verbose: boolean): string {
  const sev = style.severity(f.severity, f.severity.toUpperCase().padEnd(8));
  const times = f.occurrences > 1 ? style.dim(` (×${f.occurrences})`) : "";
  const suppressed = f.suppression ? style.dim(` [suppressed: ${esc(f.suppression.justification ?? f.suppression.kind)}]`) : "";
  const ids = verbose ? [...(f.taxonomy.cwe ?? []), ...(f.taxonomy.atlas ?? []), ...(f.taxonomy.owasp ?? [])].join(" ") : "";
  return `${path}${esc(whereOf(f))}  ${sev}  ${esc(f.message)}${times}${suppressed}  ${style.dim(esc(f.ruleId))}${ids ? style.dim(`  ${esc(ids)}`) : ""}`;
}

/** The position suffix: `:line[:column]` in text, `:offset` in binary data, `#cell N` in a notebook. */
function whereOf(f: Finding): string {
  const { cell, line, column, byteOffset } = f.location;
  const cellPart = cell !== undefined ? `#cell${cell}` : "";
  if (line !== undefined) return `${cellPart}:${line}${column !== undefined ? `:${column}` : ""}`;
  if (byteOffset !== undefined) return `${cellPart}:${byteOffset}`;
  return cellPart;
}

function headerLine(report: ScanReport, style: Style): string {
  const s = report.summary;
  const members = report.files.filter((f) => f.members.length > 0).length;
  const top = report.files.length - members;
  // Bytes read can exceed the files' size (a header read twice, archive members counted as read):
  // "reading 4.7 KB of 4.5 KB" would be nonsense, so that case says it read everything.
  const reading =
    s.bytesRead <= s.bytesTotal ? `reading ${formatBytes(s.bytesRead)} of ${formatBytes(s.bytesTotal)}` : `reading all ${formatBytes(s.bytesTotal)}`;
  return (
    style.bold(`Modelward ${report.tool.version}`) +
    ` looked at ${plural(top, "file")}` +
    (members ? ` and ${plural(members, "archive member")}` : "") +
    ` in ${(report.durationMs / 1000).toFixed(2)} s, ${reading}`
  );
}

/** `Total: N (CRITICAL: x, HIGH: y, MEDIUM: z, LOW: w)` per target (unsuppressed findings; info only when there are some). */
function* totalLines(report: ScanReport, style: Style): Generator<string> {
  const byTarget = new Map<string, Record<Severity, number>>();
  for (const t of report.targets) byTarget.set(t.uri, { critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  for (const file of report.files)
    for (const f of file.findings) {
      if (f.suppression) continue;
      let counts = byTarget.get(file.target);
      if (!counts) byTarget.set(file.target, (counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }));
      counts[f.severity]++;
    }
  const several = byTarget.size > 1;
  for (const [uri, counts] of byTarget) {
    const severities = SEVERITIES.filter((sev) => sev !== "info" || counts.info > 0);
    const total = severities.reduce((n, sev) => n + counts[sev], 0);
    const label = several ? `${esc(report.targets.find((t) => t.uri === uri)?.input ?? uri)}: ` : "";
    yield `${label}Total: ${total} (${severities.map((sev) => style.severity(sev, `${sev.toUpperCase()}: ${counts[sev]}`)).join(", ")})`;
  }
}

function resultLine(report: ScanReport, style: Style): string {
  const s = report.summary;
  const counts = SEVERITIES.filter((sev) => s.findings.bySeverity[sev] > 0)
    .map((sev) => style.severity(sev, `${s.findings.bySeverity[sev]} ${sev}`))
    .join(", ");
  const parts = [
    `${style.verdict(s.verdict, s.verdict === "none" ? "NO FILES ANALYSED" : s.verdict.toUpperCase())}`,
    counts || "no findings",
    s.findings.suppressed ? `${s.findings.suppressed} suppressed` : "",
    s.files.incomplete ? style.severity("medium", `${s.files.incomplete} incomplete`) : "",
    s.files.skipped ? `${s.files.skipped} skipped` : "",
  ].filter(Boolean);
  return `${style.bold("Result:")} ${parts.join(" · ")} → ${outcome(report, style)}`;
}

/** How the scan ends, naming the real reason it failed. */
function outcome(report: ScanReport, style: Style): string {
  const s = report.summary;
  if (s.verdict === "none") return style.verdict("none", "FAILED (nothing was analysed)");
  const atOrAbove = s.failOn === "none" ? 0 : SEVERITIES.filter((sev) => isAtLeast(sev, s.failOn as Severity)).reduce((n, sev) => n + s.findings.bySeverity[sev], 0);
  if (!s.failed) return style.verdict("pass", `passed (fail-on ${s.failOn})`);
  const reasons: string[] = [];
  if (atOrAbove) reasons.push(`fail-on ${s.failOn}: ${plural(atOrAbove, "finding")} at or above`);
  // Only an incomplete analysis fails a scan with no finding at or above the threshold.
  else if (s.files.incomplete) reasons.push(`incomplete analysis of ${plural(s.files.incomplete, "file")}`);
  return style.verdict("alert", `FAILED (${reasons.join("; ") || `fail-on ${s.failOn}`})`);
}

/** Skipped files by reason, the byte sample and extension left out so alike reasons group; largest group first. */
function groupByReason(files: FileReport[]): [string, FileReport[]][] {
  const groups = new Map<string, FileReport[]>();
  for (const f of files) {
    const reason = (f.skipReason ?? "").replace(/ \(starts with [^)]*\)$/, "");
    const group = groups.get(reason);
    if (group) group.push(f);
    else groups.set(reason, [f]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** `1 file`, `2 files`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `12.3 MB`: a byte count for people (decimal units, as disk sizes are given). */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
