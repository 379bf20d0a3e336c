import { securitySeverityScore, type Finding, type ScanReport, type Severity } from "@modelward/core";
import { SAMPLE_TARGET_URI, sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { FINGERPRINT_KEY } from "./result.js";
import { INCOMPLETE_ID, SKIPPED_ID, TRUNCATED_ID } from "./notifications.js";
import type { SarifLog, SarifResult } from "./sarif-log.js";
import { sarifReporter, type SarifReporterOptions } from "./sarif-reporter.js";
import { RULES_DOC_URI } from "./rule-descriptor.js";

const ctx = (rules = sampleRules(), options: SarifReporterOptions = {}, places: { sourceRoot?: string; workingDirectory?: string } = {}) => ({ options, rules, color: false, ...places });

async function render(report: ScanReport = sampleReport(), rules = sampleRules(), options: SarifReporterOptions = {}, places = {}): Promise<SarifLog> {
  return JSON.parse(String(await sarifReporter.render(report, ctx(rules, options, places)))) as SarifLog;
}

const run = (log: SarifLog) => log.runs[0]!;
const resultFor = (log: SarifLog, messagePart: string): SarifResult => {
  const found = run(log).results.find((r) => r.message.text.includes(messagePart));
  if (!found) throw new Error(`no result mentions ${messagePart}`);
  return found;
};

describe("sarif reporter: tool and rules", () => {
  it("describes the driver with the report's tool version", async () => {
    const report = sampleReport();
    report.tool.version = "1.4.2";
    const driver = run(await render(report)).tool.driver;
    expect(driver).toMatchObject({ name: "Modelward", version: "1.4.2", semanticVersion: "1.4.2", informationUri: "https://github.com/modelward/modelward" });
  });

  it("lists each fired rule once, sorted, with descriptions, help and helpUri", async () => {
    const rules = run(await render()).tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(["notebook/hardcoded-secret", "pickle/unknown-global", "pickle/unsafe-global", "sbom/vulnerable-requirement"]);
    const unsafe = rules.find((r) => r.id === "pickle/unsafe-global")!;
    const meta = sampleRules().get("pickle/unsafe-global")!;
    expect(unsafe.name).toBe("PickleUnsafeGlobal");
    expect(unsafe.shortDescription.text).toBe(meta.title);
    expect(unsafe.fullDescription.text).toBe(meta.description);
    expect(unsafe.help.markdown).toContain(meta.remediation);
    expect(unsafe.help.markdown).toContain("[CWE-502](https://cwe.mitre.org/data/definitions/502.html)");
    expect(unsafe.help.markdown).toContain(meta.references[0]);
    expect(unsafe.helpUri).toBe(meta.helpUri);
    expect(unsafe.defaultConfiguration.level).toBe("error");
  });

  it("tags rules with security, category, CWE (both forms), ATLAS and OWASP ids", async () => {
    const unsafe = run(await render()).tool.driver.rules.find((r) => r.id === "pickle/unsafe-global")!;
    expect(unsafe.properties.tags).toEqual([
      "security",
      "deserialization",
      "CWE-502",
      "external/cwe/cwe-502",
      "CWE-94",
      "external/cwe/cwe-94",
      "AML.T0011.000",
      "AML.T0010.003",
      "LLM03:2025",
      "ML06:2023",
    ]);
    expect(unsafe.properties["security-severity"]).toBe("9.5");
    expect(unsafe.properties.precision).toBe("high");
  });

  it("points every result at its rule by id and index", async () => {
    const log = await render();
    for (const r of run(log).results) expect(run(log).tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it("falls back to a minimal descriptor when a rule is missing from ctx.rules", async () => {
    const rules = sampleRules();
    rules.delete("pickle/unsafe-global");
    const log = await render(sampleReport(), rules);
    const rule = run(log).tool.driver.rules.find((r) => r.id === "pickle/unsafe-global")!;
    expect(rule.shortDescription.text).toContain("pickle/unsafe-global");
    expect(rule.helpUri).toBe("https://github.com/modelward/modelward");
    // The fallback keeps the finding's taxonomy, so tags still carry the CWE.
    expect(rule.properties.tags).toContain("CWE-502");
    expect(resultFor(log, "os.system").ruleIndex).toBe(run(log).tool.driver.rules.indexOf(rule));
  });
});

describe("sarif reporter: results", () => {
  it("maps severities to levels and GitHub security-severity bands", async () => {
    const bands: Record<Severity, [string, number, number]> = {
      critical: ["error", 9.0, 10.0],
      high: ["error", 7.0, 8.9],
      medium: ["warning", 4.0, 6.9],
      low: ["warning", 0.1, 3.9],
      info: ["note", 0.0, 0.0],
    };
    for (const [severity, [level, min, max]] of Object.entries(bands) as [Severity, [string, number, number]][]) {
      const report = sampleReport();
      const f = report.files.find((x) => x.path === "classifier.pkl")!.findings[0]!;
      f.severity = severity;
      const result = resultFor(await render(report, sampleRules(), { severity: "info" }), "os.system");
      expect(result.level, severity).toBe(level);
      const score = Number(result.properties["security-severity"]);
      expect(score, severity).toBeGreaterThanOrEqual(min);
      expect(score, severity).toBeLessThanOrEqual(max);
      expect(result.properties["security-severity"]).toBe(securitySeverityScore(severity));
    }
  });

  it("locates a top-level binary finding by byte offset, relative to %SRCROOT%", async () => {
    const result = resultFor(await render(), "os.system");
    expect(result.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "classifier.pkl", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, byteOffset: 112 },
    });
    expect(result.occurrenceCount).toBe(2);
  });

  it("locates a text finding by line and column", async () => {
    const result = resultFor(await render(), "GHSA-53q9");
    expect(result.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "requirements.txt", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, startColumn: 1 },
    });
  });

  it("points a member finding at the outer file, with the chain in message and properties", async () => {
    const result = resultFor(await render(), "webbrowser.open");
    const location = result.locations[0]!;
    expect(location.physicalLocation.artifactLocation).toEqual({ uri: "checkpoints/resnet%2050.pt", uriBaseId: "%SRCROOT%" });
    // An offset inside the member is not an offset in the outer file: line 1 (GitHub needs a line), position kept in properties.
    expect(location.physicalLocation.region).toEqual({ startLine: 1 });
    expect(result.message.text).toContain("checkpoints/resnet 50.pt ▸ archive/data.pkl");
    expect(result.properties).toMatchObject({
      path: "checkpoints/resnet 50.pt",
      members: ["archive/data.pkl"],
      artifact: "checkpoints/resnet 50.pt ▸ archive/data.pkl",
      position: { byteOffset: 2048 },
    });
  });

  it("keeps a notebook cell position in properties, not as a file line", async () => {
    const result = resultFor(await render(), "HF_TOKEN");
    expect(result.locations[0]!.physicalLocation.region).toEqual({ startLine: 1 });
    expect(result.properties.position).toEqual({ cell: 3, line: 4, column: 12, jsonPointer: "/cells/3/source/3" });
  });

  it("carries the fingerprint, taxonomy and evidence of each finding", async () => {
    const report = sampleReport();
    const finding = report.files.find((f) => f.path === "classifier.pkl")!.findings[0]!;
    const result = resultFor(await render(report), "os.system");
    expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: finding.fingerprint, primaryLocationLineHash: `${finding.fingerprint}:1` });
    expect(result.properties).toMatchObject({ cwe: ["CWE-502", "CWE-94"], atlas: ["AML.T0011.000", "AML.T0010.003"], evidence: finding.evidence, confidence: "high" });
  });

  it("renders suppressed findings as accepted external suppressions with the justification", async () => {
    const log = await render();
    const suppressed = run(log).results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.ruleId).toBe("pickle/unknown-global");
    expect(suppressed[0]!.suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "CustomHead is our own layer, reviewed in SEC-142", properties: { modelwardKind: "config" } },
    ]);
  });

  it("emits one result per finding, in report order", async () => {
    const report = sampleReport();
    const log = await render(report);
    expect(run(log).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(report.files.flatMap((f) => f.findings.map((x) => x.fingerprint)));
  });
});

