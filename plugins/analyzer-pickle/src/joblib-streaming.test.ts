import { execFileSync } from "node:child_process";
import { deflateSync, gzipSync } from "node:zlib";
import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

// A protocol-4 pickle opening a BINBYTES8 of `n` zero bytes, then STOP: harmless, and its
// compressed form is almost nothing but a run of zeros (a bomb shape).
function zeroBytesPickle(n: number): Uint8Array {
  const out = new Uint8Array(11 + n + 1);
  out.set([0x80, 4, 0x8e]);
  new DataView(out.buffer).setBigUint64(3, BigInt(n), true);
  out[out.length - 1] = 0x2e;
  return out;
}

describe("compressed joblib read as a bounded stream", () => {
  it("a gzip/zlib joblib bomb stops in its first megabytes: high, incomplete, the start analysed", async () => {
    const raw = zeroBytesPickle(128 * 1024 * 1024);
    for (const [name, packed] of [["bomb.pkl.gz", gzipSync(raw, { level: 9 })], ["bomb.joblib", deflateSync(raw, { level: 9 })]] as const) {
      const r = await scan(new Uint8Array(packed), name);
      expect(r.claimed).toBe("joblib");
      const bomb = findingsOf(r).find((f) => f.ruleId === "pickle/limit-exceeded");
      expect(bomb?.message, name).toMatch(/decompression bomb: its first \d+ compressed bytes expand/);
      expect(severityOf(bomb!)).toBe("high");
      const facts = r.recordings[0]!.facts.properties as Record<string, number>;
      expect(facts.decompressedBytes).toBeLessThan(8 * 1024 * 1024);
      expect(r.recordings[0]!.incomplete.some((i) => /decompression stopped/.test(i))).toBe(true);
    }
  });

  it("a corrupt compressed joblib is reported with what decoded still analysed", async () => {
    const raw = pickle().proto(2).callStr("os", "system", "echo cut").stop().toBytes();
    const packed = new Uint8Array(deflateSync(Buffer.concat([raw, Buffer.alloc(64 * 1024, 0x61)])));
    const r = await scan(packed.subarray(0, packed.length - 40), "model.joblib");
    const rules = findingsOf(r).map((f) => f.ruleId);
    expect(rules).toContain("pickle/malformed-stream");
    expect(rules).toContain("pickle/dangerous-global");
  });

  it("bz2 and xz joblibs are decoded as streams (multi-block bzip2 included)", async () => {
    // Debian's bzip2 and xz-utils make the fixtures (.ci/run installs them); -1 makes 100 kB bzip2 blocks.
    const padding = new Uint8Array(400_000).map((_, i) => (i * 2654435761) >>> 24);
    const raw = pickle().proto(4).raw(binbytes(padding)).raw([0x30]).callStr("os", "system", "echo late").stop().toBytes();
    for (const tool of ["bzip2", "xz"]) {
      const packed = new Uint8Array(execFileSync(tool, ["-c", "-z", "-1"], { input: raw }));
      const r = await scan(packed, "model.joblib");
      expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("echo late")), tool).toBe(true);
    }
  });
});

function binbytes(data: Uint8Array): number[] {
  const head = [0x42, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff, (data.length >>> 24) & 0xff];
  return [...head, ...data];
}
