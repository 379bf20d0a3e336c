import { buildLegacyTorch, buildTorchZip, concatBytes, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { payloadP2, payloadP4 } from "./test-fixtures.js";
import { findingsLike, lines, tester } from "./test-support.js";

// docs/peers-and-threats.md §3.2, the rows that concern torch files: each parser trick is
// planted in data.pkl of a real torch.save layout (or a legacy stream) and must still alarm.

const inTorchZip = (dataPkl: Uint8Array) => buildTorchZip({ dataPkl, tensors: {} });

async function expectPayload(path: string, bytes: Uint8Array, members: string[], extra?: { ruleId: string }) {
  const report = await tester.scan(path, bytes);
  expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members }).length, lines(report)).toBeGreaterThan(0);
  if (extra) expect(findingsLike(report, { ruleId: extra.ruleId, members }).length, lines(report)).toBeGreaterThan(0);
  return report;
}

describe("threats §3.2: pickle parser differentials inside torch files", () => {
  it("P1: STACK_GLOBAL operands at opcode 0 (no PROTO) as data.pkl", async () => {
    const p = pickle().shortBinUnicode("os").shortBinUnicode("system").stackGlobal().shortBinUnicode("echo pwned").tupleN(1).reduce().stop().toBytes();
    await expectPayload("model.pt", inTorchZip(p), ["archive/data.pkl"]);
  });

  it("P7: I0x10 base-0 INT desync at the start of data.pkl inside a real torch.save zip", async () => {
    const p = concatBytes(pickle().int("0x10").pop().toBytes(), payloadP2().subarray(2));
    const report = await expectPayload("model.pt", buildTorchZip({ dataPkl: p }), ["archive/data.pkl"]);
    expect(report.files[0]!.format).toBe("pytorch");
  });

  it("P9: torch LongStorage decoy strings, os.system fetched from the memo", async () => {
    const p = pickle().proto(2).binUnicode("os").put(0).binUnicode("system").put(1).binUnicode("torch").binUnicode("LongStorage").pop().pop()
      .get(0).get(1).stackGlobal().binUnicode("echo pwned").tupleN(1).reduce().stop().toBytes();
    await expectPayload("model.pt", inTorchZip(p), ["archive/data.pkl"]);
  });

  it("P10: a benign state dict stream followed by a malicious second stream in data.pkl", async () => {
    const benign = pickle().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().stop().toBytes();
    await expectPayload("model.pt", inTorchZip(concatBytes(benign, payloadP4())), ["archive/data.pkl"]);
  });

  it("P11: payload then a broken stream (nullifAI) in data.pkl", async () => {
    await expectPayload("model.pt", inTorchZip(concatBytes(payloadP2().subarray(0, -1), Uint8Array.from([0x93, 0x00]))), ["archive/data.pkl"], { ruleId: "pickle/malformed-stream" });
  });

  it("P13: dotted name (torch._utils, os.system-like traversal) in data.pkl", async () => {
    const p = pickle().proto(4).stackGlobalOf("torch._utils", "sys.modules").stop().toBytes();
    await expectPayload("model.pt", inTorchZip(p), ["archive/data.pkl"]);
  });

  it("P22: os.system diluted among many benign torch references", async () => {
    const b = pickle().proto(4);
    for (let i = 0; i < 24; i++) b.stackGlobalOf("torch._utils", "_rebuild_tensor_v2").pop();
    const p = b.callStr("os", "system", "echo pwned").stop().toBytes();
    await expectPayload("model.pt", inTorchZip(p), ["archive/data.pkl"]);
  });

  it("module attribute override: BUILD on torch._utils replaces _rebuild_tensor", async () => {
    const p = pickle().proto(2).global("torch._utils", "_rebuild_tensor").pop()
      .global("torch", "_utils").emptyDict().binUnicode("_rebuild_tensor").global("builtins", "eval").setItem().buildOp().stop().toBytes();
    const report = await tester.scan("model.pt", inTorchZip(p));
    expect(findingsLike(report, { ruleId: "pickle/module-attribute-override", atLeast: "high", members: ["archive/data.pkl"] }).length, lines(report)).toBe(1);
  });

  it("P10 in a legacy file: a second object pickle after the storage section", async () => {
    const report = await tester.scan("legacy.bin", buildLegacyTorch({ append: payloadP2() }));
    expect(findingsLike(report, { ruleId: "pytorch/legacy-extra-stream", atLeast: "high" }).length, lines(report)).toBe(1);
    const hits = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" });
    expect(hits.map((f) => f.location.members), lines(report)).toEqual([[expect.stringMatching(/^pickle#5@\d+$/)]]);
  });

  it("P20: PNG bytes named .pt are not claimed as a torch file and raise nothing", async () => {
    const report = await tester.scan("bad_pytorch.pt", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(report.files[0]!.analyzers).not.toContain("pytorch");
    expect(lines(report)).toBe("");
  });
});
