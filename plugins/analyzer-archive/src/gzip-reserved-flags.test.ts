import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { memoryFile, recordingContext } from "@modelward/testing";
import { wrapperHandler } from "./wrapper-handler.js";

// Issue 9.11: Python's gzip module (gzip.open, joblib) ignores the reserved FLG bits of a gzip header; zlib
// and GNU gzip refuse them. A payload behind them must be read as Python reads it, and the bits reported.
const PICKLE = new Uint8Array([0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nX\x0c\x00\x00\x00echo flagged\x85R.")]);

function withReservedBits(bytes: Uint8Array, bits: number): Uint8Array {
  const out = bytes.slice();
  out[3]! |= bits;
  return out;
}

async function scan(name: string, bytes: Uint8Array) {
  const { ctx, recording } = recordingContext({});
  const file = memoryFile(name, bytes);
  const claimed = wrapperHandler.match(file, bytes.subarray(0, 4096), new Uint8Array(0));
  if (claimed) await wrapperHandler.analyze(file, ctx);
  return { claimed, recording };
}

describe("gzip with reserved header flag bits", () => {
  it("is read as Python reads it: the member is handed on whole, the bits reported low", async () => {
    for (const bits of [0x20, 0x40, 0x80, 0xe0]) {
      const { claimed, recording } = await scan("model.pkl.gz", withReservedBits(new Uint8Array(gzipSync(PICKLE)), bits));
      expect(claimed, `bits ${bits}`).toBe(true);
      expect(recording.nested.map((n) => n.name)).toEqual(["model.pkl"]);
      expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));
      expect(recording.incomplete).toEqual([]);
      const f = recording.findings.filter((x) => x.ruleId === "archive/malformed");
      expect(f.map((x) => x.severity)).toEqual(["low"]);
      expect(f[0]!.message).toContain(`0x${bits.toString(16)}`);
    }
  });

  it("a plain gzip has no such finding", async () => {
    const { recording } = await scan("model.pkl.gz", new Uint8Array(gzipSync(PICKLE)));
    expect(recording.findings).toEqual([]);
    expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));
  });

  it("a file that only starts with the gzip magic and is not deflate stays unclaimed", async () => {
    const { claimed } = await scan("x.gz", new Uint8Array([0x1f, 0x8b, 0x07, 0xe0, 0, 0, 0, 0, 0, 3]));
    expect(claimed).toBe(false);
  });
});
