import defaultRuleset from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { admitsAffected, affectsVersion, checkAdvisories } from "./advisory-check.js";
import { mergeAdvisories, type PypiAdvisory } from "./advisory-snapshot.js";
import plugin from "./index.js";
import { BENIGN_PYPROJECT, BENIGN_REQUIREMENTS, utf8 } from "./test-fixtures.js";
import { intervalOf } from "./version-interval.js";

const ADV: PypiAdvisory = {
  id: "PYSEC-0000-1",
  aliases: ["CVE-0000-1"],
  summary: "test advisory",
  ranges: [{ introduced: "0", fixed: "2.3.2" }, { introduced: "2.5", fixed: "2.5.2" }],
};
const CRITICAL: PypiAdvisory = { ...ADV, id: "PYSEC-0000-2", severity: "critical", ranges: [{ introduced: "1.0", lastAffected: "1.4" }] };
const byPackage = new Map([["acme-lib", [ADV, CRITICAL]]]);
const dep = (over: object) => ({ name: "Acme_Lib", extras: [], hashes: [], line: 3, ecosystem: "pypi" as const, ...over });

describe("version intervals (PEP 440, Poetry, conda)", () => {
  it("reads specifiers into intervals", () => {
    expect(intervalOf(">=1.2,<2")).toEqual({ lower: { version: "1.2", inclusive: true }, upper: { version: "2", inclusive: false } });
    expect(intervalOf("~=1.4.2")).toEqual({ lower: { version: "1.4.2", inclusive: true }, upper: { version: "1.5", inclusive: false } });
    expect(intervalOf("==1.*")).toEqual({ lower: { version: "1", inclusive: true }, upper: { version: "2", inclusive: false } });
    expect(intervalOf("^0.2.3")).toEqual({ lower: { version: "0.2.3", inclusive: true }, upper: { version: "0.3", inclusive: false } });
    expect(intervalOf("^1.2")).toEqual({ lower: { version: "1.2", inclusive: true }, upper: { version: "2", inclusive: false } });
    expect(intervalOf("=1.2")).toEqual({ lower: { version: "1.2", inclusive: true }, upper: { version: "1.3", inclusive: false } });
    expect(intervalOf(">=banana")).toBeUndefined();
  });

  it("matches exact versions against ranges with PEP 440 ordering", () => {
    expect(affectsVersion(ADV, "2.3.1")).toBe(true);
    expect(affectsVersion(ADV, "2.3.2")).toBe(false);
    expect(affectsVersion(ADV, "2.5.1")).toBe(true);
    expect(affectsVersion(ADV, "2.5.2")).toBe(false);
    expect(affectsVersion(ADV, "2.4")).toBe(false);
    expect(affectsVersion(ADV, "2.3.2rc1")).toBe(true); // a pre-release of the fix is before it
    expect(affectsVersion(CRITICAL, "1.4")).toBe(true);
    expect(affectsVersion(CRITICAL, "1.4.1")).toBe(false);
    expect(affectsVersion({ ...ADV, ranges: [], versions: ["0.9"] }, "0.9")).toBe(true);
  });

  it("tells ranges that admit affected versions", () => {
    expect(admitsAffected(ADV, intervalOf(">=2.3.2,<2.5")!)).toBe(false);
    expect(admitsAffected(ADV, intervalOf(">=2.0")!)).toBe(true);
    expect(admitsAffected(ADV, intervalOf(">=2.6")!)).toBe(false);
  });
});

describe("advisory findings", () => {
  it("a pinned affected version is a finding at the highest advisory severity, recorded on the component", () => {
    const { finding, advisories } = checkAdvisories(dep({ version: "1.2", specifier: "==1.2" }), byPackage);
    expect(finding).toMatchObject({ ruleId: "sbom/vulnerable-version", severity: "critical", position: { line: 3 }, evidence: { package: "acme-lib", version: "1.2" } });
    expect(finding!.message).toMatch(/PYSEC-0000-1 \(CVE-0000-1\), PYSEC-0000-2/);
    expect(advisories).toEqual([
      { id: "PYSEC-0000-1", aliases: ["CVE-0000-1"], fixed: ["2.3.2", "2.5.2"] },
      { id: "PYSEC-0000-2", aliases: ["CVE-0000-1"], fixed: [] },
    ]);
  });

  it("an advisory without severity rates high; a fixed pin is clean", () => {
    expect(checkAdvisories(dep({ version: "2.5.0" }), byPackage).finding?.severity).toBe("high");
    expect(checkAdvisories(dep({ version: "2.5.2" }), byPackage)).toEqual({ advisories: [] });
  });

  it("ranges: low when the fix is admitted, medium when it is not", () => {
    expect(checkAdvisories(dep({ specifier: ">=2.0" }), new Map([["acme-lib", [ADV]]])).finding).toMatchObject({ ruleId: "sbom/vulnerable-range", severity: "low" });
    expect(checkAdvisories(dep({ specifier: "<2.3" }), new Map([["acme-lib", [ADV]]])).finding).toMatchObject({ ruleId: "sbom/vulnerable-range", severity: "medium" });
    expect(checkAdvisories(dep({ specifier: ">=2.5.2" }), byPackage).finding).toBeUndefined();
  });

  it("rejects malformed policy data loudly", () => {
    const merged = mergeAdvisories([{ pypiAdvisories: { packages: { x: [{ id: 1 }] } } }, { pypiAdvisories: 3 }]);
    expect(merged.problems).toHaveLength(2);
  });
});

describe("the shipped snapshot", () => {
  const tester = new AnalyzerTester({ plugins: [plugin], rulesets: [defaultRuleset] });
  const snapshot = (defaultRuleset.policies as { sbom: { pypiAdvisories: { snapshotDate: string; license: string; packages: Record<string, unknown[]> } } }).sbom.pypiAdvisories;

  it("carries its date, licence and the ML packages", () => {
    expect(snapshot.snapshotDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(snapshot.license).toBe("CC-BY-4.0");
    for (const name of ["torch", "tensorflow", "mlflow", "gradio", "langchain", "jinja2", "pillow", "numpy", "scikit-learn", "joblib"]) expect(Object.keys(snapshot.packages)).toContain(name);
  });

  it("flags torch 1.13.0 (CVE-2022-45907) at its line and in the component", async () => {
    const report = await tester.scan("requirements.txt", utf8("numpy==2.1.3\ntorch==1.13.0\n"));
    const finding = allFindings(report).find((f) => f.ruleId === "sbom/vulnerable-version");
    expect(finding).toMatchObject({ severity: "high", location: { line: 2 }, evidence: { package: "torch", version: "1.13.0", fixed: "1.13.1" } });
    expect(finding!.message).toMatch(/PYSEC-2022-43015 \(CVE-2022-45907\)/);
    const torch = report.files[0]!.components.find((c) => c.name === "torch");
    expect(torch?.advisories?.[0]).toMatchObject({ id: "PYSEC-2022-43015", aliases: ["CVE-2022-45907"], fixed: ["1.13.1"] });
  });

  it("the realistic benign project raises nothing at medium or above", async () => {
    const report = await tester.scanTree({ "requirements.txt": utf8(BENIGN_REQUIREMENTS), "pyproject.toml": utf8(BENIGN_PYPROJECT) });
    expect(allFindings(report).filter((f) => ["critical", "high", "medium"].includes(f.severity)).map((f) => f.message)).toEqual([]);
  });
});
