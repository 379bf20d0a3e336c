import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeBounded } from "../zip/decode.js";
import { LZMA_MAX_WINDOW, parseLzmaAloneHeader, unlzma } from "./lzma.js";

// Node has no LZMA encoder: streams come from Debian's xz-utils (`xz --format=lzma` writes the same
// LZMA-alone container as Python's lzma.FORMAT_ALONE, which joblib uses; .ci/run installs xz-utils).
const lzma = (data: Uint8Array, args: string[] = []) => new Uint8Array(execFileSync("xz", ["-c", "-z", "--format=lzma", ...args], { input: data, maxBuffer: 1 << 30 }));

function pseudoRandom(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}
// Text-like data with long repeats (matches, rep matches, long lengths and distances).
function repetitive(n: number): Uint8Array {
  const words = ["tensor", "weight", "bias", "layer", "numpy", "ndarray", "\n", " ", "0123456789", "sklearn.tree._tree.Tree"];
  const out = new Uint8Array(n);
  let x = 11;
  for (let i = 0; i < n; ) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const w = new TextEncoder().encode(words[x % words.length]!);
    for (const b of w) if (i < n) out[i++] = b;
  }
  return out;
}

async function* pieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
const decode = (packed: Uint8Array, piece = 1000, maxOutput = 1e9) => decodeBounded(pieces(packed, piece), unlzma, { maxOutput, keepUpTo: 1e9 });
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe("LZMA-alone decoder", () => {
  it("decodes text with long matches, random bytes and the empty stream exactly, fed in small pieces", async () => {
    for (const data of [repetitive(1_000_000), pseudoRandom(200_000), new Uint8Array(0), new TextEncoder().encode("x")]) {
      const r = await decode(lzma(data), 777);
      expect(r.error).toBeUndefined();
      expect(r.length).toBe(data.length);
      expect(same(r.bytes, data)).toBe(true);
    }
  });

  it("decodes every preset and lc/lp/pb setting xz writes", async () => {
    const data = repetitive(200_000);
    for (const args of [["-0"], ["-9"], ["-e", "-6"], ["--lzma1=preset=6,lc=0,lp=2,pb=0"], ["--lzma1=preset=1,lc=4,lp=0,pb=4,mf=hc4"], ["--lzma1=preset=6,lc=1,lp=3,pb=1"]]) {
      const r = await decode(lzma(data, args));
      expect(r.error, args.join(" ")).toBeUndefined();
      expect(same(r.bytes, data), args.join(" ")).toBe(true);
    }
  });

  it("reads the header: properties, dictionary size, unknown size", () => {
    const h = parseLzmaAloneHeader(lzma(new Uint8Array(10)));
    expect(h).toMatchObject({ lc: 3, lp: 0, pb: 2, unpackSize: undefined });
    expect(parseLzmaAloneHeader(new Uint8Array([225, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toMatch(/properties/);
  });

  it("a truncated or corrupted stream is an error, never a silent end", async () => {
    const packed = lzma(repetitive(500_000));
    const truncated = await decode(packed.subarray(0, packed.length >> 1));
    expect(truncated.error).toBeDefined();
    const corrupt = packed.slice();
    for (let i = 100; i < corrupt.length - 20; i += 97) corrupt[i] = corrupt[i]! ^ 0x5a;
    expect((await decode(corrupt)).error).toBeDefined();
  });

  it("concatenated streams decode as one and trailing bytes are ignored, as Python's LZMAFile does", async () => {
    const a = lzma(new TextEncoder().encode("first "));
    const b = lzma(new TextEncoder().encode("second"));
    const r = await decode(new Uint8Array([...a, ...b, 0xff, 0xff, 0xff, 0xff]), 5);
    expect(new TextDecoder().decode(r.bytes)).toBe("first second");
  });

  it("stops early when the consumer has enough, having read only part of the input (bounded work)", async () => {
    const data = repetitive(2_000_000);
    const packed = lzma(data);
    const r = await decode(packed, 4096, 100_000);
    expect(r.overflow).toBe(true);
    expect(r.consumed).toBeLessThan(packed.length / 2);
  });

  it("a match further back than the header's dictionary size is refused (the window is sized by it)", async () => {
    // Random blocks repeated 100 kB apart: the encoder uses matches that far back.
    const block = pseudoRandom(100_000);
    const data = new Uint8Array([...block, ...block, ...block]);
    const packed = lzma(data, ["-6"]);
    expect(same((await decode(packed)).bytes, data)).toBe(true);
    new DataView(packed.buffer, packed.byteOffset).setUint32(1, 4096, true);
    expect((await decode(packed)).error).toMatch(/LZMA match/);
    expect(LZMA_MAX_WINDOW).toBe(64 * 1024 * 1024);
  });
});
