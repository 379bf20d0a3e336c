import { memoryFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { render } from "./render.js";
import { makeTuple, type PickleValue } from "./values.js";
import { runPickle } from "./vm.js";

const run = (bytes: Uint8Array, opts = {}) => runPickle(memoryFile("x.pkl", bytes), opts);

function tuple1Chain(n: number): Uint8Array {
  const b = new Uint8Array(n + 4).fill(0x85);
  b.set([0x80, 4, 0x4e], 0);
  b[n + 3] = 0x2e;
  return b;
}

describe("VM memory and time bounds (issue 18)", () => {
  it("a nested TUPLE1 chain stops at the object budget, not at the end of memory", async () => {
    const r = await run(tuple1Chain(300_000), { limits: { maxObjects: 50_000 } });
    expect(r.limitsHit.map((l) => l.limit)).toEqual(["maxObjects"]);
    // Stopped within an eighth of the budget past it, long before the end.
    expect(r.limitsHit[0]!.offset).toBeLessThan(50_000 + 50_000 / 8 + 10);
    expect(r.unanalysedBytes).toBeGreaterThan(200_000);
  });

  it("the same chain below the budget runs to STOP", async () => {
    const r = await run(tuple1Chain(20_000), { limits: { maxObjects: 50_000, maxNesting: 50_000 } });
    expect(r.limitsHit).toEqual([]);
    expect(r.streams[0]!.complete).toBe(true);
  });

  it("deep list nesting through the memo is counted (GET of the last list, appended into a new one)", async () => {
    const b = pickle().proto(2).emptyList().put(0);
    for (let i = 1; i < 20_000; i++) b.emptyList().get(i - 1).append().put(i).pop();
    const r = await run(b.none().stop().toBytes(), { limits: { maxObjects: 5_000 } });
    expect(r.limitsHit.map((l) => l.limit)).toEqual(["maxObjects"]);
  });

  it("nesting past maxNesting is a limit hit, built bottom-up (each new list holds the last)", async () => {
    const b = pickle().proto(2).emptyList().put(0);
    for (let i = 1; i < 12_000; i++) b.emptyList().get(i - 1).append().put(i).pop();
    const r = await run(b.none().stop().toBytes());
    expect(r.limitsHit.map((l) => l.limit)).toEqual(["maxNesting"]);
    expect(r.limitsHit[0]!.max).toBe(10_000);
  });

  it("nesting past maxNesting is a limit hit, built top-down (a new list appended into the last one)", async () => {
    const b = pickle().proto(2).emptyList().put(0).pop();
    for (let i = 1; i < 12_000; i++) b.get(i - 1).emptyList().put(i).append().pop();
    const r = await run(b.get(0).stop().toBytes());
    expect(r.limitsHit.map((l) => l.limit)).toEqual(["maxNesting"]);
  });

  it("nesting below maxNesting, shared children and a list holding itself are not limit hits", async () => {
    const b = pickle().proto(2).emptyList().put(0);
    for (let i = 1; i < 9_000; i++) b.emptyList().get(i - 1).append().get(i - 1).append().put(i).pop();
    b.pop().emptyList().put(90_000).get(90_000).append();
    const r = await run(b.stop().toBytes());
    expect(r.limitsHit).toEqual([]);
    expect(r.streams[0]!.complete).toBe(true);
  });

  it("a flat list of many small tuples keeps few objects alive and passes a small budget", async () => {
    const b = pickle().proto(2).emptyList();
    for (let i = 0; i < 20_000; i++) b.binInt(i).binInt(i).tupleN(2).append();
    const r = await run(b.stop().toBytes(), { limits: { maxObjects: 5_000 } });
    expect(r.limitsHit).toEqual([]);
  });

  it("LONG_BINPUT 0xFFFFFFFF is recorded: CPython would allocate a 64 GiB memo", async () => {
    const r = await run(new Uint8Array([0x80, 4, 0x4e, 0x72, 0xff, 0xff, 0xff, 0xff, 0x2e]));
    expect(r.hugeMemoIndex).toEqual({ index: 0xffffffff, offset: 3 });
    const ok = await run(new Uint8Array([0x80, 4, 0x4e, 0x72, 0xff, 0xff, 0, 0, 0x2e]));
    expect(ok.hugeMemoIndex).toBeUndefined();
  });

  it("a source that delivers fewer bytes than its size (a shrinking file) ends the run instead of looping", async () => {
    const payload = new Uint8Array(64).fill(0x4e);
    const size = 10_000_000;
    const shrinking = {
      name: "shrinking.pkl",
      size,
      read: async (start: number, end: number) => payload.slice(Math.min(start, 64), Math.min(end, 64)),
      async *stream() {
        yield payload;
      },
    };
    for (const resync of [true, false]) {
      const r = await runPickle(shrinking, { resync });
      expect(r.limitsHit.map((l) => l.limit)).toContain("source-changed");
    }
  });

  it("a junk span that shrinks during resync stops too", async () => {
    const junk = new Uint8Array(4096).fill(0xff);
    const src = {
      name: "junk.pkl",
      size: 1_000_000,
      read: async (start: number, end: number) => junk.slice(Math.min(start, junk.length), Math.min(end, junk.length)),
      async *stream() {
        yield junk;
      },
    };
    const r = await runPickle(src, {});
    expect(r.limitsHit.map((l) => l.limit)).toContain("source-changed");
  });

  it("rendering visits a bounded number of values however wide the value", () => {
    let v: PickleValue = "x";
    for (let i = 0; i < 12; i++) v = makeTuple([v, v, v, v, v, v]);
    const s = render(v, { maxDepth: 12, maxItems: 6, maxLength: 1_000_000, maxNodes: 100 });
    // 6^12 leaves without the budget; with it, at most ~100 values and their separators.
    expect(s.length).toBeLessThan(5_000);
    expect(s).toContain("…");
  });
});
