import { definePlugin, type ModelFile, type Plugin, type Ruleset, type Source } from "@modelward/core";
import { createScanner, resolveConfig } from "@modelward/engine";
import { buildExamples, buildTorchZip, buildZip, memoryFile } from "@modelward/testing";
import { recommendedConfig } from "modelward";
import { describe, expect, it } from "vitest";

// A file cut short while it is scanned (issue 18: a zip truncated mid-scan passed with 95,757 members
// skipped). The source lists the whole size; after `whole` reads every read sees the file cut at `cutAt`.
// Whatever read the cut hits, the report says the file is incomplete and the scan fails: never a crash
// (no "threw") and never a pass, through every analyzer of the recommended preset.
function cutFile(path: string, bytes: Uint8Array, whole: number, cutAt: number): ModelFile {
  let reads = 0;
  const base = memoryFile(path, bytes);
  return {
    ...base,
    read: async (s, e) => bytes.slice(s, Math.min(e, reads++ < whole ? bytes.length : cutAt)),
    async *stream(start = 0, end = bytes.length) {
      const limit = reads++ < whole ? bytes.length : cutAt;
      if (start < Math.min(end, limit)) yield bytes.slice(start, Math.min(end, limit));
    },
  };
}

async function scanCut(file: ModelFile) {
  const source: Source = {
    id: "cut",
    description: "one file cut while it is read",
    schemes: ["cut://"],
    async open(target) {
      return { description: { uri: target, input: target, source: "cut" }, files: async function* () { yield file; }, close: async () => {} };
    },
  };
  const plugins = [definePlugin({ apiVersion: 1, meta: { name: "cut", version: "1.0.0", namespace: "cut" }, sources: { cut: source } }), ...(recommendedConfig.plugins as Plugin[]).filter((p) => p.analyzers)];
  const config = await resolveConfig([{ config: { plugins, rulesets: recommendedConfig.rulesets as Ruleset[], reporters: [] }, file: "<test>", baseDir: process.cwd() }]);
  return createScanner(config, "0.0.0-test").scan(["cut://t"]);
}

const pickle = buildExamples().find((e) => e.path === "benign/weights.pkl")!.bytes;
const tensors = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`layer${i}.weight`, { shape: [64] }]));
const archives: [string, Uint8Array][] = [
  ["model.pt", buildTorchZip({ tensors })],
  ["bundle.zip", buildZip(Array.from({ length: 200 }, (_, i) => ({ name: `m/${i}.pkl`, data: pickle, method: "deflate" as const })))],
];

describe("a zip cut while it is scanned", () => {
  for (const [name, bytes] of archives)
    for (const whole of [0, 1, 2, 3, 5, 8])
      for (const cutAt of [0, 100, Math.floor(bytes.length / 2)])
        it(`${name}: cut at ${cutAt} after ${whole} whole reads is incomplete and fails`, async () => {
          const report = await scanCut(cutFile(name, bytes, whole, cutAt));
          const top = report.files.find((f) => f.members.length === 0)!;
          expect(top.status, JSON.stringify(top.incomplete)).toBe("incomplete");
          expect(top.incomplete.some((i) => /shrank while it was read/.test(i.reason))).toBe(true);
          expect(report.summary.failed).toBe(true);
          for (const f of report.files) for (const i of f.incomplete) expect(i.reason, JSON.stringify([f.path, f.members, i])).not.toMatch(/^threw: /);
        });
});
