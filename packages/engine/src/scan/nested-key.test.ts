import { describe, expect, it } from "vitest";
import { AnalyzerTester, allFindings } from "@modelward/testing";
import { definePlugin, type Analyzer, type NestedArtifact } from "@modelward/core";
import { bytes, examplePlugin } from "./example-plugin.fixture.js";

const enc = new TextEncoder();
const member = (name: string, content: string, extra: { key?: string; rawData?: string } = {}): NestedArtifact => {
  const b = enc.encode(content);
  return { name, size: b.length, read: async (s, e) => b.slice(s, e), stream: async function* () { yield b; }, ...extra };
};

/** Two container analyzers of `PAIR` files that both hand the members `m1` (MARK) and `m2` (MARK), keyed as given. */
function pairAnalyzer(id: string, hands: { name: string; key?: string; rawData?: string }[]): Analyzer {
  return {
    id,
    version: 1,
    description: id,
    formats: [],
    rules: [],
    match: (_f, head) => new TextDecoder().decode(head.subarray(0, 4)) === "PAIR",
    async analyze(_file, ctx) {
      for (const h of hands) await ctx.scanNested(member(h.name, "MARK", h));
    },
  };
}

const scan = (first: Analyzer, second: Analyzer) =>
  new AnalyzerTester({ plugins: [examplePlugin, definePlugin({ apiVersion: 1, meta: { name: "pair", version: "0.0.0", namespace: "pair" }, analyzers: { [first.id]: first, [second.id]: second } })] }).scan("c.pair", bytes("PAIR"));

const memberRecords = (r: Awaited<ReturnType<typeof scan>>, name: string) => r.files.filter((f) => f.members.at(-1) === name);

describe("members handed by two analyzers of one container (NestedArtifact.key)", () => {
  it("analyzes a member handed under the same name and key once", async () => {
    const r = await scan(pairAnalyzer("first", [{ name: "m1", key: "at@1" }]), pairAnalyzer("second", [{ name: "m1", key: "at@1" }]));
    expect(memberRecords(r, "m1").length).toBe(1);
    expect(allFindings(r).length).toBe(1);
  });

  it("analyzes every hand without a key, or with different keys (two zip entries of one name)", async () => {
    const r = await scan(pairAnalyzer("first", [{ name: "m1" }, { name: "m2", key: "at@1" }]), pairAnalyzer("second", [{ name: "m1" }, { name: "m2", key: "at@2" }]));
    expect(memberRecords(r, "m1").length).toBe(2);
    expect(memberRecords(r, "m2").length).toBe(2);
  });

  it("analyzes an analyzer's own repeated hands (its container holds the name twice)", async () => {
    const r = await scan(pairAnalyzer("first", [{ name: "m1", key: "at@1" }, { name: "m1", key: "at@1" }]), pairAnalyzer("second", []));
    expect(memberRecords(r, "m1").length).toBe(2);
  });

  it("records raw data as skipped with its reason, never sniffed, and a later hand of it is a no-op", async () => {
    const r = await scan(pairAnalyzer("first", [{ name: "m1", key: "at@1", rawData: "tensor storage" }]), pairAnalyzer("second", [{ name: "m1", key: "at@1" }]));
    const records = memberRecords(r, "m1");
    expect(records.length).toBe(1);
    expect(records[0]).toMatchObject({ status: "skipped", skipReason: "raw data, never parsed by its loader: tensor storage", bytesRead: 0 });
    expect(allFindings(r)).toEqual([]);
  });
});
