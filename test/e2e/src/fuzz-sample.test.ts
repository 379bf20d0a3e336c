import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types
import { fuzzInput, fuzzOne, fuzzScanner, fuzzSeeds } from "../../../scripts/fuzz/fuzz-core.mjs";

// A seeded sample of the fuzz campaign (scripts/fuzz-run.mjs runs the long ones): every format's generated
// fixture mutated, scanned in-process with every analyzer. No analyzer may throw, hang or reject the scan;
// then every input a campaign recorded (test/fuzz/regressions.json: seed and round regenerate it) is replayed.
type Seeds = Record<string, unknown[]>;
type Regression = { seed: number; round: number; formats: string[]; kind: string; detail: string };

const seeds: Seeds = fuzzSeeds();
const formats = Object.keys(seeds);
const regressions: Regression[] = JSON.parse(readFileSync(new URL("../../fuzz/regressions.json", import.meta.url), "utf8"));

describe("fuzz campaign sample", () => {
  it(`${formats.length * 6} mutated inputs over ${formats.length} formats: none throws, hangs or fails the scan`, async () => {
    expect(formats).toEqual(expect.arrayContaining(["pickle", "zip", "torch-zip", "tar", "gzip", "7z", "safetensors", "gguf", "onnx", "keras", "h5", "notebook"]));
    const scanner = await fuzzScanner();
    const failures: unknown[] = [];
    for (let round = 0; round < formats.length * 6; round++) {
      const input = fuzzInput(seeds, formats, 20261202, round);
      const result = await fuzzOne(scanner, input);
      if (result.kind) failures.push({ round, format: input.format, ...result });
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("every recorded regression input now holds", async () => {
    const scanner = await fuzzScanner();
    for (const r of regressions) {
      const result = await fuzzOne(scanner, fuzzInput(seeds, r.formats, r.seed, r.round));
      expect({ ...r, now: result.kind }).toMatchObject({ now: undefined });
    }
  }, 300_000);
});
