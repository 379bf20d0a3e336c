// Measures false alarms on the real-world benign corpus written by
// scripts/benign-corpus/generate.py (never used by tests; a measuring stick for
// every policy change). Scans the folder once with the built engine and the
// recommended preset, then counts top-level files by their most severe finding:
// medium or above (target 0), low, incomplete, clean.
//   node scripts/benign-corpus/measure.mjs [dir=/tmp/benign-corpus] [--details] [--json out.json]
// --details lists every file at low or above with its findings, grouped by rule and global.
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createScanner, loadConfig } from "@modelward/engine";
import { PRESETS, VERSION } from "modelward";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--json")));
const dir = resolve(positional[0] ?? "/tmp/benign-corpus");
const details = args.includes("--details");

const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const { config } = await loadConfig({ cwd: here, presets: PRESETS, defaultConfig: { extends: ["modelward:recommended"] } });
const scanner = createScanner(config, VERSION);
const report = await scanner.scan([dir]);

/** Per top-level path: the worst severity of it and its members, incomplete or not, and its findings. */
const byPath = new Map();
for (const f of report.files) {
  const e = byPath.get(f.path) ?? { worst: undefined, incomplete: false, skipped: f.status === "skipped", findings: [] };
  if (f.members.length === 0) e.skipped = f.status === "skipped";
  if (f.status === "incomplete") e.incomplete = true;
  for (const x of f.findings) {
    if (x.suppressed) continue;
    if (e.worst === undefined || rank[x.severity] > rank[e.worst]) e.worst = x.severity;
    e.findings.push({ member: f.members.join(" ▸ "), severity: x.severity, rule: x.ruleId, message: x.message });
  }
  byPath.set(f.path, e);
}

const counts = { files: 0, mediumOrAbove: 0, low: 0, incomplete: 0, clean: 0, skipped: 0 };
const byRule = new Map();
for (const [path, e] of [...byPath].sort()) {
  counts.files++;
  if (e.skipped && !e.findings.length) counts.skipped++;
  if (e.incomplete) counts.incomplete++;
  if (e.worst && rank[e.worst] >= rank.medium) counts.mediumOrAbove++;
  else if (e.worst === "low") counts.low++;
  else if (!e.incomplete && !e.skipped) counts.clean++;
  for (const x of e.findings) {
    if (rank[x.severity] < rank.low) continue;
    // Grouped by rule and the name the message is about (offsets and arguments differ from file to file).
    const about = /(?:calls|imports|looks up) ([\w.<>]+)/.exec(x.message)?.[1] ?? x.message.replace(/ at byte \d+[\s\S]*/, "").slice(0, 100);
    const key = `${x.severity.padEnd(8)} ${x.rule}: ${about}`;
    byRule.set(key, (byRule.get(key) ?? 0) + 1);
  }
  if (details && e.worst && rank[e.worst] >= rank.low) {
    console.log(`${e.worst.padEnd(8)} ${e.incomplete ? "INCOMPLETE " : ""}${path}`);
    for (const x of e.findings.filter((y) => rank[y.severity] >= rank.low).slice(0, 6))
      console.log(`    ${x.severity} ${x.rule}${x.member ? ` [${x.member}]` : ""}: ${x.message.slice(0, 200)}`);
  }
}
console.log(`\nbenign corpus ${dir}`);
console.log(
  `files ${counts.files}  medium+ ${counts.mediumOrAbove} (target 0)  low ${counts.low}  incomplete ${counts.incomplete}  clean ${counts.clean}  skipped ${counts.skipped}`,
);
console.log("\nfindings at low or above, by rule and name (count of occurrences):");
for (const [key, n] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, details ? 400 : 60)) console.log(`${String(n).padStart(5)}  ${key}`);
const jsonOut = opt("--json");
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ dir, counts, files: Object.fromEntries(byPath) }, null, 1));
