import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeBounded } from "../zip/decode.js";
import { unxz } from "./xz.js";

// Fixtures: Debian's xz-utils and Python's lzma module write SHA-256-checked streams (Node has no xz encoder).
const xz = (data: Uint8Array, args: string[]) => new Uint8Array(execFileSync("xz", ["-c", "-z", ...args], { input: data, maxBuffer: 1 << 30 }));
const pythonLzma = (data: Uint8Array) =>
  new Uint8Array(
    execFileSync("/usr/bin/python3", ["-c", "import lzma, sys; sys.stdout.buffer.write(lzma.compress(sys.stdin.buffer.read(), check=lzma.CHECK_SHA256))"], {
      input: data,
      maxBuffer: 1 << 30,
    }),
  );

function pseudoRandom(n: number, seed = 11): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}
// Half random, half repetitive: both LZMA and uncompressed LZMA2 chunks.
const mixed = (n: number) => {
  const out = pseudoRandom(n);
  for (let i = n >> 1; i < n; i++) out[i] = i % 251;
  return out;
};

async function* pieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
const decode = (packed: Uint8Array, piece = 4096) => decodeBounded(pieces(packed, piece), unxz, { maxOutput: 1e9, keepUpTo: 1e9 });
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

/** Offset of the last block's check in a one-stream file: just before the index the footer points back to. */
function lastCheckOffset(packed: Uint8Array): number {
  const backward = (new DataView(packed.buffer, packed.byteOffset).getUint32(packed.length - 8, true) + 1) * 4;
  return packed.length - 12 - backward - 32;
}

describe("xz streams checked with SHA-256", () => {
  it("decode what Python's lzma.compress(check=CHECK_SHA256) wrote", async () => {
    const data = mixed(300_000);
    const packed = pythonLzma(data);
    expect(packed[7]).toBe(0x0a); // the stream header names SHA-256
    const r = await decode(packed);
    expect(r.error).toBeUndefined();
    expect(same(r.bytes, data)).toBe(true);
    expect(r.consumed).toBe(packed.length);
  });

  it("decode several blocks fed in odd small pieces", async () => {
    const data = mixed(1_000_000);
    const packed = xz(data, ["--check=sha256", "--block-size=100000", "-1"]);
    for (const piece of [7, 1000, 1 << 20]) {
      const r = await decode(packed, piece);
      expect(r.error).toBeUndefined();
      expect(same(r.bytes, data)).toBe(true);
    }
  });

  it("decode an empty stream, and concatenated streams with stream padding and mixed checks, like xz -d", async () => {
    const empty = await decode(xz(new Uint8Array(0), ["--check=sha256"]));
    expect(empty.error).toBeUndefined();
    expect(empty.length).toBe(0);
    const enc = new TextEncoder();
    const a = xz(enc.encode("first "), ["--check=sha256"]);
    const b = xz(enc.encode("second "), ["--check=crc64"]);
    const c = xz(enc.encode("third"), ["--check=sha256"]);
    const r = await decode(new Uint8Array([...a, 0, 0, 0, 0, ...b, ...c, 0, 0, 0, 0]), 5);
    expect(r.error).toBeUndefined();
    expect(new TextDecoder().decode(r.bytes)).toBe("first second third");
  });

  it("refuse a block whose output does not match its SHA-256", async () => {
    const data = mixed(200_000);
    const packed = xz(data, ["--check=sha256"]);
    expect((await decode(packed)).error).toBeUndefined();
    const at = lastCheckOffset(packed);
    packed[at] = packed[at]! ^ 0x01;
    const r = await decode(packed);
    expect(r.error).toMatch(/SHA-256 mismatch/);
  });

  it("refuse corrupt compressed data, a truncated stream and a stream padding that is not zero", async () => {
    const data = mixed(200_000);
    const packed = xz(data, ["--check=sha256"]);
    const corrupt = packed.slice();
    corrupt[packed.length >> 2] = corrupt[packed.length >> 2]! ^ 0xff;
    expect((await decode(corrupt)).error).toBeDefined();
    for (const cut of [10, 100, packed.length >> 1, packed.length - 20, packed.length - 1]) {
      expect((await decode(packed.subarray(0, cut))).error, `cut at ${cut}`).toBeDefined();
    }
    expect((await decode(new Uint8Array([...packed, 0, 0, 1, 0]))).error).toBeDefined();
  });

  it("refuse an index that disagrees with the blocks", async () => {
    const packed = xz(new TextEncoder().encode("x".repeat(1000)), ["--check=sha256"]);
    const indexAt = lastCheckOffset(packed) + 32;
    expect(packed[indexAt]).toBe(0x00); // index indicator
    const wrong = packed.slice();
    wrong[indexAt + 1] = 2; // record count
    expect((await decode(wrong)).error).toMatch(/index/);
  });
});
