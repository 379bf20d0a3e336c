// Engine overhead: a wide folder walk, every file sniffed and dispatched.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export default [
  {
    name: "engine: walk and sniff 10,000 small files in 100 folders",
    async create(dir) {
      const root = join(dir, "tree");
      for (let d = 0; d < 100; d++) {
        mkdirSync(join(root, `d${d}`), { recursive: true });
        for (let f = 0; f < 100; f++) writeFileSync(join(root, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(20));
      }
      return root;
    },
    // Engine overhead: scanner.scan() alone (no start-up) over files no analyzer claims.
    target: { maxRssMb: 300, minFilesPerSecond: 20_000 },
    metrics: (report, wallMs) => ({ "files/s": Math.round(report.summary.files.total / (wallMs / 1000)) }),
  },
];
