// GGUF analyzer: a 4 GB GGUF (a 7B-like llama layout: 32,000-token vocabulary, 291 Q4_K/F32
// tensors, a chat template) written as a file hole after its header, must be judged from
// the header alone: under 100 ms of scan time and under 2 MB read.
import { open } from "node:fs/promises";
import { join } from "node:path";
import { GGUF_TYPE, buildGguf } from "@modelward/testing";

const GB4 = 4 * 1024 ** 3;

function llamaLike() {
  const n = 32000;
  const kv = [
    { key: "general.architecture", value: "llama" },
    { key: "general.name", value: "bench-7b" },
    { key: "general.license", value: "apache-2.0" },
    { key: "llama.context_length", value: 4096 },
    { key: "llama.embedding_length", value: 4096 },
    { key: "llama.block_count", value: 32 },
    { key: "tokenizer.ggml.model", value: "llama" },
    { key: "tokenizer.ggml.tokens", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: Array.from({ length: n }, (_, i) => `▁tok${i}`) },
    { key: "tokenizer.ggml.scores", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.FLOAT32, value: Array.from({ length: n }, (_, i) => -i) },
    { key: "tokenizer.ggml.token_type", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.INT32, value: Array.from({ length: n }, () => 1) },
    {
      key: "tokenizer.chat_template",
      value:
        "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}",
    },
  ];
  const tensors = [{ name: "token_embd.weight", dims: [4096, n], type: 12 }];
  for (let b = 0; b < 32; b++) {
    for (const part of ["attn_q", "attn_k", "attn_v", "attn_output"]) tensors.push({ name: `blk.${b}.${part}.weight`, dims: [4096, 4096], type: 12 });
    for (const part of ["ffn_gate", "ffn_up"]) tensors.push({ name: `blk.${b}.${part}.weight`, dims: [4096, 11008], type: 12 });
    tensors.push({ name: `blk.${b}.ffn_down.weight`, dims: [11008, 4096], type: 14 });
    tensors.push({ name: `blk.${b}.attn_norm.weight`, dims: [4096], type: 0 });
    tensors.push({ name: `blk.${b}.ffn_norm.weight`, dims: [4096], type: 0 });
  }
  tensors.push({ name: "output_norm.weight", dims: [4096], type: 0 }, { name: "output.weight", dims: [4096, n], type: 14 });
  return buildGguf({ kv, tensors, data: "none" });
}

export default [
  {
    name: "gguf: 4 GB sparse GGUF, 7B-like header",
    async create(dir) {
      const path = join(dir, "model-q4_k.gguf");
      const { bytes, dataOffset, dataSize } = llamaLike();
      const size = Math.max(GB4, dataOffset + Number(dataSize));
      const fh = await open(path, "w");
      await fh.write(bytes, 0, bytes.length, 0);
      await fh.truncate(size);
      await fh.close();
      return path;
    },
    target: { maxWallMs: 100, maxRssMb: 150, maxBytesRead: 2 * 1024 * 1024 },
    metrics: (report) => {
      const top = report.files.find((f) => f.members.length === 0);
      return { format: top?.format ?? "-", tensors: top?.properties?.tensorCount ?? "-", quantization: top?.properties?.quantization ?? "-", findings: report.summary.findings.total };
    },
  },
];
