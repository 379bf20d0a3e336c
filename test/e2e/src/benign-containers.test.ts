import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { isAtLeast, type ScanReport } from "@modelward/core";
import { buildLegacyTorch, buildTar, buildTorchZip, buildZip, npyFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// Ordinary artifacts in ordinary containers and a typical Hugging Face repository: the whole
// recommended preset must raise no alert, nothing incomplete, and exit 0.
const enc = (s: string) => new TextEncoder().encode(s);
const dataPickle = pickle().proto(4).emptyDict().shortBinUnicode("lr").binFloat(0.001).setItem().stop().toBytes();
const tree: Record<string, Uint8Array> = {
  "release.tar.gz": new Uint8Array(
    gzipSync(buildTar([{ name: "pkg/README.md", data: enc("# model\n") }, { name: "pkg/config.pkl", data: dataPickle }, { name: "pkg/model.pt", data: buildTorchZip() }])),
  ),
  "bundle.zip": buildZip([{ name: "weights/model.pt", data: buildTorchZip({ prefix: "model" }) }, { name: "legacy.bin", data: buildLegacyTorch(), method: "deflate" }]),
  "arrays.npz": buildZip([{ name: "a.npy", data: npyFile({ descr: "<f4", shape: [4], data: new Uint8Array(16) }) }]),
  "notes.txt.gz": new Uint8Array(gzipSync(enc("plain notes\n"))),
  // A typical Hugging Face model repository.
  "hf-repo/config.json": enc(JSON.stringify({ architectures: ["BertModel"], hidden_size: 8, model_type: "bert" })),
  "hf-repo/tokenizer_config.json": enc(JSON.stringify({ do_lower_case: true, model_max_length: 512 })),
  "hf-repo/vocab.txt": enc("[PAD]\n[UNK]\nhello\n"),
  "hf-repo/README.md": enc("---\nlicense: apache-2.0\n---\n# tiny bert\n"),
  "hf-repo/.gitattributes": enc("*.bin filter=lfs diff=lfs merge=lfs -text\n"),
  "hf-repo/model.safetensors": safetensors(),
  "hf-repo/pytorch_model.bin": buildTorchZip({ prefix: "pytorch_model", tensors: { "embeddings.weight": { shape: [4, 8] }, "pooler.bias": { shape: [8] } } }),
  "hf-repo/training_args.bin": trainingArgs(),
};

// A minimal valid safetensors file: u64 header length, JSON header, tensor bytes.
function safetensors(): Uint8Array {
  const header = enc(JSON.stringify({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, __metadata__: { format: "pt" } }));
  const out = new Uint8Array(8 + header.length + 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  return out;
}

// torch.save(TrainingArguments): NEWOBJ then BUILD of its fields, options as Enum members.
function trainingArgs(): Uint8Array {
  const b = pickle().proto(2).global("transformers.training_args", "TrainingArguments").emptyTuple().newObj().emptyDict().mark();
  b.shortBinUnicode("output_dir").shortBinUnicode("out");
  b.shortBinUnicode("eval_strategy").global("transformers.trainer_utils", "IntervalStrategy").shortBinUnicode("steps").tupleN(1).reduce();
  return b.setItems().buildOp().stop().toBytes();
}

describe("benign containers through the built CLI", () => {
  it("raise no alert, nothing at medium but the unaudited TrainingArguments class, and exit 0 once every model format is read", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-benign-"));
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    const { code, stdout } = await runBuiltCli(["scan", root, "-f", "json"], root);
    const report = JSON.parse(stdout) as ScanReport;
    const loud = report.files.flatMap((f) =>
      f.findings.filter((x) => isAtLeast(x.severity, "medium")).map((x) => `${[f.path, ...f.members].join(" ▸ ")}: ${x.severity} ${x.ruleId} ${x.message}`),
    );
    // The one expected warning: TrainingArguments is an unaudited class (only its Enum fields are allowlisted,
    // since calling the class would run __post_init__ with arguments from the file). Medium is a Warning, not an Alert.
    expect(loud).toEqual([expect.stringMatching(/^hf-repo\/training_args\.bin: medium pickle\/unknown-global .*TrainingArguments/)]);
    // A model file no loaded analyzer reads is "not analysed" (incomplete), never skipped text; README,
    // config.json, vocab.txt and .gitattributes are not model files and stay skipped. Until a safetensors
    // analyzer is in the preset, model.safetensors is the one file not analysed.
    const safetensorsRead = report.tool.analyzers.some((a) => a.id === "safetensors");
    expect(report.files.filter((f) => f.status === "incomplete").map((f) => [f.path, f.incomplete.map((i) => i.reason)])).toEqual(
      safetensorsRead ? [] : [["hf-repo/model.safetensors", ["not analysed: safetensors (header layout) is not supported by the loaded analyzers"]]],
    );
    const text = ["hf-repo/.gitattributes", "hf-repo/README.md", "hf-repo/config.json", "hf-repo/tokenizer_config.json", "hf-repo/vocab.txt"];
    expect(report.files.filter((f) => text.includes(f.path)).map((f) => [f.path, f.status === "incomplete"])).toEqual(text.sort().map((p) => [p, false]));
    expect(report.files.some((f) => f.members.length >= 2), "nested members were analysed").toBe(true);
    expect(code).toBe(safetensorsRead ? 0 : 1);
  });
});
