import { buildLegacyTorch, pickle, type PickleBuilder } from "@modelward/testing";
import { allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsLike, lines, tester } from "./test-support.js";

// A CPU tensor pickled with plain pickle (pickle.dump, joblib.dump, copy.deepcopy of a module):
// torch writes _rebuild_tensor_v2(torch.storage._load_from_bytes(<a whole torch.save stream>), …),
// and _load_from_bytes(b) is torch.load(io.BytesIO(b)). Found as a false critical on every such file
// by the benign corpus' extras group (soundness2); the nested stream is what must be judged, by the
// composed scan (the legacy stream inside is this plugin's format).

/** `_load_from_bytes(stream)` with the stream as BINBYTES (protocol 3+) or `_codecs.encode(str, 'latin1')` (protocol 2). */
function loadFromBytes(b: PickleBuilder, stream: Uint8Array, protocol: number): PickleBuilder {
  b.stackGlobalOf("torch.storage", "_load_from_bytes");
  if (protocol >= 3) b.bytes(stream, "4");
  else b.stackGlobalOf("_codecs", "encode").binUnicode(Buffer.from(stream).toString("latin1")).shortBinUnicode("latin1").tupleN(2).reduce();
  return b.tupleN(1).reduce();
}

/** A tensor as Tensor.__reduce_ex__ writes it around `storage`. */
function plainTensor(stream: Uint8Array, protocol: number): Uint8Array {
  const b = pickle().proto(protocol).stackGlobalOf("torch._utils", "_rebuild_tensor_v2").mark();
  loadFromBytes(b, stream, protocol);
  b.binInt(0).mark().binInt(2).tuple().mark().binInt(1).tuple().bool(false).stackGlobalOf("collections", "OrderedDict").emptyTuple().reduce();
  return b.tuple().reduce().stop().build_();
}

const benignStream = buildLegacyTorch({ tensors: { s: { shape: [2] } } });
const payloadStream = buildLegacyTorch({ mainPickle: pickle().proto(2).callStr("os", "system", "echo in the storage").stop().build_() });
const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

describe("torch tensors pickled with plain pickle (torch.storage._load_from_bytes)", () => {
  for (const protocol of [2, 4]) {
    it(`protocol ${protocol}: as torch writes it, nothing at medium or above; the storage stream is still analysed`, async () => {
      const report = await tester.scan("tensor.pkl", plainTensor(benignStream, protocol));
      expect(allFindings(report).filter((f) => rank[f.severity] >= 2), lines(report)).toEqual([]);
      expect(findingsLike(report, { ruleId: "pickle/nested-pickle", severity: "low", message: "_load_from_bytes" }).length, lines(report)).toBe(1);
      // The nested stream was read as the legacy torch file it is.
      expect(report.files.some((f) => f.members.length === 1 && f.format === "pytorch"), JSON.stringify(report.files.map((f) => [f.members, f.format]))).toBe(true);
    });

    it(`protocol ${protocol}: a payload inside the storage stream is critical`, async () => {
      const report = await tester.scan("tensor.pkl", plainTensor(payloadStream, protocol));
      expect(findingsLike(report, { ruleId: "pickle/dangerous-global", severity: "critical", message: "echo in the storage" }).length, lines(report)).toBeGreaterThan(0);
    });
  }

  it("a storage stream computed at load time (base64 decoded) is not the shape torch writes: reported", async () => {
    const b = pickle().proto(4).stackGlobalOf("torch.storage", "_load_from_bytes");
    b.stackGlobalOf("base64", "b64decode").shortBinUnicode(Buffer.from(benignStream).toString("base64").slice(0, 200)).tupleN(1).reduce().tupleN(1).reduce();
    const report = await tester.scan("tensor.pkl", b.stop().build_());
    expect(allFindings(report).some((f) => rank[f.severity] >= 3 && f.message.includes("_load_from_bytes")), lines(report)).toBe(true);
  });

  it("extra arguments are not the shape torch writes: reported", async () => {
    const b = pickle().proto(4).stackGlobalOf("torch.storage", "_load_from_bytes").bytes(benignStream, "4").shortBinUnicode("x").tupleN(2).reduce();
    const report = await tester.scan("tensor.pkl", b.stop().build_());
    expect(allFindings(report).some((f) => rank[f.severity] >= 3 && f.message.includes("_load_from_bytes")), lines(report)).toBe(true);
  });

  it("pickle.loads of the same bytes stays critical: no library writes it", async () => {
    const b = pickle().proto(4).stackGlobalOf("pickle", "loads").bytes(benignStream, "4").tupleN(1).reduce();
    const report = await tester.scan("tensor.pkl", b.stop().build_());
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", severity: "critical", message: "pickle.loads" }).length, lines(report)).toBeGreaterThan(0);
  });
});
