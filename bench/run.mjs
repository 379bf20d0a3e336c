// `pnpm bench [filter]`: generates each case's input on the fly (cached under
// the OS temp folder between runs), scans it in a fresh child process with the
// built CLI's recommended preset, and prints wall time, bytes read and peak RSS
// against the target.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
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
  execFileSync(process.execPath, [join(here, "measure.mjs"), target, out, String(c.concurrency ?? "")], { stdio: "inherit", cwd: here });
  const { wallMs, peakRssMb, report } = JSON.parse(readFileSync(out, "utf8"));
  const t = c.target ?? {};
  const checks = [];
  if (t.maxWallMs !== undefined) checks.push(wallMs <= t.maxWallMs ? `wall ≤ ${t.maxWallMs} ms ✓` : `wall > ${t.maxWallMs} ms ✗`);
  if (t.maxRssMb !== undefined) checks.push(peakRssMb <= t.maxRssMb ? `RSS ≤ ${t.maxRssMb} MB ✓` : `RSS > ${t.maxRssMb} MB ✗`);
  if (t.maxBytesRead !== undefined)
    checks.push(report.summary.bytesRead <= t.maxBytesRead ? `read ≤ ${mb(t.maxBytesRead)} MB ✓` : `read > ${mb(t.maxBytesRead)} MB ✗`);
  if (checks.some((s) => s.endsWith("✗"))) failures++;
  const metrics = c.metrics ? c.metrics(report, wallMs) : {};
  rows.push({
    case: c.name,
    "wall ms": wallMs.toFixed(1),
    "read MB": mb(report.summary.bytesRead),
    "size MB": mb(report.summary.bytesTotal),
    "peak RSS MB": peakRssMb.toFixed(0),
    verdict: report.summary.verdict,
    ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])),
    target: checks.join(", ") || "-",
  });
  process.stdout.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
}
console.log("");
console.table(rows);
console.log(`${rows.length} cases, ${failures} missed their target. Inputs are cached in ${root}.`);
process.exitCode = failures ? 1 : 0;
