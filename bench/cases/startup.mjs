// Start-up: the whole `modelward` process, as wall time and as a ratio to a bare
// `node -e 0` measured in the same run (pairs A B A B …), so machine noise cancels.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { scanArgs } from "../lib/scan-args.mjs";

export default [
  {
    name: "startup: modelward --version",
    async create(dir) {
      return dir;
    },
    cli: () => ["--version"],
    runs: 9,
    target: { maxWallMs: 100, maxRssMb: 60 },
  },
  {
    name: "startup: scan an empty folder",
    async create(dir) {
      const empty = join(dir, "empty");
      await mkdir(empty, { recursive: true });
      return empty;
    },
    cli: scanArgs,
    runs: 9,
    // Nothing analysed is not a pass: the scan exits 2 on purpose (README, exit codes).
    expectedExits: [2],
    target: { maxWallMs: 100, maxRssMb: 80 },
  },
];
