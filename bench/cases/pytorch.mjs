// PyTorch analyzer: a 2 GB torch.save zip state dict (256 storages, written as file holes)
// must be judged from its central directory, data.pkl and a few head bytes per storage;
// a folder of 2,000 small pickles, torch zips and legacy torch files measures throughput.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildLegacyTorch, buildTorchZip, pickle } from "@modelward/testing";
import { picklescan, scanArgs } from "../lib/scan-args.mjs";
import { writeSparseTorchZip } from "../lib/sparse-zip.mjs";

const MiB = 1024 * 1024;

/** 200 weights of 10 MiB and 56 biases of 4 KiB (float32): ≈ 2.1 GB. */
function bigStateDict() {
  const tensors = {};
  for (let i = 0; i < 200; i++) tensors[`layers.${i}.weight`] = { shape: [(10 * MiB) / 4], key: String(i) };
  for (let i = 0; i < 56; i++) tensors[`layers.${i}.bias`] = { shape: [1024], key: String(200 + i) };
  return tensors;
}

/** A small protocol-4 pickle of plain data (a tokenizer-like dict). */
function smallPickle(i) {
  const b = pickle().proto(4).emptyDict().mark();
  for (let k = 0; k < 20; k++) b.shortBinUnicode(`k${String(k).padStart(3, "0")}`).binInt((i + k) % 200);
  return b.setItems().stop().toBytes();
}

const smallTensors = (i) => ({ "fc.weight": { shape: [64 + (i % 7)] }, "fc.bias": { shape: [8] } });

export default [
  {
    name: "pytorch: 2 GB torch.save zip state dict, 256 storages",
    async create(dir) {
      return writeSparseTorchZip(join(dir, "pytorch_model.bin"), bigStateDict());
    },
    target: { maxWallMs: 500, maxRssMb: 150, maxBytesRead: 4 * 1024 * 1024 },
    metrics: (report) => ({
      format: report.files.find((f) => f.members.length === 0)?.format ?? "-",
      storages: report.files.find((f) => f.members.length === 0)?.properties?.storages ?? "-",
      findings: report.summary.findings.total,
    }),
  },
  {
    name: "pytorch: folder of 2,000 small pickles, torch zips and legacy torch files",
    async create(dir) {
      const root = join(dir, "models");
      await mkdir(root, { recursive: true });
      for (let i = 0; i < 2000; i++) {
        const kind = i % 4;
        const bytes =
          kind < 2 ? smallPickle(i) : kind === 2 ? buildTorchZip({ prefix: `m${i}`, tensors: smallTensors(i) }) : buildLegacyTorch({ tensors: smallTensors(i) });
        // Names say nothing reliable: content decides.
        const name = [`tok-${i}.pkl`, `state-${i}`, `model-${i}.pt`, `legacy-${i}.bin`][kind];
        await writeFile(join(root, name), bytes);
      }
      return root;
    },
    metrics: (report, wallMs) => {
      const files = report.files.filter((f) => f.members.length === 0).length;
      return { files, "files/s": Math.round((files / wallMs) * 1000), verdict: report.summary.verdict };
    },
  },
  {
    name: "pickle: 2,000 small pickles, whole process",
    async create(dir) {
      const root = join(dir, "pickles");
      await mkdir(root, { recursive: true });
      for (let i = 0; i < 2000; i++) await writeFile(join(root, `tok-${i}.pkl`), smallPickle(i));
      return root;
    },
    cli: scanArgs,
    reference: picklescan,
    target: { maxWallMs: 200 },
    metrics: (report, wallMs) => ({ files: report.summary.files.total, "files/s": Math.round((report.summary.files.total / wallMs) * 1000) }),
  },
];