describe("sarif reporter: invocation", () => {
  it("marks an incomplete scan unsuccessful with one error notification per incomplete analysis", async () => {
    const invocation = run(await render()).invocations[0]!;
    expect(invocation.executionSuccessful).toBe(false);
    const errors = invocation.toolExecutionNotifications.filter((n) => n.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message.text).toContain("data/bundle.zip");
    expect(errors[0]!.message.text).toContain("encrypted");
    expect(errors[0]!.descriptor).toEqual({ id: INCOMPLETE_ID, index: 0 });
    expect(errors[0]!.locations![0]!.physicalLocation.artifactLocation).toEqual({ uri: "data/bundle.zip", uriBaseId: "%SRCROOT%" });
    expect(invocation.startTimeUtc).toBe("2026-11-22T10:00:00.000Z");
    expect(invocation.endTimeUtc).toBe("2026-11-22T10:00:02.500Z");
  });

  it("notifies an incomplete member with no recorded reason against its outer file", async () => {
    const report = sampleReport();
    const member = report.files.find((f) => f.members.length > 0)!;
    member.status = "incomplete";
    const errors = run(await render(report)).invocations[0]!.toolExecutionNotifications.filter((n) => n.level === "error");
    expect(errors).toHaveLength(2);
    const forMember = errors.find((n) => n.message.text.includes("archive/data.pkl"))!;
    expect(forMember.message.text).toContain("no reason recorded");
    expect(forMember.locations![0]!.physicalLocation.artifactLocation.uri).toBe("checkpoints/resnet%2050.pt");
    expect(forMember.properties).toMatchObject({ members: ["archive/data.pkl"] });
  });

  it("reports skipped files as notes", async () => {
    const notes = run(await render()).invocations[0]!.toolExecutionNotifications.filter((n) => n.level === "note");
    expect(notes.map((n) => n.message.text)).toEqual(["README.md: skipped: no analyzer recognised the content"]);
    expect(notes[0]!.descriptor).toEqual({ id: SKIPPED_ID, index: 1 });
  });

  it("is successful when every file was analyzed in full", async () => {
    const report = sampleReport();
    report.files = report.files.filter((f) => f.status !== "incomplete");
    const invocation = run(await render(report)).invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications.some((n) => n.level === "error")).toBe(false);
  });
});

