import { buildTorchZip, incompleteReasons } from "@modelward/testing";
import picklePlugin from "@modelward/analyzer-pickle";
import { defaultRuleset } from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import pytorchPlugin from "./index.js";
import { payloadP0, payloadP4 } from "./test-fixtures.js";
import { findingsLike, lines, tester } from "./test-support.js";

// Issue 9.3: torch maps the storages data.pkl references as numbers and never unpickles them,
// so half-precision values that start like PROTO (`80 3f` is bf16 1.0, "PROTO 63"; `80 02` is
// fp16 3.8e-5, "PROTO 2") are raw data, not pickles. Members nothing references are still sniffed.

/** `count` half-precision elements, every one `lo hi` (little endian). */
function halves(count: number, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(count * 2);
  for (let i = 0; i < out.length; i += 2) {
    out[i] = lo;
    out[i + 1] = hi;
  }
  return out;
}

const HALF_HEADS: [string, number, number][] = [
  ["bf16 1.0 (80 3f)", 0x80, 0x3f],
  ["fp16 3.8e-5 (80 02)", 0x80, 0x02],
  ["fp16 (80 05)", 0x80, 0x05],
  ["fp16 (80 04)", 0x80, 0x04],
];

function halfCheckpoint(lo: number, hi: number): Uint8Array {
  return buildTorchZip({
    tensors: { "w.weight": { storageType: "BFloat16Storage", shape: [64, 4] }, "w.bias": { storageType: "HalfStorage", shape: [64] } },
    storageData: { "0": halves(256, lo, hi), "1": halves(64, lo, hi) },
  });
}

describe("raw tensor storages are not sniffed as pickles (issue 9.3)", () => {
  for (const [label, lo, hi] of HALF_HEADS) {
    it(`a checkpoint whose half-precision storages start ${label} raises nothing and is complete`, async () => {
      const report = await tester.scan("model.pt", halfCheckpoint(lo, hi));
      expect(allFindings(report).filter((f) => f.severity !== "info"), lines(report)).toEqual([]);
      expect(incompleteReasons(report)).toEqual([]);
      const storages = report.files.filter((f) => /^archive\/data\/\d+$/.test(f.members.at(-1) ?? ""));
      expect(storages.map((f) => f.skipReason)).toEqual([expect.stringContaining("raw data"), expect.stringContaining("raw data")]);
      // Raw data is never read for sniffing.
      expect(storages.every((f) => f.bytesRead === 0)).toBe(true);
    });
  }

  it("sizes of raw storages are still checked against dtype × numel", async () => {
    const bytes = buildTorchZip({ tensors: { w: { storageType: "BFloat16Storage", shape: [64] } }, storageData: { "0": halves(32, 0x80, 0x3f) } });
    const report = await tester.scan("model.pt", bytes);
    expect(findingsLike(report, { ruleId: "pytorch/storage-size-mismatch", severity: "high" }).length, lines(report)).toBe(1);
    expect(findingsLike(report, { ruleId: "pickle/malformed-stream" })).toEqual([]);
  });

  it("an unreferenced data/99 holding a pickle is still found, beside raw storages starting 80 3f", async () => {
    const bytes = buildTorchZip({
      tensors: { w: { storageType: "BFloat16Storage", shape: [64] } },
      storageData: { "0": halves(64, 0x80, 0x3f) },
      extraEntries: [{ name: "archive/data/99", data: payloadP4() }],
    });
    const report = await tester.scan("model.pt", bytes);
    expect(findingsLike(report, { ruleId: "pytorch/hidden-pickle", message: "an unreferenced storage" }).length, lines(report)).toBe(1);
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "critical", members: ["archive/data/99"] }).length, lines(report)).toBe(1);
    expect(allFindings(report).filter((f) => f.location.members.at(-1) === "archive/data/0")).toEqual([]);
  });

  it("a referenced storage that holds a real pickle (an import of identifier names) is still a hidden pickle, analyzed once", async () => {
    for (const payload of [payloadP4(), Uint8Array.from([...payloadP0(), ...new Uint8Array(256 - payloadP0().length)])]) {
      const bytes = buildTorchZip({ tensors: { w: { shape: [64] } }, storageData: { "0": Uint8Array.from([...payload, ...new Uint8Array(256 - payload.length)]) } });
      const report = await tester.scan("model.pt", bytes);
      expect(findingsLike(report, { ruleId: "pytorch/hidden-pickle", message: "a tensor storage" }).length, lines(report)).toBe(1);
      const dangerous = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "critical", members: ["archive/data/0"] });
      expect(dangerous.length, lines(report)).toBe(1);
      expect(report.files.filter((f) => f.members.at(-1) === "archive/data/0").length).toBe(1);
    }
  });
});

describe("the PyTorch analyzer hands its pickles on itself (issue 9.10)", () => {
  const withoutArchive = new AnalyzerTester({ plugins: [pytorchPlugin, picklePlugin], rulesets: [defaultRuleset] });

  it("without the archive analyzer, a payload in data.pkl is still found, and raw storages stay quiet", async () => {
    const bytes = buildTorchZip({ dataPkl: payloadP4(), storageData: {} });
    const report = await withoutArchive.scan("model.pt", bytes);
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "critical", members: ["archive/data.pkl"] }).length, lines(report)).toBe(1);
  });

  it("without the archive analyzer, a benign half-precision checkpoint raises nothing", async () => {
    const report = await withoutArchive.scan("model.pt", halfCheckpoint(0x80, 0x3f));
    expect(allFindings(report).filter((f) => f.severity !== "info"), lines(report)).toEqual([]);
    expect(report.files.find((f) => f.members.at(-1) === "archive/data.pkl")?.analyzers).toContain("pickle");
  });

  it("with both analyzers, data.pkl is analyzed once (one record, one finding)", async () => {
    const report = await tester.scan("model.pt", buildTorchZip({ dataPkl: payloadP4(), storageData: {} }));
    expect(report.files.filter((f) => f.members.at(-1) === "archive/data.pkl").length).toBe(1);
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", members: ["archive/data.pkl"] }).map((f) => f.occurrences)).toEqual([1]);
  });

  it("a zip with two entries named data.pkl still gets both analyzed (the key tells them apart)", async () => {
    const bytes = buildTorchZip({ extraEntries: [{ name: "archive/data.pkl", data: payloadP4() }] });
    const report = await tester.scan("model.pt", bytes);
    expect(report.files.filter((f) => f.members.at(-1) === "archive/data.pkl").length, lines(report)).toBe(2);
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "critical", members: ["archive/data.pkl"] }).length, lines(report)).toBe(1);
  });
});
