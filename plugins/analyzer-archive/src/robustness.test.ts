import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTar, buildZip, memoryFile, recordingContext } from "@modelward/testing";
import { archiveAnalyzer } from "./archive-analyzer.js";

// Deterministic PRNG (mulberry32) so a failure is reproducible from its seed.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const samples: Record<string, Uint8Array> = {
  zip: buildZip(
    [
      { name: "a.txt", data: "hello ".repeat(50), method: "deflate" },
      { name: "dir/b.pkl", data: new Uint8Array([0x80, 2, 0x4b, 1, 0x2e]) },
      { name: "c.bin", data: "x".repeat(300), dataDescriptor: true, method: "deflate" },
      { name: "z64", data: "zip64", zip64: true },
    ],
    { zip64: true, comment: "comment" },
  ),
  tar: buildTar([{ name: "a.txt", data: "hello" }, { name: `${"long/".repeat(30)}b`, data: "b".repeat(700) }, { name: "l", type: "symlink", linkName: "a.txt" }], { format: "pax" }),
  gzip: new Uint8Array(gzipSync(buildTar([{ name: "a", data: "abc".repeat(100) }]))),
};

describe("archive analyzer on mutated input", () => {
  for (const [kind, original] of Object.entries(samples)) {
    it(`never throws on 300 mutations of a ${kind} and keeps every member within the expansion budget`, async () => {
      const random = rng(kind.length * 7919);
      for (let round = 0; round < 300; round++) {
        const bytes = original.slice();
        const flips = 1 + Math.floor(random() * 6);
        for (let i = 0; i < flips; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        const cut = random() < 0.2 ? Math.floor(random() * bytes.length) : bytes.length;
        const input = bytes.subarray(0, cut);
        const { ctx, recording } = recordingContext({ limits: { maxExpandedBytes: 1 << 20 } });
        const file = memoryFile(`m.${kind}`, input);
        await expect(archiveAnalyzer.analyze(file, ctx), `round ${round}`).resolves.toBeUndefined();
        for (const n of recording.nested) expect(n.bytes.length).toBeLessThanOrEqual(1 << 20);
      }
    });
  }
});
