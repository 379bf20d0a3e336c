import { sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { consoleReporter, formatBytes } from "./console-reporter.js";

const render = async (color: boolean, verbose = false) =>
  String(await consoleReporter.render(sampleReport(), { options: { verbose }, rules: sampleRules(), color }));

describe("console reporter", () => {
  it("groups findings under their file, with member chains, and ends with the result line", async () => {
    const text = await render(false);
    const report = sampleReport();
    for (const f of report.files.filter((x) => x.findings.length)) {
      expect(text).toContain([f.path, ...f.members].join(" ▸ "));
      for (const finding of f.findings) expect(text).toContain(finding.message);
    }
    expect(text.trimEnd().split("\n").pop()).toMatch(/^Result: (ALERT|WARNING|PASS) · /);
    expect(text).toContain("INCOMPLETE");
    expect(text).toMatch(/Skipped \(\d+\)/);
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
    expect(text).toMatch(/30 × no analyzer recognises this content \(e\.g\. ckpt\.pt ▸ archive\/data\/0, ckpt\.pt ▸ archive\/data\/1\)/);
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
