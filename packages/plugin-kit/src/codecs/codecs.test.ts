import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeBounded } from "../zip/decode.js";
import { bunzip2 } from "./bzip2.js";
import { unxz } from "./xz.js";

// Node has no bzip2/xz compressor: fixtures come from Debian's bzip2 and xz-utils (.ci/run installs them).
const compress = (tool: string, data: Uint8Array, args: string[] = []) => new Uint8Array(execFileSync(tool, ["-c", "-z", ...args], { input: data, maxBuffer: 1 << 30 }));

function pseudoRandom(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}

async function* pieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("streaming bzip2 and xz", () => {
  it("bzip2: several blocks fed in small pieces decode exactly, with input consumed as blocks complete", async () => {
    // 3 MB of incompressible bytes at -1 (100 kB blocks): about 30 blocks.
    const data = pseudoRandom(3_000_000);
    const packed = compress("bzip2", data, ["-1"]);
    const r = await decodeBounded(pieces(packed, 4096), bunzip2, { maxOutput: 1e9, keepUpTo: 1e9 });
    expect(r.error).toBeUndefined();
    expect(r.length).toBe(data.length);
    expect(Buffer.from(r.bytes!).equals(Buffer.from(data))).toBe(true);
    expect(r.consumed).toBeGreaterThan(packed.length - 64);
  });

  it("bzip2: concatenated streams decode as one, like bzip2 -d", async () => {
    const a = compress("bzip2", new TextEncoder().encode("first "));
    const b = compress("bzip2", new TextEncoder().encode("second"));
    const r = await decodeBounded(pieces(new Uint8Array([...a, ...b]), 7), bunzip2, { maxOutput: 1e6, keepUpTo: 1e6 });
    expect(new TextDecoder().decode(r.bytes)).toBe("first second");
  });

  it("bzip2: a corrupt stream is an error, not a silent end", async () => {
    const packed = compress("bzip2", pseudoRandom(200_000));
    const mid = packed.length >> 1;
    packed[mid] = packed[mid]! ^ 0xff;
    const r = await decodeBounded(pieces(packed, 1 << 16), bunzip2, { maxOutput: 1e9, keepUpTo: 0 });
    expect(r.error).toBeDefined();
  });

  it("xz: decodes in small pieces and meters the input it pulled", async () => {
    const data = pseudoRandom(1_000_000);
    const packed = compress("xz", data);
    const r = await decodeBounded(pieces(packed, 1000), unxz, { maxOutput: 1e9, keepUpTo: 1e9 });
    expect(r.error).toBeUndefined();
    expect(Buffer.from(r.bytes!).equals(Buffer.from(data))).toBe(true);
    expect(r.consumed).toBe(packed.length);
  });
});
