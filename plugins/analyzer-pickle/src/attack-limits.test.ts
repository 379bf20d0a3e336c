import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

function limitFindings(r: Awaited<ReturnType<typeof scan>>) {
  return findingsOf(r).filter((f) => f.ruleId === "pickle/limit-exceeded" || f.ruleId === "pickle/expansion-attack").map((f) => [f.ruleId, severityOf(f), f.message]);
}

describe("limits that fire on an attack are high (issue 8 item 8, issue 18)", () => {
  it("a MARK flood is high and incomplete", async () => {
    const b = pickle().proto(2);
    for (let i = 0; i <= 100_000; i++) b.mark();
    const r = await scan(b.stop().toBytes());
    expect(limitFindings(r)).toEqual([["pickle/limit-exceeded", "high", expect.stringContaining("maxMarks")]]);
    expect(r.recordings[0]!.incomplete.some((x) => x.includes("maxMarks"))).toBe(true);
  });

  it("a 2 M-deep nested TUPLE1 chain ends at the object budget: high and incomplete", async () => {
    const n = 2_000_000;
    const bytes = new Uint8Array(n + 4).fill(0x85);
    bytes.set([0x80, 4, 0x4e], 0);
    bytes[n + 3] = 0x2e;
    const r = await scan(bytes, "chain.pkl");
    expect(limitFindings(r)).toEqual([["pickle/limit-exceeded", "high", expect.stringContaining("maxObjects")]]);
    expect(r.recordings[0]!.incomplete.some((x) => x.includes("maxObjects"))).toBe(true);
  });

  it("lists nested past maxNesting through the memo are high and incomplete", async () => {
    const b = pickle().proto(2).emptyList().put(0);
    for (let i = 1; i < 12_000; i++) b.emptyList().get(i - 1).append().put(i).pop();
    const r = await scan(b.stop().toBytes(), "nested.pkl");
    expect(limitFindings(r)).toEqual([["pickle/limit-exceeded", "high", expect.stringContaining("maxNesting")]]);
    expect(r.recordings[0]!.incomplete.some((x) => x.includes("maxNesting"))).toBe(true);
  });

  it("thousands of distinct globals are a high flood finding; a few hundred are not", async () => {
    const flood = (n: number) => {
      const b = pickle().proto(2).mark();
      for (let i = 0; i < n; i++) b.global(`mod${i}`, `name${i}`);
      return b.list().stop().toBytes();
    };
    const r = await scan(flood(5_000), "globals.pkl");
    expect(limitFindings(r)).toEqual([["pickle/limit-exceeded", "high", expect.stringContaining("5000 distinct globals")]]);
    expect(limitFindings(await scan(flood(300), "globals.pkl"))).toEqual([]);
  });

  it("LONG_BINPUT 0xFFFFFFFF is a high expansion finding; a small index is not", async () => {
    const r = await scan(new Uint8Array([0x80, 4, 0x4e, 0x72, 0xff, 0xff, 0xff, 0xff, 0x2e]), "memo.pkl");
    expect(limitFindings(r)).toEqual([["pickle/expansion-attack", "high", expect.stringContaining("memo index 4294967295")]]);
    const ok = await scan(new Uint8Array([0x80, 4, 0x4e, 0x72, 0x10, 0, 0, 0, 0x2e]), "memo.pkl");
    expect(limitFindings(ok)).toEqual([]);
  });

  it("the opcode budget (a big honest pickle can reach it) stays medium", async () => {
    const b = pickle().proto(2).emptyList();
    for (let i = 0; i < 200; i++) b.binInt(i).append();
    const { recordingContext, memoryFile } = await import("@modelward/testing");
    const { pickleAnalyzer } = await import("./pickle-analyzer.js");
    const defaultRuleset = (await import("@modelward/ruleset-default")).default;
    const { ctx, recording } = recordingContext({ options: { limits: { maxOpcodes: 50 } }, policies: { pickle: [defaultRuleset.policies!.pickle] } });
    await pickleAnalyzer.analyze(memoryFile("big.pkl", b.stop().toBytes()), ctx);
    expect(recording.findings.map((f) => [f.ruleId, f.severity ?? "medium"])).toEqual([["pickle/limit-exceeded", "medium"]]);
  });
});
