import { definePlugin, type RuleMeta } from "@modelward/core";
import { AnalyzerTester } from "@modelward/testing";
import { describe, expect, it } from "vitest";

const rule = (id: string, defaultSeverity: RuleMeta["defaultSeverity"]): RuleMeta => ({
  id,
  title: id,
  description: "test rule",
  remediation: "none",
  defaultSeverity,
  category: "integrity",
  taxonomy: {},
  references: [],
});

// Reports `count` distinct low findings of one rule, then one critical of the same rule, then one of another rule.
const flood = definePlugin({
  apiVersion: 1,
  meta: { name: "flood", version: "1.0.0", namespace: "flood" },
  analyzers: {
    flood: {
      id: "flood",
      version: 1,
      description: "floods findings",
      formats: ["flood"],
      rules: [rule("flood/entry", "low"), rule("flood/other", "medium")],
      match: (_f, head) => new TextDecoder().decode(head.subarray(0, 5)) === "FLOOD",
      async analyze(file, ctx) {
        const count = Number(new TextDecoder().decode(await file.read(6, file.size)));
        for (let i = 0; i < count; i++) ctx.report({ ruleId: "flood/entry", message: `entry ${i}`, location: { byteOffset: i } });
        for (let i = 0; i < 3; i++) ctx.report({ ruleId: "flood/entry", message: "entry 0", location: { byteOffset: 0 } });
        ctx.report({ ruleId: "flood/entry", severity: "critical", message: "the worst entry", location: { byteOffset: count } });
        ctx.report({ ruleId: "flood/other", message: "another rule" });
        for (let i = 0; i < count; i++) ctx.incomplete(`member ${i} not analysed`);
      },
    },
  },
});

describe("findings per rule per file", () => {
  it("keeps maxFindingsPerRule of a rule, counts the rest, and never drops the most severe", async () => {
    const report = await new AnalyzerTester({ plugins: [flood], limits: { maxFindingsPerRule: 10 } }).scan("f.bin", new TextEncoder().encode("FLOOD 20000"));
    const file = report.files[0]!;
    const entries = file.findings.filter((f) => f.ruleId === "flood/entry");
    expect(entries).toHaveLength(10);
    expect(entries[0]).toMatchObject({ severity: "critical", message: "the worst entry" });
    expect(entries.find((f) => f.message === "entry 0")?.occurrences).toBe(4);
    expect(file.omittedFindings).toEqual({ "flood/entry": 20_000 - 10 + 1 });
    expect(file.findings.filter((f) => f.ruleId === "flood/other")).toHaveLength(1);
    expect(file.highestSeverity).toBe("critical");
  });

  it("keeps maxFindingsPerRule incomplete entries and counts the rest in a closing one: still incomplete", async () => {
    const report = await new AnalyzerTester({ plugins: [flood], limits: { maxFindingsPerRule: 10 } }).scan("f.bin", new TextEncoder().encode("FLOOD 20000"));
    const file = report.files[0]!;
    expect(file.status).toBe("incomplete");
    expect(file.incomplete).toHaveLength(11);
    expect(file.incomplete[0]).toEqual({ analyzer: "flood", reason: "member 0 not analysed" });
    expect(file.incomplete[10]!.reason).toBe("19990 more incomplete analyses not listed (maxFindingsPerRule 10)");
  });
});
