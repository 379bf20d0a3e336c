import { deflateSync, gzipSync } from "node:zlib";
import { joblibArray, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

const show = (r: Awaited<ReturnType<typeof scan>>) => JSON.stringify(findingsOf(r).map((f) => [f.ruleId, severityOf(f), f.message]));
const atLeast = (r: Awaited<ReturnType<typeof scan>>, levels: string[]) => findingsOf(r).filter((f) => levels.includes(severityOf(f)));
const zlib = (b: Uint8Array) => new Uint8Array(deflateSync(b));

describe("zlib joblib read by content, not by name (issue 9.11)", () => {
  it.each(["model.bin", "pytorch_model.bin", "weights", "model.dat"])("a zlib joblib named %s with a payload is claimed and its call reported critical", async (name) => {
    const raw = pickle().proto(4).callStr("os", "system", "echo zlib by content").stop().build_();
    const r = await scan(zlib(raw), name);
    expect(r.claimed).toBe("joblib");
    const hits = atLeast(r, ["critical"]).filter((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("echo zlib by content"));
    expect(hits, show(r)).not.toEqual([]);
  });

  it("a benign zlib joblib (a NumpyArrayWrapper array) named model.bin is claimed and quiet", async () => {
    const data = new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer);
    const b = joblibArray(pickle().proto(4).emptyDict().shortBinUnicode("coef_"), { dtype: "f8", shape: [4], data, alignment: true });
    const r = await scan(zlib(b.setItem().stop().build_()), "model.bin");
    expect(r.claimed).toBe("joblib");
    expect(atLeast(r, ["critical", "high", "medium"]), show(r)).toEqual([]);
  });

  it("zlib data that is not a pickle, under a non-joblib name, is not claimed", async () => {
    const text = new TextEncoder().encode("plain application data, compressed: ".repeat(20));
    expect((await scan(zlib(text), "blob.bin")).claimed).toBeUndefined();
    // Two bytes that merely fit a zlib header (0x78 0x9c) followed by junk.
    expect((await scan(new Uint8Array([0x78, 0x9c, 1, 2, 3, 4, 5, 6]), "blob.bin")).claimed).toBeUndefined();
  });

  it("the same non-pickle zlib data named .joblib is still claimed (the name is a claim) and reported, not passed", async () => {
    const text = new TextEncoder().encode("not a pickle at all ".repeat(10));
    const r = await scan(zlib(text), "model.joblib");
    expect(r.claimed).toBe("joblib");
    expect(atLeast(r, ["critical", "high", "medium", "low"]).length, show(r)).toBeGreaterThan(0);
  });

  it("a gzip joblib of two concatenated members is decoded as one stream, as Python's gzip reads it: the payload in the second member is found", async () => {
    const raw = pickle().proto(4).callStr("os", "system", "echo second member").stop().build_();
    const cut = 6;
    const twoMembers = new Uint8Array([...gzipSync(raw.subarray(0, cut)), ...gzipSync(raw.subarray(cut))]);
    const r = await scan(twoMembers, "model.joblib");
    expect(r.claimed).toBe("joblib");
    expect(atLeast(r, ["critical"]).some((f) => f.message.includes("echo second member")), show(r)).toBe(true);
  });
});
