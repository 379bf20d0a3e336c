// ONNX analyzer: every real model of onnx's backend tests in Debian's libonnx-testdata (about 1,070
// .onnx files: every operator, If/Loop/Scan subgraphs, functions, training graphs), copied into one
// folder (the test inputs beside them are TensorProtos, not models) and scanned in one run: files per
// second, and nothing at medium or above (issue 12.8). Needs `apt-get install libonnx-testdata`.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

const TESTDATA = "/usr/share/libonnx-testdata/data";

function onnxFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) onnxFiles(join(dir, e.name), out);
    else if (e.name.endsWith(".onnx")) out.push(join(dir, e.name));
  }
  return out;
}

export default [
  {
    name: "onnx: libonnx-testdata, ~1,070 real models in one run",
    async create(dir) {
      if (!existsSync(TESTDATA)) throw new Error(`${TESTDATA} is missing: apt-get install libonnx-testdata`);
      const target = join(dir, "models");
      for (const file of onnxFiles(TESTDATA)) {
        const to = join(target, relative(TESTDATA, file).replace(/[\\/]/g, "__"));
        mkdirSync(target, { recursive: true });
        copyFileSync(file, to);
      }
      return target;
    },
    target: { minFilesPerSecond: 50 },
    metrics: (report, wallMs) => ({
      files: report.summary.files.total,
      "files/s": (report.summary.files.total / (wallMs / 1000)).toFixed(0),
      "medium or above": report.files.reduce((n, f) => n + f.findings.filter((x) => ["medium", "high", "critical"].includes(x.severity)).length, 0),
    }),
  },
];
