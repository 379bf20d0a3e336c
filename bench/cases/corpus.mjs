// A realistic folder of ML artifacts, whole process: about 1,700 files and 22,000
// archive members, 1.1 GiB, in the shape of a model hub mirror. torch.save zips
// (tensor bytes as file holes), TorchScript, legacy torch, sklearn-style pickles with
// numpy arrays, joblib dumps and tokenizer pickles, spread over nested folders.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildLegacyTorch, buildTorchScriptZip, joblibArray, pickle } from "@modelward/testing";
import { picklescan, scanArgs } from "../lib/scan-args.mjs";
import { writeSparseTorchZip } from "../lib/sparse-zip.mjs";

/** A state dict of 32 tensors totalling about `bytes`. */
function stateDict(i, bytes) {
  const tensors = {};
  const per = Math.max(1, Math.floor(bytes / 16 / 4));
  for (let t = 0; t < 16; t++) tensors[`encoder.layer.${t}.weight`] = { shape: [per + ((i + t) % 13)] };
  for (let t = 0; t < 16; t++) tensors[`encoder.layer.${t}.bias`] = { shape: [per >> 6 || 1] };
  return tensors;
}

/** An sklearn estimator as pickle writes it: class by STACK_GLOBAL, state dict with numpy arrays. */
function sklearnPickle(i) {
  const cls = [["sklearn.linear_model._logistic", "LogisticRegression"], ["sklearn.preprocessing._data", "StandardScaler"], ["sklearn.ensemble._forest", "RandomForestClassifier"]][i % 3];
  const b = pickle().proto(4).stackGlobalOf(cls[0], cls[1]).emptyTuple().newObj().emptyDict().mark();
  b.shortBinUnicode("n_features_in_").binInt(16 + (i % 50));
  b.shortBinUnicode("_sklearn_version").shortBinUnicode("1.3.2");
  for (const field of ["coef_", "intercept_", "classes_"]) {
    b.shortBinUnicode(field).stackGlobalOf("numpy.core.multiarray", "_reconstruct").stackGlobalOf("numpy", "ndarray").binInt(0).tupleN(1).bytes(new Uint8Array([0x62]), "short").tupleN(3).reduce();
    b.mark().binInt(1).binInt(64).tupleN(1).stackGlobalOf("numpy", "dtype").shortBinUnicode("f8").bool(false).bool(true).tupleN(3).reduce();
    b.mark().binInt(3).shortBinUnicode("<").none().none().none().binInt(-1).binInt(-1).binInt(0).tuple().buildOp();
    b.bool(false).bytes(new Uint8Array(64 * 8)).tuple().buildOp();
  }
  return b.setItems().buildOp().stop().toBytes();
}

function joblibDump(i) {
  const b = pickle().proto(4).emptyDict().mark().shortBinUnicode("weights");
  joblibArray(b, { dtype: "f8", shape: [256 + (i % 32)], data: new Uint8Array((256 + (i % 32)) * 8), alignment: true });
  return b.shortBinUnicode("name").shortBinUnicode(`model-${i}`).setItems().stop().toBytes();
}

function tokenizerPickle(i) {
  const b = pickle().proto(4).emptyDict().mark();
  for (let k = 0; k < 200; k++) b.shortBinUnicode(`tok${k}_${i % 17}`).binInt(k);
  return b.setItems().stop().toBytes();
}

export default [
  {
    name: "corpus: 1,700 ML artifacts, 22,000 archive members, whole process",
    async create(dir) {
      const root = join(dir, "hub");
      let n = 0;
      const place = async (name, bytes) => {
        const folder = join(root, `org${n % 40}`, `repo${n % 170}`);
        n++;
        await mkdir(folder, { recursive: true });
        const path = join(folder, name);
        if (bytes) await writeFile(path, bytes);
        return path;
      };
      for (let i = 0; i < 600; i++) {
        const tensors = stateDict(i, 1.8 * 1024 * 1024);
        await writeSparseTorchZip(await place(`pytorch_model-${i}.bin`), tensors, "archive");
      }
      for (let i = 0; i < 60; i++) await place(`traced-${i}.pt`, buildTorchScriptZip({ prefix: `traced-${i}` }));
      for (let i = 0; i < 60; i++) await place(`legacy-${i}.pth`, buildLegacyTorch({ tensors: stateDict(i, 4096) }));
      for (let i = 0; i < 450; i++) await place(`estimator-${i}.pkl`, sklearnPickle(i));
      for (let i = 0; i < 330; i++) await place(`model-${i}.joblib`, joblibDump(i));
      for (let i = 0; i < 200; i++) await place(`tokenizer-${i}.pkl`, tokenizerPickle(i));
      return root;
    },
    cli: scanArgs,
    runs: 3,
    reference: picklescan,
    target: { maxWallMs: 3000, maxRssMb: 200 },
    metrics: (report) => ({
      files: report.summary.files.total,
      members: report.files.filter((f) => f.members.length > 0).length,
      findings: report.summary.findings.total,
    }),
  },
];
