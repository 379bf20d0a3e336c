import { sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { sarifReporter } from "./sarif-reporter.js";
import { multitoolIssues, schemaErrors } from "./sarif-validators.test-support.js";
import { twoTargetReport } from "./fixtures.test-support.js";

const ctx = (rules = sampleRules()) => ({ options: undefined, rules, color: false });

/** The sample stretched: two targets, an unknown rule, awkward path characters, an info finding. */
async function stressLog(): Promise<string> {
  const report = twoTargetReport();
  const rules = sampleRules();
  rules.delete("notebook/hardcoded-secret");
  const pkl = report.files.find((f) => f.path === "classifier.pkl")!;
  pkl.path = "weird #dir/100% [v2].pkl";
  pkl.findings[0]!.location.path = pkl.path;
  pkl.findings[0]!.severity = "info";
  return String(await sarifReporter.render(report, ctx(rules)));
}

describe("SARIF output validity", () => {
  it("validates against the official SARIF 2.1.0 JSON schema", async () => {
    const text = String(await sarifReporter.render(sampleReport(), ctx()));
    expect(schemaErrors(JSON.parse(text))).toEqual([]);
  });

  it("validates against the schema for multiple targets, unknown rules and odd paths", async () => {
    expect(schemaErrors(JSON.parse(await stressLog()))).toEqual([]);
  });

  it("the schema check rejects an invalid log (so a pass means something)", () => {
    const bad = { version: "2.1.0", runs: [{ tool: { driver: {} }, results: [{ message: {}, level: "fatal" }] }] };
    expect(schemaErrors(bad).length).toBeGreaterThan(0);
  });

  it("passes sarif-multitool validate with no error", async () => {
    const text = String(await sarifReporter.render(sampleReport(), ctx()));
    const issues = await multitoolIssues(text);
    expect(issues.filter((i) => i.level === "error")).toEqual([]);
  });

  it("passes sarif-multitool validate with no error for multiple targets, unknown rules and odd paths", async () => {
    const issues = await multitoolIssues(await stressLog());
    expect(issues.filter((i) => i.level === "error")).toEqual([]);
  });

  it("the multitool check reports errors for an invalid log (its exit code alone would not)", async () => {
    const issues = await multitoolIssues(JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] }));
    expect(issues.some((i) => i.level === "error")).toBe(true);
  });
});
