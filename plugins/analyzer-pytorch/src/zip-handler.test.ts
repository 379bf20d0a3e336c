import { buildTorchScriptZip, buildTorchZip, buildZip, memoryFile, pickle, recordingContext, torchStateDictPickle, type Recording } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { pytorchAnalyzer } from "./pytorch-analyzer.js";
import { CONFIG_JSON, payloadP0, payloadP4 } from "./test-fixtures.js";

async function analyze(bytes: Uint8Array, path = "model.pt", onRead?: (s: number, e: number) => void): Promise<Recording> {
  const file = memoryFile(path, bytes, onRead ? { onRead } : {});
  const { ctx, recording } = recordingContext();
  const head = bytes.subarray(0, 4096);
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  expect(pytorchAnalyzer.match(file, head, tail)).toBe(true);
  await pytorchAnalyzer.analyze(file, ctx);
  return recording;
}

const rules = (r: Recording) => r.findings.map((f) => `${f.severity ?? "default"} ${f.ruleId}`);

describe("torch zip layout", () => {
  it("reports nothing on a torch.save state dict, hands data.pkl on and its storages as raw data, and describes it", async () => {
    const r = await analyze(buildTorchZip());
    expect(r.findings).toEqual([]);
    expect(r.nested.map((n) => [n.name, n.key, n.rawData === undefined ? "parsed" : "raw"])).toEqual([
      ["archive/data.pkl", "zip@0", "parsed"],
      ["archive/data/0", expect.stringMatching(/^zip@\d+$/), "raw"],
      ["archive/data/1", expect.stringMatching(/^zip@\d+$/), "raw"],
    ]);
    expect(r.nested[0]!.bytes[0]).toBe(0x80);
    expect(r.incomplete).toEqual([]);
    expect(r.facts).toMatchObject({ format: "pytorch", framework: "pytorch", properties: { tensors: 2, storages: 2, parameters: 8, version: 3 } });
  });

  it("reports a storage data.pkl references that is missing", async () => {
    const r = await analyze(buildTorchZip({ omit: ["data/1"] }));
    expect(rules(r)).toEqual(["default pytorch/missing-storage"]);
    expect(r.findings[0]!.message).toContain("archive/data/1");
  });

  it("reports an undersized storage as high (out-of-bounds read) and an oversized one as low", async () => {
    const small = await analyze(buildTorchZip({ storageData: { "0": new Uint8Array(8) } }));
    expect(rules(small)).toEqual(["high pytorch/storage-size-mismatch"]);
    expect(small.findings[0]!.evidence).toMatchObject({ declaredBytes: "24", recordBytes: "8" });
    const big = await analyze(buildTorchZip({ storageData: { "1": new Uint8Array(64) } }));
    expect(rules(big)).toEqual(["low pytorch/storage-size-mismatch"]);
  });

  it("checks sizes with each storage type's element size", async () => {
    const r = await analyze(buildTorchZip({ tensors: { ids: { storageType: "LongStorage", shape: [3] } }, storageData: { "0": new Uint8Array(12) } }));
    expect(r.findings[0]?.evidence).toMatchObject({ declaredBytes: "24", recordBytes: "12" });
  });

  it("flags a storage holding a protocol-0 pickle, but not float data", async () => {
    const r = await analyze(buildTorchZip({ tensors: { w: { shape: [64] }, v: { shape: [64] } }, storageData: { "0": Uint8Array.from([...payloadP0(), ...new Uint8Array(256 - payloadP0().length)]), "1": new Uint8Array(new Float32Array(64).fill(1.5).buffer) } }));
    expect(r.findings.map((f) => `${f.ruleId} ${String(f.evidence?.member)}`)).toEqual(["pytorch/hidden-pickle archive/data/0"]);
  });

  it("flags a storage that holds a pickle, and an unreferenced storage", async () => {
    const r = await analyze(buildTorchZip({ storageData: { "0": payloadP4() }, extraEntries: [{ name: "archive/data/7", data: new Uint8Array(16) }] }));
    expect(rules(r)).toEqual(expect.arrayContaining(["default pytorch/hidden-pickle", "low pytorch/unexpected-member"]));
    expect(r.findings.find((f) => f.ruleId === "pytorch/hidden-pickle")!.message).toContain("a tensor storage");
  });

  it("flags pickles in metadata and non-pickle members, executables and nested archives", async () => {
    const r = await analyze(
      buildTorchZip({
        tamper: { "archive/version": { data: payloadP0() } },
        extraEntries: [
          { name: "archive/config.json", data: payloadP0() },
          { name: "archive/extra.pkl", data: payloadP4() },
          { name: "archive/run.sh", data: "#!/bin/sh\necho hi\n" },
          { name: "archive/blob.bin", data: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]) },
          { name: "archive/nested.zip", data: buildZip([{ name: "a.txt", data: "hi" }]) },
          { name: "archive/README.md", data: "# hello" },
          { name: "archive/hooks.py", data: "import os\nos.system('echo pwned')\n" },
          { name: "archive/config2.json", data: CONFIG_JSON },
        ],
      }),
    );
    const byMember = Object.fromEntries(r.findings.filter((f) => f.evidence?.member).map((f) => [String(f.evidence!.member), `${f.severity ?? "default"} ${f.ruleId}`]));
    expect(byMember).toMatchObject({
      "archive/config.json": "default pytorch/hidden-pickle",
      "archive/extra.pkl": "default pytorch/hidden-pickle",
      "archive/run.sh": "high pytorch/unexpected-member",
      "archive/blob.bin": "high pytorch/unexpected-member",
      "archive/nested.zip": "default pytorch/unexpected-member",
      "archive/README.md": "low pytorch/unexpected-member",
      "archive/hooks.py": "medium pytorch/unexpected-member",
      "archive/config2.json": "low pytorch/unexpected-member",
    });
    expect(r.findings.some((f) => f.ruleId === "pytorch/hidden-pickle" && f.message.includes("archive/version"))).toBe(true);
    expect(r.findings.some((f) => f.ruleId === "pytorch/malformed-layout" && f.message.includes("version"))).toBe(true);
  });

  it("follows torch: data.pkl is looked up in the first record's folder", async () => {
    const r = await analyze(buildZip([{ name: "decoy/readme.txt", data: "x" }, { name: "real/data.pkl", data: torchStateDictPickle({}) }, { name: "real/version", data: "3\n" }]));
    const layout = r.findings.filter((f) => f.ruleId === "pytorch/malformed-layout");
    expect(layout.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringContaining('torch looks for "decoy/data.pkl"')]));
    expect(r.findings.some((f) => f.ruleId === "pytorch/unexpected-member" && String(f.evidence?.folders).includes("real"))).toBe(true);
  });

  it("reports a second top-level folder holding a pickle", async () => {
    const r = await analyze(buildTorchZip({ extraEntries: [{ name: "other/data.pkl", data: payloadP4() }] }));
    expect(r.findings.find((f) => f.ruleId === "pytorch/hidden-pickle")?.message).toContain('outside "archive/"');
    expect(r.findings.some((f) => f.ruleId === "pytorch/unexpected-member" && f.evidence?.folders === "other")).toBe(true);
  });

  it("finds data.pkl by miniz's case-insensitive lookup and says so", async () => {
    const r = await analyze(buildZip([{ name: "archive/DATA.PKL", data: torchStateDictPickle({}) }, { name: "archive/version", data: "3\n" }]));
    expect(r.findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(["low pytorch/malformed-layout"]);
  });

  it("reports a missing version record, a bad version and a bad byteorder", async () => {
    expect(rules(await analyze(buildTorchZip({ version: null })))).toEqual(["default pytorch/malformed-layout"]);
    expect((await analyze(buildTorchZip({ version: "banana" }))).findings[0]?.message).toContain("banana");
    expect((await analyze(buildTorchZip({ byteorder: "middle" }))).findings[0]?.message).toContain("Unknown endianness");
  });

  it("reports a data.pkl at the archive root (torch refuses it) at low", async () => {
    const r = await analyze(buildZip([{ name: "data.pkl", data: torchStateDictPickle({}) }]), "safe_model.pt");
    expect(rules(r)).toEqual(["low pytorch/malformed-layout"]);
    expect(r.facts.format).toBe("pytorch");
  });

  it("reports persistent ids torch's persistent_load rejects", async () => {
    const bad = pickle().proto(2).binUnicode("module").binPersId().stop().toBytes();
    const r = await analyze(buildTorchZip({ dataPkl: bad, tensors: {} }));
    expect(rules(r)).toEqual(["default pytorch/malformed-layout"]);
  });

  it("reads only the directory, data.pkl and a few head bytes of each storage", async () => {
    const big = 4 * 1024 * 1024;
    const bytes = buildTorchZip({ tensors: { a: { shape: [big / 4] }, b: { shape: [big / 4] } } });
    let read = 0;
    await analyze(bytes, "model.pt", (s, e) => (read += e - s));
    expect(read).toBeLessThan(64 * 1024);
  });
});

