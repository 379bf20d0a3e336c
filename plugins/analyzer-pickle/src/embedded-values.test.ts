import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, findingsOf, high, scan, show } from "./test-helpers.js";

// Float data as NumPy pickles it: one bytes value in the state of `_reconstruct` (ndarray.__reduce__),
// starting with PROTO 3 by chance (about one float array in 65,536 does), then bytes that are no opcodes.
const arrayData = Uint8Array.from([0x80, 0x03, ...Array.from({ length: 240 }, (_, i) => 0xc8 + (i % 50))]);

function ndarrayPickle(data: Uint8Array, form: "short" | "4" | "8" = "4"): Uint8Array {
  const b = pickle().proto(4).emptyDict().shortBinUnicode("coefs_");
  b.stackGlobalOf("numpy.core.multiarray", "_reconstruct").stackGlobalOf("numpy", "ndarray").mark().binInt(0).tuple().bytes([0x62], "short").tupleN(3).reduce();
  b.mark().binInt(1).mark().binInt(data.length).tuple();
  b.stackGlobalOf("numpy", "dtype").shortBinUnicode("u1").bool(false).bool(true).tupleN(3).reduce();
  b.bool(false).bytes(data, form).tuple().buildOp();
  return b.setItem().stop().toBytes();
}

describe("values that only start like a pickle (issue 9: array data)", () => {
  it("ndarray bytes starting with PROTO 3 are data: no finding, nothing handed on as a pickle", async () => {
    for (const form of ["short", "4", "8"] as const) {
      const data = form === "short" ? arrayData.subarray(0, 200) : arrayData;
      const r = await scan(ndarrayPickle(data, form), "mlp.pkl");
      expect(atLeastMedium(r), show(r)).toEqual([]);
      expect(findingsOf(r).filter((f) => f.ruleId === "pickle/nested-pickle"), show(r)).toEqual([]);
      expect(r.recordings[0]!.nested, form).toEqual([]);
    }
  });

  it("the same bytes as a protocol-2 latin-1 str (_codecs.encode) are data too", async () => {
    const text = String.fromCharCode(...arrayData);
    const b = pickle().proto(2).emptyDict().shortBinUnicode("w").global("_codecs", "encode").binUnicode(text).shortBinUnicode("latin1").tupleN(2).reduce().setItem().stop().toBytes();
    const r = await scan(b, "mlp.p2.pkl");
    expect(atLeastMedium(r), show(r)).toEqual([]);
    expect(r.recordings[0]!.nested).toEqual([]);
  });

  it("a real pickle hidden in an array's bytes is still scanned and its call reported", async () => {
    const hidden = pickle().proto(3).callStr("os", "system", "echo hidden-in-array").stop().toBytes();
    const r = await scan(ndarrayPickle(hidden), "mlp.pkl");
    expect(high(r).some((f) => f.message.includes("os.system('echo hidden-in-array')")), show(r)).toBe(true);
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/nested-pickle"), show(r)).toBe(true);
  });

  it("a hidden pickle broken right after its payload still counts (the payload runs first)", async () => {
    const hidden = pickle().proto(3).callStr("os", "system", "echo broken-after").raw([0xc8, 0xc9, 0xca]).toBytes();
    const r = await scan(ndarrayPickle(hidden), "mlp.pkl");
    expect(high(r).some((f) => f.message.includes("os.system('echo broken-after')")), show(r)).toBe(true);
  });

  it("a harmless complete pickle in a value is still listed (low) and scanned", async () => {
    const inner = pickle().proto(4).emptyDict().shortBinUnicode("k").binInt(7).setItem().stop().toBytes();
    const r = await scan(pickle().proto(4).bytes(inner).stop().toBytes(), "holder.pkl");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/nested-pickle"), show(r)).toBe(true);
    expect(r.recordings[0]!.nested.length).toBe(1);
  });

  it("junk handed to pickle.loads stays reported: a loader runs whatever it is given", async () => {
    const b = pickle().proto(4).stackGlobalOf("_pickle", "loads").bytes(arrayData).tupleN(1).reduce().stop().toBytes();
    const r = await scan(b, "loader.pkl");
    expect(high(r).some((f) => f.ruleId === "pickle/nested-pickle"), show(r)).toBe(true);
    expect(high(r).some((f) => f.ruleId === "pickle/malformed-stream"), show(r)).toBe(true);
  });
});
