import {
  buildLegacyTorch,
  buildLegacyTorchTar,
  buildTorchScriptZip,
  buildTorchZip,
  incompleteReasons,
  lightningCheckpointPickle,
  torchModulePickle,
} from "@modelward/testing";
import { isAtLeast } from "@modelward/core";
import { describe, expect, it } from "vitest";
import { lines, tester } from "./test-support.js";

const LINEAR = { weight: { shape: [2, 3], parameter: true }, bias: { shape: [2], parameter: true } };

const alarming = (report: Awaited<ReturnType<typeof tester.scan>>) =>
  report.files.flatMap((f) => f.findings).filter((f) => isAtLeast(f.severity, "medium"));

describe("benign torch files produce nothing at medium or above", () => {
  const cases: [string, string, () => Uint8Array, string][] = [
    ["state dict (torch.save zip)", "model.pt", () => buildTorchZip({ tensors: { "fc.weight": { shape: [16, 8] }, "fc.bias": { shape: [16] }, steps: { storageType: "LongStorage", shape: [1] } } }), "pytorch"],
    ["state dict named pytorch_model.bin", "pytorch_model.bin", () => buildTorchZip({ prefix: "pytorch_model" }), "pytorch"],
    ["full module save (torch.nn.Linear)", "model.pth", () => buildTorchZip({ dataPkl: torchModulePickle(LINEAR), tensors: LINEAR }), "pytorch"],
    ["Lightning checkpoint", "epoch=3.ckpt", () => buildTorchZip({ dataPkl: lightningCheckpointPickle(), tensors: { "model.weight": { shape: [2, 3] }, "model.bias": { shape: [2] } } }), "pytorch"],
    ["legacy state dict (_use_new_zipfile_serialization=False)", "pytorch_model.bin", () => buildLegacyTorch(), "pytorch"],
    ["legacy tar layout (torch 0.1)", "old.pt", () => buildLegacyTorchTar(), "pytorch"],
    ["state dict without an extension", "weights", () => buildTorchZip(), "pytorch"],
  ];
  for (const [name, path, bytes, format] of cases) {
    it(name, async () => {
      const report = await tester.scan(path, bytes());
      expect(alarming(report).map((f) => `${f.ruleId}: ${f.message}`), lines(report)).toEqual([]);
      expect(incompleteReasons(report)).toEqual([]);
      expect(report.files[0]!.format).toBe(format);
      expect(report.files[0]!.analyzers).toContain("pytorch");
    });
  }

  it("TorchScript archive: nothing at medium or above except the pickle policy's unknown __torch__ class", async () => {
    const report = await tester.scan("scripted.pt", buildTorchScriptZip());
    expect(report.files[0]!.format).toBe("torchscript");
    // TorchScript's data.pkl names classes compiled from code/ (`__torch__.Net`), resolved by
    // torch.jit's type resolver, never imported; the default pickle policy does not know them.
    const rest = alarming(report).filter((f) => !(f.ruleId === "pickle/unknown-global" && String(f.evidence.module).startsWith("__torch__")));
    expect(rest.map((f) => `${f.ruleId}: ${f.message}`), lines(report)).toEqual([]);
    expect(report.files.filter((f) => f.findings.some((x) => x.ruleId.startsWith("pytorch/")))).toEqual([]);
    expect(incompleteReasons(report)).toEqual([]);
  });

  it("describes a state dict: tensors, storages, parameters, byteorder, version", async () => {
    const report = await tester.scan("model.pt", buildTorchZip({ tensors: { w: { shape: [4, 5] }, b: { shape: [4] } } }));
    expect(report.files[0]!.properties).toMatchObject({ tensors: 2, storages: 2, parameters: 24, byteorder: "little", version: 3, prefix: "archive" });
    expect(report.files[0]!.framework).toBe("pytorch");
  });

  it("describes a Lightning checkpoint as such", async () => {
    const report = await tester.scan("last.ckpt", buildTorchZip({ dataPkl: lightningCheckpointPickle(), tensors: { "model.weight": { shape: [2, 3] }, "model.bias": { shape: [2] } } }));
    expect(report.files[0]!.properties).toMatchObject({ lightning: true, storages: 2 });
  });
});
