import { pickle, type PickleBuilder } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { dtypeItem } from "./joblib-wrapper.js";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

const show = (r: Awaited<ReturnType<typeof scan>>) => JSON.stringify(findingsOf(r).map((f) => [f.ruleId, severityOf(f), f.message]));
const atLeastMedium = (r: Awaited<ReturnType<typeof scan>>) => findingsOf(r).filter((f) => ["critical", "high", "medium"].includes(severityOf(f)));

interface Wrapper {
  dtype: string;
  shape: number[];
  /** dtype BUILD state elsize (numpy writes the real size; -1 for fixed types). */
  elsize?: number;
  /** numpy_array_alignment_bytes: absent, None, or a number (then a padding length byte and padding follow). */
  alignment?: "absent" | null | number;
  /** Build the wrapper through copyreg._reconstructor instead of NEWOBJ. */
  viaCopyreg?: boolean;
  /** Write the shape twice (the first a decoy): a dict keeps the last. */
  decoyShape?: number[];
}

// A joblib NumpyArrayWrapper as joblib 1.2 pickles it (numpy_pickle.py), followed by nothing: the caller appends the data.
function wrapper(b: PickleBuilder, w: Wrapper): PickleBuilder {
  if (w.viaCopyreg) b.stackGlobalOf("copyreg", "_reconstructor").stackGlobalOf("joblib.numpy_pickle", "NumpyArrayWrapper").stackGlobalOf("builtins", "object").none().tupleN(3).reduce();
  else b.stackGlobalOf("joblib.numpy_pickle", "NumpyArrayWrapper").emptyTuple().newObj();
  b.emptyDict().mark();
  b.shortBinUnicode("subclass").stackGlobalOf("numpy", "ndarray");
  const shape = (s: number[]) => {
    b.shortBinUnicode("shape").mark();
    for (const n of s) b.binInt(n);
    b.tuple();
  };
  if (w.decoyShape) shape(w.decoyShape);
  shape(w.shape);
  b.shortBinUnicode("order").shortBinUnicode("C");
  b.shortBinUnicode("dtype").stackGlobalOf("numpy", "dtype").shortBinUnicode(w.dtype).bool(false).bool(true).tupleN(3).reduce();
  b.mark().binInt(3).shortBinUnicode("<").none().none().none().binInt(w.elsize ?? -1).binInt(-1).binInt(8).tuple().buildOp();
  b.shortBinUnicode("allow_mmap").bool(false);
  if (w.alignment === null) b.shortBinUnicode("numpy_array_alignment_bytes").none();
  else if (typeof w.alignment === "number") b.shortBinUnicode("numpy_array_alignment_bytes").binInt(w.alignment);
  return b.setItems().buildOp();
}

const utf32 = (...words: string[]) => {
  const n = Math.max(...words.map((w) => w.length));
  const out = new Uint8Array(words.length * n * 4);
  words.forEach((w, i) => [...w].forEach((ch, k) => new DataView(out.buffer).setUint32((i * n + k) * 4, ch.codePointAt(0)!, true)));
  return out;
};

const payload = new TextEncoder().encode("cos\nsystem\n(S'echo hidden in array'\ntR.");

describe("joblib as joblib reads it, and as every other loader does (issue 8 item 5, issue 9 item 4)", () => {
  it("dtypeItem sizes U by characters (4 bytes each) and prefers the dtype state's elsize", () => {
    expect(dtypeItem("U5")).toEqual({ itemsize: 20, object: false });
    expect(dtypeItem("U5", 20)).toEqual({ itemsize: 20, object: false });
    expect(dtypeItem("V7", 7)).toEqual({ itemsize: 7, object: false });
    expect(dtypeItem("S3")).toEqual({ itemsize: 3, object: false });
    expect(dtypeItem("M8")).toEqual({ itemsize: 8, object: false });
    expect(dtypeItem("O8")).toEqual({ itemsize: 8, object: true });
  });

  it("a <U array of string labels (LabelEncoder, classes_) does not alarm", async () => {
    const data = utf32("cat", "dog", "cow", "emu");
    const b = wrapper(pickle().proto(4).emptyDict().shortBinUnicode("classes_"), { dtype: "U3", shape: [4], elsize: 12, alignment: 16 });
    const bytes = b.raw([7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).raw(data).setItem().stop().toBytes();
    const r = await scan(bytes, "labels.joblib");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("alignment None means no padding byte; the array after it is skipped exactly", async () => {
    const b = wrapper(pickle().proto(4).emptyDict().shortBinUnicode("w"), { dtype: "f8", shape: [2], alignment: null });
    const bytes = b.raw(new Uint8Array(16).fill(0x3f)).setItem().stop().toBytes();
    const r = await scan(bytes, "model.joblib");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("duplicate state keys: the last shape wins, as in the dict joblib receives", async () => {
    const b = wrapper(pickle().proto(4).emptyDict().shortBinUnicode("w"), { dtype: "f8", shape: [2], decoyShape: [1000], alignment: "absent" });
    const r = await scan(b.raw(new Uint8Array(16)).setItem().stop().toBytes(), "model.joblib");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("two wrappers in one frame: both arrays follow the frame, in order", async () => {
    const inner = pickle();
    wrapper(inner.shortBinUnicode("a"), { dtype: "i4", shape: [2], alignment: "absent" });
    wrapper(inner.shortBinUnicode("b"), { dtype: "i4", shape: [3], alignment: "absent" });
    const framed = inner.toBytes();
    const b = pickle().proto(4).emptyDict().frame(framed.length).raw(framed).raw(new Uint8Array(8).fill(0x11)).raw(new Uint8Array(12).fill(0x22)).setItem().setItem().stop().toBytes();
    const r = await scan(b, "model.joblib");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("a wrapper built through copyreg._reconstructor is a wrapper too", async () => {
    const b = wrapper(pickle().proto(2).emptyDict().shortBinUnicode("w"), { dtype: "f4", shape: [3], viaCopyreg: true, alignment: "absent" });
    const r = await scan(b.raw(new Uint8Array(12).fill(0x5a)).setItem().stop().toBytes(), "model.pkl");
    expect(findingsOf(r).filter((f) => f.ruleId === "pickle/malformed-stream"), show(r)).toEqual([]);
  });

  it("opcodes hidden as array data: skipped by joblib.load, run by pickle.load — reported critical", async () => {
    const b = wrapper(pickle().proto(4).emptyDict().shortBinUnicode("w"), { dtype: "u1", shape: [payload.length], alignment: "absent" });
    const bytes = b.raw(payload).setItem().stop().toBytes();
    const r = await scan(bytes, "model.joblib");
    const f = findingsOf(r).find((x) => x.ruleId === "pickle/dangerous-global" && severityOf(x) === "critical");
    expect(f?.message, show(r)).toMatch(/os\.system\('echo hidden in array'\).*pickle\.load/);
  });

  it("the same wrapper with harmless numeric data adds nothing under the other loaders", async () => {
    const b = wrapper(pickle().proto(4).emptyDict().shortBinUnicode("w"), { dtype: "u1", shape: [payload.length], alignment: "absent" });
    const r = await scan(b.raw(new Uint8Array(payload.length).fill(1)).setItem().stop().toBytes(), "model.joblib");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });
});