describe("sarif reporter: determinism and shape", () => {
  it("renders the same bytes twice, independent of the rule map's order", async () => {
    const first = await sarifReporter.render(sampleReport(), ctx());
    const reversed = new Map([...sampleRules()].reverse());
    const second = await sarifReporter.render(sampleReport(), ctx(reversed));
    expect(second).toBe(first);
  });

  it("declares the SARIF media type and extension", () => {
    expect(sarifReporter).toMatchObject({ id: "sarif", mediaType: "application/sarif+json", defaultExtension: "sarif" });
  });

  it("renders a report without findings as an empty, successful run", async () => {
    const report = sampleReport();
    report.files = report.files.filter((f) => f.findings.length === 0 && f.status === "scanned");
    const log = await render(report);
    expect(run(log).results).toEqual([]);
    expect(run(log).tool.driver.rules).toEqual([]);
    expect(run(log).invocations[0]!.executionSuccessful).toBe(true);
  });

  it("uses the sample's target as %SRCROOT% with a trailing slash", async () => {
    expect(run(await render()).originalUriBaseIds).toMatchObject({ "%SRCROOT%": { uri: `${SAMPLE_TARGET_URI}/` } });
  });

  it("keeps finding facts the same as the report (one result per finding, severity per result)", async () => {
    const report = sampleReport();
    const findings: Finding[] = report.files.flatMap((f) => f.findings);
    const results = run(await render(report)).results;
    expect(results.map((r) => r.properties.severity)).toEqual(findings.map((f) => f.severity));
    expect(results.map((r) => r.ruleId)).toEqual(findings.map((f) => f.ruleId));
  });
});

