// Archive analyzer: a 2 GB stored zip (four 512 MiB storages plus a small pickle)
// must be listed from its central directory and local headers only, with members
// dispatched lazily (nothing reads the storages).
import { join } from "node:path";
import { pickle } from "@modelward/testing";
import { writeSparseStoredZip } from "../lib/sparse-zip.mjs";

const STORAGE = 512 * 1024 * 1024;

export default [
  {
    name: "archive: 2 GB stored zip, 4 large storages + a small pickle",
    async create(dir) {
      const path = join(dir, "checkpoint.pt");
      const small = pickle().proto(2).emptyDict().shortBinUnicode("w").binInt(1).setItem().stop().toBytes();
      await writeSparseStoredZip(path, [
        { name: "checkpoint/data.pkl", data: small },
        ...Array.from({ length: 4 }, (_, i) => ({ name: `checkpoint/data/${i}`, size: STORAGE })),
        { name: "checkpoint/version", data: Buffer.from("3\n") },
      ]);
      return path;
    },
    target: { maxWallMs: 500, maxRssMb: 150, maxBytesRead: 4 * 1024 * 1024 },
    metrics: (report) => ({
      members: report.files.filter((f) => f.members.length > 0).length,
      findings: report.summary.findings.total,
    }),
  },
];