describe("TorchScript archives", () => {
  it("recognises TorchScript and reports nothing on generated code", async () => {
    const r = await analyze(buildTorchScriptZip());
    expect(r.findings).toEqual([]);
    expect(r.facts.format).toBe("torchscript");
  });

  it("reports file IO, custom ops and Python escapes in code/ with their line", async () => {
    const code = [
      "class Net(Module):",
      "  def forward(self: __torch__.Net, x: Tensor) -> Tensor:",
      '    torch.save(x, "/tmp/out.pt")',
      "    y = ops.my_vendor.run_native(x)",
      '    __import__("os").system("echo pwned")',
      "    return y",
    ].join("\n");
    const r = await analyze(buildTorchScriptZip({ code: { "__torch__.py": code } }));
    const hits = r.findings.filter((f) => f.ruleId === "pytorch/torchscript-dangerous-call").map((f) => `${f.severity} ${f.evidence?.family} ${f.evidence?.line}`);
    expect(hits).toEqual(["high file-io 3", "medium custom-op 4", "critical python-escape 5"]);
    expect(r.imports.some((i) => i.kind === "call" && i.name === "torch.save" && i.safety === "dangerous")).toBe(true);
  });

  it("checks constants.pkl storages under constants/", async () => {
    const r = await analyze(buildTorchScriptZip({ tamper: { "archive/constants.pkl": { data: torchStateDictPickle({ c: { key: "c0" } }) } } }));
    expect(rules(r)).toEqual(["default pytorch/missing-storage"]);
  });
});
