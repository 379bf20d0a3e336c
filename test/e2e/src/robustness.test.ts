import type { Plugin, Ruleset } from "@modelward/core";
import { AnalyzerTester, buildExamples, buildLegacyTorch, buildTorchZip } from "@modelward/testing";
import { recommendedConfig } from "modelward";
import { describe, expect, it } from "vitest";

// Every analyzer of the recommended preset, through the real engine, on hostile
// mutations of known-good inputs: nothing may throw out of a scan, hang, or leave
// a file without a status. Deterministic (seeded), so a failure reproduces.
const plugins = (recommendedConfig.plugins as Plugin[]).filter((p) => p.analyzers);
const tester = new AnalyzerTester({ plugins, rulesets: recommendedConfig.rulesets as Ruleset[], limits: { analyzerTimeoutMs: 10_000 } });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const kind = Math.floor(random() * 4);
  if (kind === 0 && out.length > 1) return out.subarray(0, Math.floor(random() * out.length)); // truncate
  if (kind === 1) {
    // Plausible-looking lengths: 0xff runs where sizes and counts live.
    const at = Math.floor(random() * out.length);
    out.fill(0xff, at, Math.min(out.length, at + 1 + Math.floor(random() * 8)));
    return out;
  }
  const flips = 1 + Math.floor(random() * 8);
  for (let i = 0; i < flips; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return out;
}

const seeds: [string, Uint8Array][] = [
  ...buildExamples().map((e): [string, Uint8Array] => [e.path, e.bytes]),
  ["model.pt", buildTorchZip()],
  ["legacy.bin", buildLegacyTorch()],
];

describe("every analyzer on mutated inputs", () => {
  it("never throws, hangs or loses a file (1,500 mutations)", async () => {
    const random = rng(Number(process.env.MODELWARD_FUZZ_SEED ?? 20261123));
    for (let round = 0; round < Number(process.env.MODELWARD_FUZZ_ROUNDS ?? 1500); round++) {
      const [name, original] = seeds[round % seeds.length]!;
      const bytes = mutate(original, random);
      const started = Date.now();
      const report = await tester.scan(name, bytes);
      expect(Date.now() - started, `${name} round ${round} finishes promptly`).toBeLessThan(10_000);
      const top = report.files.filter((f) => f.members.length === 0);
      expect(top, `${name} round ${round} has its report entry`).toHaveLength(1);
      for (const f of report.files) {
        expect(["scanned", "incomplete", "skipped"]).toContain(f.status);
        // An analyzer crash shows up as "threw: …"; analyzers must turn bad input into findings instead.
        for (const inc of f.incomplete) expect(inc.reason, `${name} round ${round}`).not.toMatch(/^threw: /);
      }
    }
  });
});
