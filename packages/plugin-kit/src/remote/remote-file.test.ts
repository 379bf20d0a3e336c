import { describe, expect, it } from "vitest";
import { remoteFile, type RangeFetcher } from "./remote-file.js";

function server(size: number) {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const calls: [number, number][] = [];
  const fetchRange: RangeFetcher = async (start, end) => {
    calls.push([start, end]);
    return bytes.slice(start, end);
  };
  return { bytes, calls, fetchRange };
}

describe("remoteFile", () => {
  it("rounds reads out to blocks, fetches a run of missing blocks in one request, and serves repeats from the cache", async () => {
    const s = server(10_000);
    const f = remoteFile({ path: "m.bin", size: 10_000, fetchRange: s.fetchRange, blockSize: 1000 });
    expect([...(await f.read(1500, 3500))]).toEqual([...s.bytes.slice(1500, 3500)]);
    expect(s.calls).toEqual([[1000, 4000]]);
    expect([...(await f.read(2000, 2100))]).toEqual([...s.bytes.slice(2000, 2100)]);
    expect(s.calls).toHaveLength(1);
    // Cached blocks 1–3 split the missing ones into two runs.
    await f.read(0, 6000);
    expect(s.calls.slice(1)).toEqual([[0, 1000], [4000, 6000]]);
    expect(f.bytesTransferred).toBe(6000);
    expect(f.requests).toBe(3);
  });

  it("clamps to the size, shares in-flight fetches, and evicts the least recently used blocks", async () => {
    const s = server(5_500);
    const f = remoteFile({ path: "m.bin", size: 5_500, fetchRange: s.fetchRange, blockSize: 1000, maxBlocks: 4 });
    const [a, b] = await Promise.all([f.read(5000, 9999), f.read(5100, 5200)]);
    expect(a).toHaveLength(500);
    expect(b).toHaveLength(100);
    expect(s.calls).toEqual([[5000, 5500]]);
    for (const at of [0, 1000, 2000, 3000]) await f.read(at, at + 1);
    await f.read(5000, 5001);
    expect(s.calls.at(-1)).toEqual([5000, 5500]);
  });

  it("sends a read wider than half the cache straight through, uncached, and streams in chunks", async () => {
    const s = server(100_000);
    const f = remoteFile({ path: "m.bin", size: 100_000, fetchRange: s.fetchRange, blockSize: 1000, maxBlocks: 8, streamChunk: 40_000 });
    await f.read(0, 50_000);
    await f.read(0, 50_000);
    expect(s.calls).toEqual([[0, 50_000], [0, 50_000]]);
    const chunks: Uint8Array[] = [];
    for await (const c of f.stream(10_000)) chunks.push(c);
    expect(chunks.map((c) => c.length)).toEqual([40_000, 40_000, 10_000]);
  });

  it("fails a read the server answered short, and retries it next time instead of caching the failure", async () => {
    let short = true;
    const f = remoteFile({
      path: "m.bin",
      size: 4000,
      blockSize: 1000,
      fetchRange: async (start, end) => new Uint8Array(short ? end - start - 1 : end - start),
    });
    await expect(f.read(0, 10)).rejects.toThrow(/returned 999 bytes for a 1000-byte range/);
    short = false;
    expect(await f.read(0, 10)).toHaveLength(10);
  });
});
