import {
  SEVERITIES,
  displayPath as rawDisplayPath,
  escapeForTerminal as esc,
  type FileReport,
  type Finding,
  type Reporter,
  type ScanReport,
} from "@modelward/core";
import { createStyle, type Style } from "./style.js";

/** Options of the console reporter. */
export interface ConsoleReporterOptions {
  /** List clean files, info findings and every skipped file too (default: only what carries risk or problems). */
  verbose?: boolean;
}

// Every string that came from a scanned file (names, members, messages, reasons) goes through
// esc(): a name holding a newline or an ANSI escape must not forge a line such as "Result: PASS".
const displayPath = (ref: { path: string; members: readonly string[] }) => esc(rawDisplayPath(ref));

/**
 * A human summary: files with findings grouped under their path, most severe
 * first, then what was skipped or incomplete, then one result line.
 * Coloured only when the output is a colour terminal.
 */
export const consoleReporter: Reporter<ConsoleReporterOptions> = {
  id: "console",
  description: "Human-readable summary grouped by file, coloured on a terminal.",
  mediaType: "text/plain",
  defaultExtension: "txt",
  async render(report, ctx) {
    return [...consoleLines(report, ctx)].join("\n") + "\n";
  },
  *renderChunks(report, ctx) {
    for (const line of consoleLines(report, ctx)) yield `${line}\n`;
  },
};

/** The output line by line, so a huge report is never built as one string. */
function* consoleLines(report: ScanReport, ctx: { options?: ConsoleReporterOptions; color: boolean }): Generator<string> {
  const style = createStyle(ctx.color);
  const s = report.summary;
  const members = report.files.filter((f) => f.members.length > 0).length;
  const top = s.files.total - members;
  yield style.bold(`Modelward ${report.tool.version}`) +
    ` looked at ${top} file${top === 1 ? "" : "s"}` +
    (members ? ` and ${members} archive member${members === 1 ? "" : "s"}` : "") +
    ` in ${(report.durationMs / 1000).toFixed(2)} s, reading ${formatBytes(s.bytesRead)} of ${formatBytes(s.bytesTotal)}`;
  yield "";
  const verbose = ctx.options?.verbose === true;
  for (const file of report.files) {
    // Info findings carry no risk: listed with --verbose, counted in the result line either way.
    const shown = verbose ? file.findings : file.findings.filter((f) => f.severity !== "info");
    const interesting = shown.length > 0 || file.status === "incomplete";
    if (!interesting && !(verbose && file.status !== "skipped")) continue;
    yield* renderFile({ ...file, findings: shown }, style);
  }
  const skipped = report.files.filter((f) => f.status === "skipped");
  if (skipped.length) {
    yield style.bold(`Skipped (${skipped.length})`);
    if (verbose || skipped.length <= 20) {
      for (const f of skipped) yield `  ${displayPath(f)}: ${style.dim(esc(f.skipReason ?? ""))}`;
    } else {
      // Many skips (tensor storages of checkpoints, say) read best grouped by reason.
      for (const [reason, files] of groupByReason(skipped))
        yield `  ${files.length} × ${esc(reason)}${style.dim(` (e.g. ${files.slice(0, 2).map(displayPath).join(", ")})`)}`;
      yield style.dim("  (use --verbose to list every file)");
    }
    yield "";
  }
  yield resultLine(report, style);
}

function renderFile(file: FileReport, style: Style): string[] {
  const lines: string[] = [];
  const format = file.format ? style.dim(` ${esc(file.format)}`) : "";
  lines.push(`${style.bold(displayPath(file))}  ${style.verdict(file.verdict, file.verdict.toUpperCase())}${format}`);
  if (file.linkedTo !== undefined) lines.push(style.dim(`  → ${esc(file.linkedTo)}`));
  for (const f of file.findings) lines.push(...renderFinding(f, style));
  for (const [rule, count] of Object.entries(file.omittedFindings ?? {}))
    lines.push(style.dim(`  … and ${count} more ${esc(rule)} finding${count === 1 ? "" : "s"} (over the per-rule cap)`));
  for (const inc of file.incomplete)
    lines.push(`  ${style.severity("medium", "INCOMPLETE")} ${inc.analyzer ? `${esc(inc.analyzer)}: ` : ""}${esc(inc.reason)}`);
  lines.push("");
  return lines;
}

function renderFinding(f: Finding, style: Style): string[] {
  const sev = style.severity(f.severity, f.severity.toUpperCase().padEnd(8));
  const where = [
    f.location.byteOffset !== undefined ? `byte ${f.location.byteOffset}` : "",
    f.location.cell !== undefined ? `cell ${f.location.cell}` : "",
    f.location.line !== undefined ? `line ${f.location.line}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const times = f.occurrences > 1 ? style.dim(` (×${f.occurrences})`) : "";
  const suppressed = f.suppression ? style.dim(` [suppressed: ${esc(f.suppression.justification ?? f.suppression.kind)}]`) : "";
  const ids = [...(f.taxonomy.cwe ?? []), ...(f.taxonomy.atlas ?? []), ...(f.taxonomy.owasp ?? [])].join(" · ");
  return [
    `  ${sev} ${esc(f.message)}${times}${suppressed}`,
    style.dim(`           ${esc(f.ruleId)}${where ? ` at ${where}` : ""}${ids ? ` · ${esc(ids)}` : ""}`),
  ];
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
  const outcome =
    s.verdict === "none"
      ? style.verdict("none", "FAILED (nothing was analysed)")
      : s.failed
        ? style.verdict("alert", `FAILED (fail-on ${s.failOn})`)
        : style.verdict("pass", `passed (fail-on ${s.failOn})`);
  return `${style.bold("Result:")} ${parts.join(" · ")} → ${outcome}`;
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

/** `12.3 MB`: a byte count for people. */
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
