// Keras and TensorFlow models of 500 MB judged from their configs and graphs alone
// (issue 11.4): a `.keras` archive whose `model.weights.h5` is 500 MB, and a SavedModel
// folder whose variables shard is 500 MB. Weights are file holes (zeros that cost no
// disk); nothing but the zip directory, config.json, metadata.json, saved_model.pb and
// the checkpoint index should be read. In-process (scanner.scan() alone). The weights
// member is a hole without an HDF5 signature, so the .keras case reports that member
// "not analysed" (incomplete): what is measured is what reading the configs costs.
// Measured on the shared 2-core machine under load (2026-12-02): .keras 0.02 MB read,
// 0.89 s, 99 MB RSS; SavedModel folder 0.01 MB read, 1.17 s, 110 MB RSS.
import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { benignKerasConfig, buildSavedModel, buildTensorBundleIndex } from "@modelward/testing";
import { writeSparseStoredZip } from "../lib/sparse-zip.mjs";

const MB500 = 500 * 1000 * 1000;

async function hole(path, size) {
  const fh = await open(path, "w");
  await fh.truncate(size);
  await fh.close();
}

const metrics = (report) => ({
  files: report.files.length,
  incomplete: report.summary.files.incomplete,
  findings: report.summary.findings.total,
  models: report.models?.length ?? 0,
});

export default [
  {
    name: "keras: 500 MB .keras (configs only)",
    async create(dir) {
      const path = join(dir, "model-500mb.keras");
      await writeSparseStoredZip(path, [
        { name: "metadata.json", data: JSON.stringify({ keras_version: "3.6.0", date_saved: "2026-11-30@12:00:00" }) },
        { name: "config.json", data: JSON.stringify(benignKerasConfig()) },
        { name: "model.weights.h5", size: MB500 },
      ]);
      return path;
    },
    target: { maxWallMs: 2000, maxRssMb: 200, maxBytesRead: 2 * 1024 * 1024 },
    metrics,
  },
  {
    name: "tensorflow: 500 MB SavedModel folder (graph and index only)",
    async create(dir) {
      const root = join(dir, "saved-model-500mb");
      await mkdir(join(root, "variables"), { recursive: true });
      await writeFile(join(root, "saved_model.pb"), buildSavedModel());
      await writeFile(join(root, "fingerprint.pb"), new Uint8Array([8, 1, 16, 2]));
      const tensors = [
        { name: "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", offset: 0, size: MB500 - 4096 },
        { name: "dense/bias/.ATTRIBUTES/VARIABLE_VALUE", offset: MB500 - 4096, size: 4096 },
      ];
      await writeFile(join(root, "variables", "variables.index"), buildTensorBundleIndex(tensors));
      await hole(join(root, "variables", "variables.data-00000-of-00001"), MB500);
      return root;
    },
    target: { maxWallMs: 2000, maxRssMb: 200, maxBytesRead: 2 * 1024 * 1024 },
    metrics,
  },
];
