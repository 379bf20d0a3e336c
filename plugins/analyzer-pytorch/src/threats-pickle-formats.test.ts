import { deflateSync } from "node:zlib";
import { buildTorchZip, buildZip, concatBytes, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { payloadP4 } from "./test-fixtures.js";
import { findingsLike, lines, tester } from "./test-support.js";

// §3.1 rows C13–C15 are joblib and NumPy containers (the pickle plugin's formats); they are
// checked here through the same composition, including inside a torch zip, so the whole
// ML-checkpoint path is covered in one place.

function joblibWithRawArray(): Uint8Array {
  const b = pickle().proto(4).emptyDict().mark().shortBinUnicode("a_weights");
  b.stackGlobalOf("joblib.numpy_pickle", "NumpyArrayWrapper").emptyTuple().newObj();
  b.emptyDict().mark()
    .shortBinUnicode("subclass").stackGlobalOf("numpy", "ndarray")
    .shortBinUnicode("shape").binInt(100).tupleN(1)
    .shortBinUnicode("order").shortBinUnicode("C")
    .shortBinUnicode("dtype").stackGlobalOf("numpy", "dtype").shortBinUnicode("f8").bool(false).bool(true).tupleN(3).reduce()
    .shortBinUnicode("allow_mmap").bool(false)
    .setItems().buildOp();
  // The raw array bytes joblib writes after the wrapper's BUILD: 0x4b ('K') would decode as opcodes.
  b.raw(new Uint8Array(800).fill(0x4b));
  b.shortBinUnicode("z_payload").callStr("os", "system", "echo pwned");
  return b.setItems().stop().toBytes();
}

function npyObjectArray(pickled: Uint8Array): Uint8Array {
  let header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, " ") + "\n";
  const prefix = Uint8Array.from([0x93, ...Buffer.from("NUMPY"), 1, 0, header.length & 0xff, header.length >> 8]);
  return concatBytes(prefix, new Uint8Array(Buffer.from(header, "latin1")), pickled);
}

describe("threats §3.1 C13–C15 through the composed scan", () => {
  it("C13: joblib payload after a raw NumpyArrayWrapper block", async () => {
    const report = await tester.scan("model.joblib", joblibWithRawArray());
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" }).length, lines(report)).toBeGreaterThan(0);
  });

  it("C14: zlib-compressed joblib", async () => {
    const report = await tester.scan("model.joblib", new Uint8Array(deflateSync(payloadP4())));
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" }).length, lines(report)).toBeGreaterThan(0);
  });

  it("C15: NumPy object array in an .npz, and the same .npz inside a torch zip", async () => {
    const npz = buildZip([{ name: "arr.npy", data: npyObjectArray(payloadP4()) }]);
    const report = await tester.scanTree({ "arrays.npz": npz, "model.pt": buildTorchZip({ extraEntries: [{ name: "archive/extra/arrays.npz", data: npz }] }) });
    const hits = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" }).map((f) => [f.location.path, ...f.location.members].join(" ▸ "));
    expect(hits.sort(), lines(report)).toEqual(["arrays.npz ▸ arr.npy", "model.pt ▸ archive/extra/arrays.npz ▸ arr.npy"]);
    expect(findingsLike(report, { ruleId: "pytorch/unexpected-member", message: "nested archive" }).length).toBe(1);
  });
});
