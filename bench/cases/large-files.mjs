// Large single files, whole process (start-up included): a 1 GiB protocol-4 pickle,
// a 1 GiB legacy torch.save file and a 1 GiB torch.save zip, each judged from its
// pickles and headers without reading the tensor bytes.
import { join } from "node:path";
import { writeSparseLegacyTorch } from "../lib/legacy-torch.mjs";
import { picklescan, scanArgs } from "../lib/scan-args.mjs";
import { writeSparseTorchZip } from "../lib/sparse-zip.mjs";
import pickleCases from "./pickle.mjs";

const MiB = 1024 * 1024;

/** 100 weights of 10 MiB and 100 biases of 4 KiB (float32): just over 1 GiB. */
function gibStateDict() {
  const tensors = {};
  for (let i = 0; i < 100; i++) tensors[`layers.${i}.weight`] = { shape: [(10 * MiB + 256 * 1024) / 4], key: String(i) };
  for (let i = 0; i < 100; i++) tensors[`layers.${i}.bias`] = { shape: [1024], key: String(100 + i) };
  return tensors;
}

const target = { maxWallMs: 150, maxRssMb: 150, maxBytesRead: 8 * MiB };

export default [
  {
    name: "large: 1 GiB protocol-4 pickle, whole process",
    create: pickleCases[0].create,
    cli: scanArgs,
    reference: picklescan,
    target,
  },
  {
    name: "large: 1 GiB legacy torch.save file, whole process",
    async create(dir) {
      const path = join(dir, "legacy-1g.pt");
      await writeSparseLegacyTorch(path, gibStateDict());
      return path;
    },
    cli: scanArgs,
    reference: picklescan,
    target,
  },
  {
    name: "large: 1 GiB torch.save zip, whole process",
    async create(dir) {
      return writeSparseTorchZip(join(dir, "pytorch_model.bin"), gibStateDict());
    },
    cli: scanArgs,
    reference: picklescan,
    target,
  },
];