describe("sarif reporter: GitHub code scanning requirements", () => {
  it("gives every result a region with startLine", async () => {
    for (const r of run(await render()).results) expect(r.locations[0]!.physicalLocation.region?.startLine).toBeGreaterThanOrEqual(1);
  });

  it("gives findings in different archive members different primaryLocationLineHash values, stable across runs", async () => {
    const report = sampleReport();
    const member = report.files.find((f) => f.members.length > 0)!;
    // The same finding in a second member of the same outer file, as the engine fingerprints it (members included).
    const twin = { ...member, members: ["archive/other.pkl"], findings: member.findings.map((f) => ({ ...f, location: { ...f.location, members: ["archive/other.pkl"] }, fingerprint: `${f.fingerprint.slice(0, 31)}x` })) };
    report.files.push(twin);
    const hashes = run(await render(report)).results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    const twinHashes = run(await render(report)).results.filter((r) => r.properties.members.includes("archive/other.pkl")).map((r) => r.partialFingerprints.primaryLocationLineHash);
    const memberHashes = run(await render(report)).results.filter((r) => r.properties.members.includes("archive/data.pkl")).map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(twinHashes.length).toBeGreaterThan(0);
    for (const h of twinHashes) expect(memberHashes).not.toContain(h);
    expect(run(await render(report)).results.map((r) => r.partialFingerprints.primaryLocationLineHash)).toEqual(hashes);
  });

  it("leaves info findings out unless asked for", async () => {
    const report = sampleReport();
    report.files.find((f) => f.path === "classifier.pkl")!.findings[0]!.severity = "info";
    expect(run(await render(report)).results.some((r) => r.message.text.includes("os.system"))).toBe(false);
    expect(resultFor(await render(report, sampleRules(), { severity: "info" }), "os.system").level).toBe("note");
    // --severity high keeps only critical and high.
    const high = run(await render(sampleReport(), sampleRules(), { severity: "high" })).results;
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((r) => r.properties.severity === "critical" || r.properties.severity === "high")).toBe(true);
  });

  it("caps results per run, keeps the most severe, and says what was cut", async () => {
    const report = sampleReport();
    const all = report.files.flatMap((f) => f.findings);
    const log = await render(report, sampleRules(), { maxResults: 2 });
    const kept = run(log).results;
    expect(kept).toHaveLength(2);
    const ranks = ["critical", "high", "medium", "low", "info"];
    const best = all.map((f) => ranks.indexOf(f.severity)).sort((a, b) => a - b).slice(0, 2);
    expect(kept.map((r) => ranks.indexOf(String(r.properties.severity))).sort((a, b) => a - b)).toEqual(best);
    const notice = run(log).invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor?.id === TRUNCATED_ID)!;
    expect(notice.level).toBe("warning");
    expect(notice.message.text).toMatch(new RegExp(`^${all.filter((f) => f.severity !== "info").length - 2} results? left out \\(`));
    expect(run(log).tool.driver.notifications![2]!.id).toBe(TRUNCATED_ID);
    expect(run(await render(report)).invocations[0]!.toolExecutionNotifications.some((n) => n.descriptor?.id === TRUNCATED_ID)).toBe(false);
  });

  it("points helpUri at the rule's section of docs/rules.md", async () => {
    const rules = sampleRules();
    const meta = rules.get("pickle/unknown-global")!;
    delete (meta as { helpUri?: string }).helpUri;
    const rule = run(await render(sampleReport(), rules)).tool.driver.rules.find((r) => r.id === "pickle/unknown-global")!;
    expect(rule.helpUri).toBe(`${RULES_DOC_URI}#pickleunknown-global`);
  });

  it("makes URIs relative to the source root and records the working directory", async () => {
    // The sample's target is /home/ci/project/models/; the repository is /home/ci/project.
    const log = await render(sampleReport(), sampleRules(), {}, { sourceRoot: "/home/ci/project", workingDirectory: "/home/ci/project/models" });
    expect(resultFor(log, "os.system").locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: "models/classifier.pkl", uriBaseId: "%SRCROOT%" });
    expect(run(log).originalUriBaseIds!["%SRCROOT%"]!.uri).toBe("file:///home/ci/project/");
    expect(run(log).invocations[0]!.workingDirectory).toEqual({ uri: "file:///home/ci/project/models/" });
  });
});
