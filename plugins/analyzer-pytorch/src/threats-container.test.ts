import {
  buildLegacyTorch,
  buildTorchZip,
  buildZip,
  concatBytes,
  incompleteReasons,
  pickle,
  torchLegacyProtocolPickle,
  torchLegacySysInfoPickle,
  TORCH_LEGACY_MAGIC,
} from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { sevenZipFixture } from "../../analyzer-archive/src/test-fixtures.js";
import { CONFIG_JSON, fakeZipCrypto, payloadP0, payloadP2, payloadP4 } from "./test-fixtures.js";
import { findingsLike, lines, tester } from "./test-support.js";

// docs/peers-and-threats.md §3.1: one generated fixture per row, scanned through the real
// dispatch (pytorch + archive + pickle plugins, default ruleset). Each asserts the alarm
// (high or above) and, where the row is about the torch container, this plugin's own finding.

const expectFinding = (report: Awaited<ReturnType<typeof tester.scan>>, want: Parameters<typeof findingsLike>[1]) =>
  expect(findingsLike(report, want).length, `expected ${JSON.stringify(want)} in:\n${lines(report)}`).toBeGreaterThan(0);

describe("threats §3.1: container, routing and archive tricks", () => {
  it("C1: a pickle named data.txt and a protocol-0 pickle named config.json inside a torch zip", async () => {
    const bytes = buildTorchZip({ extraEntries: [{ name: "archive/data.txt", data: payloadP4() }, { name: "archive/config.json", data: payloadP0() }] });
    const report = await tester.scan("model.pt", bytes);
    expectFinding(report, { ruleId: "pytorch/hidden-pickle", atLeast: "high", message: '"archive/data.txt"' });
    expectFinding(report, { ruleId: "pytorch/hidden-pickle", atLeast: "high", message: '"archive/config.json"' });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/data.txt"] });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/config.json"] });
  });

  it("C1 (negative): a real config.json in a torch zip is not a hidden pickle", async () => {
    const report = await tester.scan("model.pt", buildTorchZip({ extraEntries: [{ name: "archive/config.json", data: CONFIG_JSON }] }));
    expect(findingsLike(report, { ruleId: "pytorch/hidden-pickle" })).toEqual([]);
    expect(findingsLike(report, { ruleId: "pytorch/unexpected-member", severity: "low" }).length).toBe(1);
  });

  it("C2: local header name differs from the central directory name (torch reads the central one)", async () => {
    const bytes = buildTorchZip({ dataPkl: payloadP2(), tensors: {}, tamper: { "archive/data.pkl": { localName: "archive/datap.kl" } } });
    const report = await tester.scan("model.pt", bytes);
    expectFinding(report, { ruleId: "archive/zip-name-mismatch", atLeast: "high" });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/data.pkl"] });
    expect(report.files[0]!.format).toBe("pytorch");
  });

  for (const flags of [0x1, 0x20, 0x40]) {
    it(`C3: general-purpose flag 0x${flags.toString(16)} on data.pkl (torch ignores flags)`, async () => {
      const report = await tester.scan("model.pt", buildTorchZip({ dataPkl: payloadP2(), tensors: {}, tamper: { "archive/data.pkl": { flags } } }));
      expectFinding(report, { ruleId: "archive/zip-flag-bits", atLeast: "high" });
      expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/data.pkl"] });
      expect(incompleteReasons(report)).toEqual([]);
    });
  }

  it("C4: data.pkl edited after zipping (CRC mismatch; torch does not check)", async () => {
    const report = await tester.scan("model.pt", buildTorchZip({ dataPkl: payloadP2(), tensors: {}, tamper: { "archive/data.pkl": { crc32: 0x12345678 } } }));
    expectFinding(report, { ruleId: "archive/zip-crc-mismatch", atLeast: "high" });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/data.pkl"] });
  });

  it("C5: a plain protocol-0 pickle saved as model.bin, and a protocol-2 one as model.pt", async () => {
    const report = await tester.scanTree({ "model.bin": payloadP0(), "weights.pt": payloadP2() });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: [] });
    const paths = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" }).map((f) => f.location.path).sort();
    expect(paths).toEqual(["model.bin", "weights.pt"]);
  });

  it("C6: a torch archive compressed with 7z whose data.pkl breaks right after the payload", async () => {
    const broken = concatBytes(payloadP2().subarray(0, -1), Uint8Array.from([0xff, 0xfe, 0x00]));
    const inner = buildTorchZip({ dataPkl: broken, tensors: {} });
    const report = await tester.scan("ballr7.7z", await sevenZipFixture("7z", { "model.pt": inner }));
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["model.pt", "archive/data.pkl"] });
    expectFinding(report, { ruleId: "pickle/malformed-stream", members: ["model.pt", "archive/data.pkl"] });
    expect(report.files.find((f) => f.members.join("/") === "model.pt")?.format).toBe("pytorch");
  });

  it("C7: a 7z member holding a pickle under a non-pickle name", async () => {
    const report = await tester.scan("model.7z", await sevenZipFixture("7z", { "weights.data0": payloadP4() }));
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["weights.data0"] });
  });

  it("C8: a legacy file whose magic number is computed by eval at load time", async () => {
    const evalMagic = pickle().proto(2).global("builtins", "eval").binUnicode("0x1950A86A20F9469CFC6C").tupleN(1).reduce().stop().toBytes();
    const report = await tester.scan("pytorch_magic_bypass.pt", buildLegacyTorch({ magic: evalMagic, tensors: {}, mainPickle: payloadP2() }));
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", message: "eval" });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", message: "system" });
  });

  it("C9: legacy torch file with the payload in the fourth pickle (the object pickle)", async () => {
    const main = TORCH_LEGACY_MAGIC.length + torchLegacyProtocolPickle().length + torchLegacySysInfoPickle().length;
    const report = await tester.scan("legacy.pt", buildLegacyTorch({ tensors: {}, mainPickle: payloadP2() }));
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: [`pickle#3@${main}`] });
    expect(report.files[0]!.format).toBe("pytorch");
  });

  it("C10: six desync pickles after sys_info push the payload past a five-pickle budget", async () => {
    const desync = Array.from({ length: 6 }, () => pickle().int("16").stop().toBytes());
    const report = await tester.scan("desync.pt", buildLegacyTorch({ tensors: {}, before: desync, mainPickle: payloadP2() }));
    expectFinding(report, { ruleId: "pytorch/legacy-extra-stream", atLeast: "high" });
    expectFinding(report, { ruleId: "pytorch/malformed-layout", atLeast: "high" });
    const payload = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" });
    expect(payload.map((f) => f.location.members.join(">")), lines(report)).toEqual([expect.stringMatching(/^pickle#9@\d+$/)]);
  });

  it("C11: pickles and torch files with extensions no router knows, in a directory", async () => {
    const report = await tester.scanTree({
      "a/model.weights": payloadP4(),
      "b/model.ptpkg": buildZip([{ name: "model/.data/version", data: "1\n" }, { name: "model/.data/extern_modules", data: "" }, { name: "model/model.pkl", data: payloadP4() }]),
      "c/checkpoint": buildTorchZip({ dataPkl: payloadP2(), tensors: {} }),
      "d/legacy.txt": buildLegacyTorch({ tensors: {}, mainPickle: payloadP2() }),
    });
    const hit = new Set(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" }).map((f) => f.location.path));
    expect([...hit].sort(), lines(report)).toEqual(["a/model.weights", "b/model.ptpkg", "c/checkpoint", "d/legacy.txt"]);
    expect(report.files.find((f) => f.path === "c/checkpoint" && f.members.length === 0)?.format).toBe("pytorch");
  });

  it("C12: zip in zip, and a nested archive inside a torch zip", async () => {
    const inner = buildTorchZip({ dataPkl: payloadP2(), tensors: {} });
    const outer = buildTorchZip({ extraEntries: [{ name: "archive/extra.zip", data: buildZip([{ name: "data.pkl", data: payloadP4() }]) }] });
    const report = await tester.scanTree({ "bundle.zip": buildZip([{ name: "model.pt", data: inner }]), "model.pt": outer });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["model.pt", "archive/data.pkl"] });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/extra.zip", "data.pkl"] });
    expectFinding(report, { ruleId: "pytorch/unexpected-member", message: "nested archive" });
  });

  it("C16: data.pkl chains torch.load(pickle_file='config.json') to a pickle hidden in config.json", async () => {
    const chain = pickle().proto(2)
      .global("functools", "partial").global("torch.serialization", "load").binUnicode("model.pt").tupleN(2).emptyDict()
      .binUnicode("pickle_file").binUnicode("config.json").setItem().binUnicode("weights_only").bool(false).setItem()
      .newObjEx().emptyTuple().reduce().stop().toBytes();
    const report = await tester.scan("model.pt", buildTorchZip({ dataPkl: chain, tensors: {}, extraEntries: [{ name: "archive/config.json", data: payloadP2() }] }));
    expectFinding(report, { ruleId: "pytorch/hidden-pickle", atLeast: "high", message: "config.json" });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/config.json"] });
    expectFinding(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["archive/data.pkl"] });
  });

  it("C17: an encrypted data.pkl is a finding and an incomplete analysis, never a silent pass", async () => {
    const bytes = buildTorchZip({ tensors: {}, tamper: { "archive/data.pkl": { ...fakeZipCrypto(payloadP2()), data: payloadP2() } } });
    const report = await tester.scan("locked.pt", bytes);
    expectFinding(report, { ruleId: "archive/encrypted-member" });
    expect(incompleteReasons(report).some((r) => r.includes("pytorch") && r.includes("data.pkl")), incompleteReasons(report).join("\n")).toBe(true);
    expect(report.summary.verdict).not.toBe("pass");
  });
});
