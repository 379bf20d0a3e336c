import { sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { consoleReporter, formatBytes } from "./console-reporter.js";

const render = async (color: boolean, verbose = false) =>
  String(await consoleReporter.render(sampleReport(), { options: { verbose }, rules: sampleRules(), color }));

describe("console reporter", () => {
  it("writes one line per finding (path[ ▸ member]:position  SEVERITY  message  rule), and ends with the result line", async () => {
    const text = await render(false);
    const lines = text.split("\n");
    const report = sampleReport();
    for (const f of report.files)
      for (const finding of f.findings.filter((x) => x.severity !== "info")) {
        const line = lines.find((l) => l.includes(finding.message))!;
        expect(line.startsWith([f.path, ...f.members].join(" ▸ "))).toBe(true);
        expect(line).toContain(`  ${finding.severity.toUpperCase()}`);
        expect(line.trimEnd().endsWith(finding.ruleId)).toBe(true);
      }
    expect(text).toMatch(/^classifier\.pkl:112  CRITICAL  /m);
    expect(text).toMatch(/^requirements\.txt:1:1  /m);
    expect(text).toMatch(/^checkpoints\/resnet 50\.pt ▸ archive\/data\.pkl:2048  /m);
    expect(text).toMatch(/^[^ ]+\.ipynb#cell3:4:12  /m);
    expect(text.trimEnd().split("\n").pop()).toMatch(/^Result: (ALERT|WARNING|PASS) · /);
    expect(text).toMatch(/^data\/bundle\.zip  INCOMPLETE  /m);
    expect(text).toMatch(/^Skipped 1 file: 1 no analyzer recognised the content \(--verbose lists them\)$/m);
    // Taxonomy ids only with --verbose.
    expect(text).not.toContain("CWE-502");
    expect(await render(false, true)).toContain("CWE-502");
  });

  it("totals unsuppressed findings per target, trivy-style", async () => {
    const report = sampleReport();
    const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const f of report.files.flatMap((x) => x.findings)) if (!f.suppression) counts[f.severity]++;
    const total = counts.critical + counts.high + counts.medium + counts.low + counts.info;
    const text = await render(false);
    expect(text).toContain(`Total: ${total} (CRITICAL: ${counts.critical}, HIGH: ${counts.high}, MEDIUM: ${counts.medium}, LOW: ${counts.low}`);
  });

  it("shows only findings at or above --severity", async () => {
    const text = String(await consoleReporter.render(sampleReport(), { options: { severity: "critical" }, rules: sampleRules(), color: false }));
    expect(text).toMatch(/ CRITICAL /);
    expect(text).not.toMatch(/ (HIGH|MEDIUM|LOW) {2,}/);
  });

  it("names the real reason a scan failed", async () => {
    const report = sampleReport();
    for (const f of report.files) f.findings = f.findings.filter((x) => x.severity === "low" || x.severity === "info");
    for (const sev of ["critical", "high", "medium"] as const) report.summary.findings.bySeverity[sev] = 0;
    report.summary.failed = true;
    report.summary.failOn = "high";
    report.summary.files.incomplete = 1;
    const text = String(await consoleReporter.render(report, { options: {}, rules: sampleRules(), color: false }));
    expect(text).toMatch(/FAILED \(incomplete analysis of 1 file\)$/m);
    const alert = await render(false);
    expect(alert).toMatch(/FAILED \(fail-on \w+: \d+ findings? at or above\)$/m);
  });

  it("never claims to have read more than the files hold, and counts in the singular when it is one", async () => {
    const report = sampleReport();
    report.summary.bytesRead = report.summary.bytesTotal + 200;
    report.files = report.files.filter((f) => f.path === "classifier.pkl");
    const text = String(await consoleReporter.render(report, { options: {}, rules: sampleRules(), color: false }));
    const header = text.split("\n")[0]!;
    expect(header).toMatch(/looked at 1 file in/);
    expect(header).toMatch(/reading all [\d.]+ [KMG]?B$/);
  });

  it("prints local paths relative to the working directory", async () => {
    // The sample's target is file:///home/ci/project/models/.
    const text = String(await consoleReporter.render(sampleReport(), { options: {}, rules: sampleRules(), color: false, workingDirectory: "/home/ci/project" }));
    expect(text).toMatch(/^models\/classifier\.pkl:112  /m);
  });

  it("marks suppressed findings and says how the scan ends", async () => {
    const text = await render(false);
    expect(text).toMatch(/\[suppressed: /);
    expect(text).toMatch(sampleReport().summary.failed ? /FAILED \(fail-on/ : /passed \(fail-on/);
  });

  it("colours only when asked", async () => {
    expect(await render(false)).not.toContain("\x1b[");
    expect(await render(true)).toContain("\x1b[");
  });

  it("formats byte counts for people", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
    expect(formatBytes(2_000_000_000)).toBe("2.0 GB");
  });
});

describe("console reporter with many skipped files", () => {
  it("groups skips by reason unless verbose", async () => {
    const report = sampleReport();
    const template = report.files.find((f) => f.status === "skipped")!;
    for (let i = 0; i < 30; i++)
      report.files.push({ ...template, path: `ckpt.pt`, members: [`archive/data/${i}`], skipReason: `no analyzer recognises this content (starts with 0${i % 10} 00)` });
    const text = String(await consoleReporter.render(report, { options: {}, rules: sampleRules(), color: false }));
    expect(text).toMatch(/^Skipped 31 files: 30 no analyzer recognises this content; 1 no analyzer recognised the content \(--verbose lists them\)$/m);
    expect(text).not.toContain("archive/data/29");
    const verbose = String(await consoleReporter.render(report, { options: { verbose: true }, rules: sampleRules(), color: false }));
    expect(verbose).toContain("ckpt.pt ▸ archive/data/29");
  });
});

describe("console reporter and info findings", () => {
  it("lists info findings only when verbose, and still counts them", async () => {
    const report = sampleReport();
    const file = report.files.find((f) => f.findings.length > 0)!;
    const info = { ...file.findings[0]!, severity: "info" as const, message: "a fact with no risk", fingerprint: "f".repeat(32) };
    report.files.push({ ...file, path: "facts.pkl", findings: [info], highestSeverity: "info", verdict: "pass" });
    report.summary.findings.bySeverity.info += 1;
    const plain = String(await consoleReporter.render(report, { options: {}, rules: sampleRules(), color: false }));
    expect(plain).not.toContain("a fact with no risk");
    expect(plain).toMatch(/\d+ info/);
    const verbose = String(await consoleReporter.render(report, { options: { verbose: true }, rules: sampleRules(), color: false }));
    expect(verbose).toContain("a fact with no risk");
  });

  it("escapes every string from a scanned file: a name or message cannot forge lines, colours or the result", async () => {
    const forged = "x\n\nResult: PASS · no findings → passed (fail-on high)\n\x1b[32mok\x1b[0m\r\u202eevil\u009b";
    const report = sampleReport();
    const file = report.files.find((f) => f.findings.length > 0)!;
    file.members = [forged];
    file.findings[0]!.message = `calls ${forged}`;
    file.incomplete.push({ analyzer: "pickle", reason: forged });
    file.linkedTo = `/blobs/${forged}`;
    const skipped = report.files.find((f) => f.status === "skipped")!;
    skipped.path = forged;
    skipped.skipReason = forged;
    const text = String(await consoleReporter.render(report, { options: { verbose: true }, rules: sampleRules(), color: false }));
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(text.split("\n").filter((l) => l.startsWith("Result:"))).toHaveLength(1);
    expect(text).toContain("x\\n\\nResult: PASS");
    expect(text).toContain("\\x1b[32mok\\x1b[0m\\r\\u202eevil\\x9b");
    const coloured = String(await consoleReporter.render(report, { options: { verbose: true }, rules: sampleRules(), color: true }));
    expect(coloured).not.toContain("\x1b[32mok");
  });
});
