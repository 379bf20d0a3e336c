import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inflateRaw, type DecodeFn } from "./decode.js";
import { bytesSource, crcTrackingWindow, decodedSource, windowSource } from "./sources.js";
import { crc32 } from "./crc32.js";

const content = new Uint8Array(5 * 1024 * 1024 + 123).map((_, i) => (i * 31 + (i >> 12)) & 0xff);
const compressed = new Uint8Array(deflateRawSync(content));

function counted(): { decode: DecodeFn; passes: () => number } {
  let passes = 0;
  return {
    decode: (encoded) => {
      passes++;
      return inflateRaw(encoded);
    },
    passes: () => passes,
  };
}

describe("decodedSource", () => {
  it("serves random reads correctly and forward reads in one decoding pass", async () => {
    const { decode, passes } = counted();
    const src = decodedSource({ encoded: () => bytesSource(compressed).stream(), decode, size: content.length, maxReadBytes: 1 << 30 });
    const same = async (s: number, e: number) => expect(Array.from(await src.read(s, e))).toEqual(Array.from(content.subarray(s, e)));
    await same(0, 4096);
    await same(1_500_000, 1_600_000);
    await same(content.length - 4096, content.length);
    expect(passes()).toBe(1);
    // Back to blocks that were read before: cached, no new pass.
    await same(100, 200);
    await same(1_500_010, 1_500_020);
    expect(passes()).toBe(1);
    // A block never read before the decoder's position: one restart.
    await same(3_000_000, 3_000_100);
    expect(passes()).toBe(2);
    let crc = 0;
    let n = 0;
    for await (const chunk of src.stream()) {
      crc = crc32(chunk, crc);
      n += chunk.length;
    }
    expect(n).toBe(content.length);
    expect(crc).toBe(crc32(content));
  });

  it("keeps memory to its cache: reads going back past it restart", async () => {
    const { decode, passes } = counted();
    const src = decodedSource({ encoded: () => bytesSource(compressed).stream(), decode, size: content.length, maxReadBytes: 1 << 30, cacheBytes: 1 << 20 });
    await src.read(0, 10);
    await src.read(4_000_000, 4_000_010);
    expect(passes()).toBe(1);
    expect(Array.from(await src.read(0, 10))).toEqual(Array.from(content.subarray(0, 10)));
    expect(passes()).toBe(2);
  });

  it("refuses reads above maxReadBytes and clamps to the size", async () => {
    const src = decodedSource({ encoded: () => bytesSource(compressed).stream(), decode: inflateRaw, size: 1000, maxReadBytes: 100 });
    await expect(src.read(0, 1000)).rejects.toThrow(/exceeds/);
    expect((await src.read(990, 5000)).length).toBe(10);
  });
});

describe("windowSource and crcTrackingWindow", () => {
  it("translate reads to the parent and track the CRC of what was read in order", async () => {
    const parent = bytesSource(content);
    const w = windowSource(parent, 1000, 50);
    expect(Array.from(await w.read(10, 20))).toEqual(Array.from(content.subarray(1010, 1020)));
    expect((await w.read(40, 1000)).length).toBe(10);
    const t = crcTrackingWindow(parent, 0, 10_000);
    await t.source.read(0, 100);
    await t.source.read(50, 200);
    await t.source.read(5000, 6000);
    expect(t.covered).toBe(200);
    expect(await t.complete(100)).toBeUndefined();
    expect(await t.complete(1 << 20)).toBe(crc32(content.subarray(0, 10_000)));
  });
});
