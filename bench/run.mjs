// `pnpm bench [filter]`: generates each case's input on the fly (cached under
// the OS temp folder between runs), scans it in a fresh child process with the
// built CLI's recommended preset, and prints wall time, bytes read and peak RSS
// against the target.
//
// Two kinds of case: by default the child times `scanner.scan()` alone (engine and
// analyzers, no start-up); a case with `cli(target, reportPath)` instead times the
// whole `modelward` process with those arguments (start-up included), as the median
// of several runs each paired with `node -e 0`, whose ratio is printed too.
// A case with `measure(target, { cliPath })` runs and measures itself (the scan service:
// a server under load) and returns `{ wallMs, peakRssMb, metrics }`.
// A case with `reference(target)` (argv of another scanner) also prints that tool's
// median wall and our ratio to it when the tool runs here; it is never required.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { measureProcess, median } from "./lib/process-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const cliPath = join(here, "..", "packages", "cli", "dist", "cli.js");
const root = join(tmpdir(), "modelward-bench");
const casesDir = join(here, "cases");
const cases = [];
for (const file of readdirSync(casesDir).filter((f) => f.endsWith(".mjs")).sort()) {
  const mod = await import(pathToFileURL(join(casesDir, file)).href);
  for (const c of mod.default) cases.push({ ...c, file });
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const mb = (n) => (n / 1e6).toFixed(n < 1e7 ? 2 : 0);
const rows = [];
let failures = 0;
for (const c of cases.filter((c) => c.name.includes(filter))) {
  const dir = join(root, slug(c.name));
  const marker = join(dir, ".ready");
  let target;
  if (existsSync(marker)) target = readFileSync(marker, "utf8");
  else {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating input for "${c.name}"…\n`);
    target = await c.create(dir);
    writeFileSync(marker, target);
  }
  const out = join(dir, ".result.json");
  let wallMs, peakRssMb, report, whole, measured, servedMetrics = {};
  if (c.measure) {
    // A case that drives a long-running process itself (the scan service) and returns its figures.
    measured = await c.measure(target, { cliPath });
    ({ wallMs, peakRssMb } = measured);
  } else if (c.cli) {
    rmSync(out, { force: true });
    whole = measureProcess([cliPath, ...c.cli(target, out)], { cwd: here, runs: c.runs ?? 5, ...(c.expectedExits ? { expectedExits: c.expectedExits } : {}) });
    ({ wallMs, peakRssMb } = whole);
    report = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : undefined;
  } else {
    // A remote case serves its input (HF stand-in, S3 server) while the child scans it: the child
    // runs asynchronously, so a server in this process keeps answering.
    const served = c.serve ? await c.serve(target) : undefined;
    try {
      await runChild([join(here, "measure.mjs"), served?.target ?? target, out, String(c.concurrency ?? ""), JSON.stringify(served?.sources ?? {})]);
    } finally {
      served?.metrics && (servedMetrics = await served.metrics());
      await served?.stop();
    }
    ({ wallMs, peakRssMb, report } = JSON.parse(readFileSync(out, "utf8")));
  }
  const t = c.target ?? {};
  const checks = [];
  if (t.maxWallMs !== undefined) checks.push(wallMs <= t.maxWallMs ? `wall ≤ ${t.maxWallMs} ms ✓` : `wall > ${t.maxWallMs} ms ✗`);
  if (t.maxRssMb !== undefined) checks.push(peakRssMb <= t.maxRssMb ? `RSS ≤ ${t.maxRssMb} MB ✓` : `RSS > ${t.maxRssMb} MB ✗`);
  if (t.maxRatioToNode !== undefined && whole)
    checks.push(whole.ratio <= t.maxRatioToNode ? `× node ≤ ${t.maxRatioToNode} ✓` : `× node > ${t.maxRatioToNode} ✗`);
  if (t.minFilesPerSecond !== undefined) {
    const rate = report.summary.files.total / (wallMs / 1000);
    checks.push(rate >= t.minFilesPerSecond ? `≥ ${t.minFilesPerSecond} files/s ✓` : `< ${t.minFilesPerSecond} files/s ✗`);
  }
  if (t.minJobsPerSecond !== undefined && measured) {
    const rate = Number(measured.metrics["jobs/s"]);
    checks.push(rate >= t.minJobsPerSecond ? `≥ ${t.minJobsPerSecond} jobs/s ✓` : `< ${t.minJobsPerSecond} jobs/s ✗`);
  }
  if (t.maxBytesRead !== undefined && report)
    checks.push(report.summary.bytesRead <= t.maxBytesRead ? `read ≤ ${mb(t.maxBytesRead)} MB ✓` : `read > ${mb(t.maxBytesRead)} MB ✗`);
  if (checks.some((s) => s.endsWith("✗"))) failures++;
  const metrics = measured ? measured.metrics : { ...(c.metrics && report ? c.metrics(report, wallMs) : {}), ...servedMetrics };
  const ref = c.reference ? runReference(c.reference(target), wallMs) : {};
  rows.push({
    case: c.name,
    "wall ms": wallMs.toFixed(1),
    ...(whole ? { "node -e 0 ms": whole.nodeWallMs.toFixed(1), "× node": whole.ratio.toFixed(2) } : {}),
    "read MB": report ? mb(report.summary.bytesRead) : "-",
    "size MB": report ? mb(report.summary.bytesTotal) : "-",
    "peak RSS MB": peakRssMb.toFixed(0),
    verdict: report?.summary.verdict ?? "-",
    ...Object.fromEntries(Object.entries({ ...metrics, ...ref }).map(([k, v]) => [k, String(v)])),
    target: checks.join(", ") || "-",
  });
  process.stdout.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
}
console.log("");
console.table(rows);
console.log(`${rows.length} cases, ${failures} missed their target. Inputs are cached in ${root}.`);
process.exitCode = failures ? 1 : 0;

/** Runs node with `args` (stdio inherited) and resolves when it exits 0. */
function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", cwd: here });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`measure.mjs exited ${code}`))));
  });
}

/** Median wall of another scanner over 3 runs (after a warm-up), and our ratio to it; `{}` when it cannot run here. */
function runReference(argv, ourWallMs) {
  const walls = [];
  for (let i = 0; i < 4; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
    if (r.error || r.status === null || r.status > 1) return {};
    if (i > 0) walls.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const refMs = median(walls);
  return { "reference ms": refMs.toFixed(1), "× reference": (ourWallMs / refMs).toFixed(2) };
}
