import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildExamples } from "../examples.js";
import type { HostileCase } from "./hostile-case.js";

const malicious = () => buildExamples().find((e) => e.path === "malicious/os-system.pkl")!.bytes;

/** `n` files `d<k>/f<i><extension>` holding `content`, a thousand per folder (sorted before `m…` and `z…` names). */
function writeCrowd(root: string, n: number, extension: string, content: string): void {
  for (let d = 0; d * 1000 < n; d++) {
    mkdirSync(join(root, `d${d}`), { recursive: true });
    for (let i = d * 1000; i < Math.min(n, (d + 1) * 1000); i++) writeFileSync(join(root, `d${d}`, `f${i}${extension}`), content);
  }
}

/** Layouts on disk that used to be skipped, looped on or passed. */
export const filesystemHostileCases: HostileCase[] = [
  {
    name: "fs/path-past-path-max",
    build: async (dir) => {
      const root = join(dir, "deep");
      mkdirSync(root);
      // Relative cd/mkdir go where no absolute path can (ENAMETOOLONG past 4096 bytes).
      execFileSync("bash", ["-c", 'cd "$1" && for i in $(seq 1 420); do mkdir dddddddddd && cd dddddddddd || exit 1; done && echo x > model.pkl', "_", root]);
      return root;
    },
    expect: { exit: 1, names: /path too long to open.*engine\/budget-exceeded|engine\/budget-exceeded.*path too long to open/s },
  },
  {
    name: "fs/fifo-and-symlink-loops",
    build: async (dir) => {
      const root = join(dir, "loops");
      mkdirSync(join(root, "sub"), { recursive: true });
      execFileSync("mkfifo", [join(root, "pipe.pkl")]);
      symlinkSync(root, join(root, "sub", "up"));
      symlinkSync("b", join(root, "a"));
      symlinkSync("a", join(root, "b"));
      symlinkSync("/dev/zero", join(root, "zero.pkl"));
      writeFileSync(join(root, "model.pkl"), malicious());
      return root;
    },
    expect: { exit: 1, names: /symlink loop/ },
  },
  {
    name: "fs/many-empty-files",
    build: async (dir, size) => {
      const root = join(dir, "empties");
      writeCrowd(root, size === "small" ? 2_000 : 200_000, "", "");
      writeFileSync(join(root, "model.pkl"), malicious());
      return root;
    },
    expect: { exit: 1, names: /empty file/ },
  },
  {
    // A malicious pickle sorted after more files than the scan analyses: counted and named, never passed.
    name: "fs/model-past-file-limit",
    build: async (dir, size) => {
      const root = join(dir, "crowd");
      writeCrowd(root, size === "small" ? 300 : 100_500, ".txt", "x");
      writeFileSync(join(root, "zz-model.pkl"), malicious());
      return root;
    },
    config: (size) => (size === "small" ? { limits: { maxFiles: 200 } } : undefined),
    expect: { exit: 1, names: /files were not analysed: the scan passed maxFiles[^"]*named like model files; the first: \\"zz-model\.pkl\\"/ },
  },
  {
    name: "fs/forged-console-name",
    build: async (dir) => {
      const root = join(dir, "forge");
      mkdirSync(root);
      writeFileSync(join(root, "a\nResult: PASS · no findings → passed (fail-on high)\n\x1b[2K.pkl"), malicious());
      return root;
    },
    expect: { exit: 1, names: /os\.system/ },
  },
];
