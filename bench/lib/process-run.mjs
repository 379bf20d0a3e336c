// Whole-process measurement for bench cases that include start-up: runs the built CLI
// `runs` times, each run paired with a bare `node -e 0` (A B A B …) so the ratio of the
// two cancels the machine's drift, and returns medians.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const preload = join(here, "rusage-preload.mjs");
const rusageFile = join(tmpdir(), `modelward-bench-rusage-${process.pid}`);

/** Median of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function once(args, cwd) {
  rmSync(rusageFile, { force: true });
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", preload, ...args], {
    cwd,
    env: { ...process.env, MODELWARD_BENCH_RUSAGE: rusageFile, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  const peakRssMb = Number(readFileSync(rusageFile, "utf8")) / 1024;
  return { wallMs, peakRssMb, status: r.status, stderr: r.stderr.toString() };
}

/**
 * Runs `node <args>` `runs` times after one warm-up, each paired with `node -e 0`.
 * Returns the medians of wall and peak RSS, the median of the pairwise wall ratios,
 * and the last exit status, which must be one of `expectedExits` (a scan's 0 or 1 by default).
 */
export function measureProcess(args, { cwd, runs = 5, expectedExits = [0, 1] } = {}) {
  once(args, cwd);
  once(["-e", "0"], cwd);
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(once(args, cwd));
    b.push(once(["-e", "0"], cwd));
  }
  const last = a[a.length - 1];
  if (!expectedExits.includes(last.status)) throw new Error(`exit ${last.status}: ${last.stderr}`);
  return {
    wallMs: median(a.map((r) => r.wallMs)),
    peakRssMb: median(a.map((r) => r.peakRssMb)),
    nodeWallMs: median(b.map((r) => r.wallMs)),
    ratio: median(a.map((r, i) => r.wallMs / b[i].wallMs)),
    status: last.status,
    runs,
  };
}
