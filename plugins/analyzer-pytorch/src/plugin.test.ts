import { isCategory, isRuleId, isSeverity } from "@modelward/core";
import { buildLegacyTorch, buildLegacyTorchTar, buildTorchScriptZip, buildTorchZip, memoryFile, recordingContext } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin, { ALL_RULES, scanTorchScriptSource } from "./index.js";
import { pytorchAnalyzer } from "./pytorch-analyzer.js";
import { literalInt, literalStringList, littleEndianOf } from "./legacy-literals.js";

describe("plugin", () => {
  it("has the package's identity and the pytorch namespace", () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "pytorch" });
    expect(Object.keys(plugin.analyzers ?? {})).toEqual(["pytorch"]);
  });

  it("declares every rule with metadata, taxonomy and references", () => {
    for (const r of ALL_RULES) {
      expect(isRuleId(r.id) && r.id.startsWith("pytorch/"), r.id).toBe(true);
      expect(r.title && r.description && r.remediation, r.id).toBeTruthy();
      expect(isSeverity(r.defaultSeverity) && isCategory(r.category), r.id).toBe(true);
      expect(r.taxonomy.cwe?.length, r.id).toBeGreaterThan(0);
      expect(r.taxonomy.atlas?.length, r.id).toBeGreaterThan(0);
      expect(r.references.every((u) => u.startsWith("https://")) && r.references.length > 0, r.id).toBe(true);
    }
  });
});

describe("robustness: never throws, whatever the bytes", () => {
  const seeds = [buildTorchZip(), buildLegacyTorch(), buildTorchScriptZip(), buildLegacyTorchTar()];
  it("survives every truncation and byte flip of real layouts", async () => {
    let runs = 0;
    for (const seed of seeds) {
      const variants: Uint8Array[] = [];
      for (let cut = 16; cut < seed.length; cut += Math.max(1, Math.floor(seed.length / 40))) variants.push(seed.subarray(0, cut));
      for (let at = 0; at < seed.length; at += Math.max(1, Math.floor(seed.length / 60))) {
        const v = seed.slice();
        v[at] = v[at]! ^ 0xff;
        variants.push(v);
      }
      for (const v of variants) {
        const file = memoryFile("fuzz.pt", v);
        if (!pytorchAnalyzer.match(file, v.subarray(0, 4096), v.subarray(Math.max(0, v.length - 4096)))) continue;
        const { ctx } = recordingContext();
        await expect(pytorchAnalyzer.analyze(file, ctx)).resolves.toBeUndefined();
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(100);
  });
});

describe("legacy literals", () => {
  it("reads the fixed pickles torch writes and nothing else", () => {
    expect(literalInt(Uint8Array.from([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]))).toBe(1001);
    expect(literalInt(new TextEncoder().encode("I1001\n."))).toBe(1001);
    expect(literalInt(Uint8Array.from([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x30, 0x2e]))).toBeUndefined();
    expect(literalStringList(new TextEncoder().encode("(lp0\nV12\np1\naV34\np2\na."))).toEqual(["12", "34"]);
    expect(literalStringList(Uint8Array.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x2e]))).toEqual([]);
    expect(literalStringList(Uint8Array.from([0x80, 0x02, 0x4b, 0x07, 0x2e]))).toBeUndefined();
    expect(littleEndianOf(new Uint8Array(Buffer.from("X\r\x00\x00\x00little_endianq\x02\x89", "latin1")))).toBe(false);
  });
});

describe("TorchScript source scan", () => {
  it("accepts what torch.jit.save generates", () => {
    const src = 'class M(Module):\n  def forward(self: __torch__.M, x: Tensor) -> Tensor:\n    _0 = getattr(self, "0")\n    _1 = ops.prim.NumToTensor(torch.size(x, 0))\n    _2 = ops.quantized.linear(x, _0)\n    fut = torch.jit._fork(self.f, x)\n    return torch.jit._wait(fut)\n';
    expect(scanTorchScriptSource(src)).toEqual([]);
  });

  it("finds file IO, native library loading and Python escapes", () => {
    const hits = scanTorchScriptSource('torch.from_file("/etc/passwd", True, 10)\ntorch.ops.load_library("/tmp/x.so")\nexec("x")\nsubprocess.run(["id"])\nopen("/tmp/f", "w")\n');
    expect(hits.map((h) => [h.family, h.line])).toEqual([["file-io", 1], ["custom-op", 2], ["python-escape", 3], ["python-escape", 4], ["file-io", 5]]);
  });
});
