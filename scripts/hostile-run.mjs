// The hostile-input suite's runner: builds each case of @modelward/testing's `hostileCases` (the size
// given, `small` by default), scans it with the built CLI in a child process, and prints one JSON line
// per case: wall time, peak RSS (the kernel's accounting), exit code, whether the JSON report was
// written and names the problem. Exits 1 when a case misses: exit code, naming, < 30 s, < 300 MB.
//   node scripts/hostile-run.mjs [small|full] [name filter]
// `pnpm bench hostile` runs the full sizes through bench/cases/hostile.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "..", "packages", "cli", "dist", "cli.js");
const preload = join(here, "..", "bench", "lib", "rusage-preload.mjs");

/** Scans one built case in a child process and says how it went. */
export function runCase(c, target, workDir, { maxWallMs = 30_000, maxRssMb = 300, size = "full" } = {}) {
  const report = join(workDir, "report.json");
  const rusage = join(workDir, "rusage");
  rmSync(report, { force: true });
  const config = c.config?.(size);
  const configArgs = [];
  if (config) {
    configArgs.push("-c", join(workDir, "modelward.config.json"));
    writeFileSync(configArgs[1], JSON.stringify(config));
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", preload, cli, "scan", target, "-f", "json", "-o", report, "--timeout", "120", ...configArgs], {
    env: { ...process.env, NO_COLOR: "1", MODELWARD_BENCH_RUSAGE: rusage },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 300_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = existsSync(rusage) ? Number(readFileSync(rusage, "utf8")) / 1024 : NaN;
  const text = existsSync(report) ? readFileSync(report, "utf8") : "";
  const named = text !== "" && c.expect.names.test(text);
  const exit = size === "small" ? c.expect.smallExit ?? c.expect.exit : c.expect.exit;
  const ok = r.status === exit && named && wallMs < maxWallMs && peakRssMb < maxRssMb;
  return { case: c.name, wallMs: Math.round(wallMs), peakRssMb: Math.round(peakRssMb), exit: r.status, reportWritten: text !== "", named, ok, stderr: r.stderr.toString().slice(0, 300) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { hostileCases } = await import("@modelward/testing");
  const size = process.argv[2] === "full" ? "full" : "small";
  const filter = process.argv[3] ?? "";
  let failed = 0;
  for (const c of hostileCases.filter((x) => x.name.includes(filter))) {
    const dir = mkdtempSync(join(tmpdir(), "mw-hostile-"));
    try {
      const target = await c.build(dir, size);
      const row = runCase(c, target, dir, { size });
      if (!row.ok) failed++;
      console.log(JSON.stringify(row));
    } finally {
      spawnSync("rm", ["-rf", dir]);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
