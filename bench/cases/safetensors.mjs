// safetensors analyzer: a 10 GB safetensors file (a 7B-like transformers layout, 291 BF16
// tensors, metadata) written as a file hole after its header must be validated from the
// header alone. In-process: under 100 ms of scan time and 2 MB read (issue 12.8); whole
// process, start-up included: 0.12 s (issue 10, large single files).
import { open } from "node:fs/promises";
import { join } from "node:path";
import { buildSafetensors } from "@modelward/testing";
import { scanArgs } from "../lib/scan-args.mjs";

const GB10 = 10 * 1000 ** 3;

function sevenBLike() {
  const tensors = [{ name: "model.embed_tokens.weight", dtype: "BF16", shape: [32000, 4096] }];
  for (let b = 0; b < 32; b++) {
    for (const p of ["q_proj", "k_proj", "v_proj", "o_proj"]) tensors.push({ name: `model.layers.${b}.self_attn.${p}.weight`, dtype: "BF16", shape: [4096, 4096] });
    for (const p of ["gate_proj", "up_proj"]) tensors.push({ name: `model.layers.${b}.mlp.${p}.weight`, dtype: "BF16", shape: [11008, 4096] });
    tensors.push({ name: `model.layers.${b}.mlp.down_proj.weight`, dtype: "BF16", shape: [4096, 11008] });
    tensors.push({ name: `model.layers.${b}.input_layernorm.weight`, dtype: "BF16", shape: [4096] });
    tensors.push({ name: `model.layers.${b}.post_attention_layernorm.weight`, dtype: "BF16", shape: [4096] });
  }
  tensors.push({ name: "model.norm.weight", dtype: "BF16", shape: [4096] }, { name: "lm_head.weight", dtype: "BF16", shape: [32000, 4096] });
  return buildSafetensors({ tensors, metadata: { format: "pt" }, data: "none" });
}

async function create(dir) {
  const path = join(dir, "model.safetensors");
  const { bytes, dataSize } = sevenBLike();
  // The 7B layout declares ~13.5 GB; the file is exactly header + declared data, so it is valid.
  const size = Math.max(GB10, bytes.length + Number(dataSize));
  const fh = await open(path, "w");
  await fh.write(bytes, 0, bytes.length, 0);
  await fh.truncate(size);
  await fh.close();
  return path;
}

const metrics = (report) => {
  const top = report.files.find((f) => f.members.length === 0);
  return { format: top?.format ?? "-", tensors: top?.properties?.tensorCount ?? "-", findings: report.summary.findings.total };
};

export default [
  {
    name: "safetensors: 10 GB sparse safetensors, 7B-like header",
    create,
    target: { maxWallMs: 100, maxRssMb: 150, maxBytesRead: 2 * 1024 * 1024 },
    metrics,
  },
  {
    name: "safetensors: 10 GB sparse safetensors, whole process",
    create,
    cli: scanArgs,
    target: { maxWallMs: 120, maxRssMb: 150, maxBytesRead: 2 * 1024 * 1024 },
  },
];
