import { describe, expect, it } from "vitest";
import { JsonStream, JsonStreamError } from "./json-stream.js";

const te = new TextEncoder();

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

function stream(text: string, size = 1 << 20): JsonStream {
  return new JsonStream(chunks(te.encode(text), size));
}

const DOC = {
  a: "plain",
  "esc\"aped\\key": ["\\", "\"", "\\\"", "line\nbreak\ttab", "\u00e9\u4e2d\ud83d\ude00", "\u0001", "a\\\\\\\"b"],
  n: [0, -1.5, 2e10, true, false, null],
  nested: { deep: [[[{ x: "y" }]]] },
};

describe("JsonStream", () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])("reads values exactly as JSON.parse whatever the chunk size (%i)", async (size) => {
    const text = JSON.stringify(DOC, null, 1);
    const v = await stream(text, size).readValue({ bytes: 1e9, truncated: false });
    expect(v).toEqual(JSON.parse(text));
  });

  it("passes over a huge string without holding it", async () => {
    const big = "A".repeat(5_000_000) + '\\"' + "B".repeat(1000);
    const s = stream(`{"img": "${big}", "after": "kept"}`, 65536);
    await s.beginObject();
    expect(await s.nextKey(true)).toBe("img");
    await s.skipValue();
    expect(await s.nextKey(false)).toBe("after");
    expect((await s.readString(100)).text).toBe("kept");
    expect(await s.nextKey(false)).toBeNull();
    expect(s.stats.peakStringBytes).toBeLessThan(100);
    expect(s.stats.bytesSkipped).toBeGreaterThan(5_000_000);
  });

  it("cuts a long string to its prefix and says so, without splitting an escape", async () => {
    const s = stream(`"abcdefgh\\u0041xyz"`, 3);
    const r = await s.readString(12);
    expect(r).toEqual({ text: "abcdefgh", rawBytes: 17, truncated: true });
  });

  it("reads Python's NaN and Infinity as Jupyter writes them", async () => {
    expect(await stream("[NaN, -Infinity]").readValue({ bytes: 100, truncated: false })).toEqual([Number.NaN, Number.NEGATIVE_INFINITY]);
  });

  it("bounds readValue by its byte budget", async () => {
    const budget = { bytes: 10, truncated: false };
    const v = await stream(JSON.stringify({ a: "x".repeat(100), b: "y" })).readValue(budget);
    expect(budget.truncated).toBe(true);
    expect(JSON.stringify(v).length).toBeLessThan(40);
  });

  it.each([
    ['{"a" 1}', "expected ':'"],
    ['{"a": 1,', "expected a key"],
    ['["unterminated', "unterminated string"],
    ["[tru]", "invalid value"],
    ['{"a": [1 2]}', "expected ',' or ']'"],
  ])("reports %s as a syntax error with its offset", async (text, message) => {
    const s = stream(text, 2);
    const err = await s.readValue({ bytes: 100, truncated: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonStreamError);
    expect((err as Error).message).toContain(message);
    expect((err as JsonStreamError).offset).toBeGreaterThan(0);
  });

  it("refuses nesting deeper than its bound instead of recursing without end", async () => {
    const s = new JsonStream(chunks(te.encode("[".repeat(10_000)), 4096), 50);
    await expect(s.skipValue()).rejects.toThrow(/nesting deeper than 50/);
  });

  it("does not let __proto__ keys pollute objects", async () => {
    const v = (await stream('{"__proto__": {"polluted": 1}}').readValue({ bytes: 100, truncated: false })) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(["__proto__"]);
  });
});
