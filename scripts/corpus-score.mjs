// Measures Modelward on ../shared/corpus (never used by tests): scans every file
// listed in MANIFEST.tsv one by one with the built engine and the recommended
// preset, then prints, per format family, malicious files reported at high or
// above and benign files with nothing at medium or above.
//   node scripts/corpus-score.mjs [--formats pickle,zip] [--details] [--sarif out.sarif] [--cyclonedx out.cdx.json]
// With --sarif / --cyclonedx it also scans the whole corpus folder once and writes those reports.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createScanner, loadConfig } from "@modelward/engine";
import { PRESETS, VERSION } from "modelward";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "..", "..", "shared", "corpus");
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const formats = opt("--formats")?.split(",");
const details = args.includes("--details");

const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const rows = readFileSync(join(corpus, "MANIFEST.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [path, format, expected, why] = line.split("\t");
    return { path, format, expected, why };
  })
  .filter((r) => !formats || formats.some((f) => r.format.toLowerCase().includes(f)));

const { config } = await loadConfig({ cwd: here, presets: PRESETS, defaultConfig: { extends: ["modelward:recommended"] } });
const scanner = createScanner(config, VERSION);
const family = (format) => format.split(/[ (]/)[0];
const score = new Map();
const misses = [];
for (const row of rows) {
  const report = await scanner.scan([join(corpus, row.path)]);
  const top = report.files.find((f) => f.members.length === 0);
  const worst = top?.highestSeverity;
  const incomplete = report.files.some((f) => f.status === "incomplete");
  const s = score.get(family(row.format)) ?? { malicious: [0, 0], benign: [0, 0], other: 0, incomplete: 0 };
  if (incomplete) s.incomplete++;
  let ok;
  if (row.expected === "malicious") {
    ok = worst !== undefined && rank[worst] >= rank.high;
    s.malicious[1]++;
    if (ok) s.malicious[0]++;
  } else if (row.expected === "benign") {
    // An incomplete analysis is counted on its own (it fails the scan under the defaults), not as an alarm.
    ok = worst === undefined || rank[worst] < rank.medium;
    s.benign[1]++;
    if (ok) s.benign[0]++;
  } else s.other++;
  score.set(family(row.format), s);
  const line = `${ok === undefined ? "·" : ok ? "✓" : "✗"} ${row.expected.padEnd(10)} ${String(worst ?? "none").padEnd(8)} ${incomplete ? "INCOMPLETE " : ""}${row.path}  [${row.format}]`;
  if (ok === false) misses.push(`${line}\n      why: ${row.why}\n      got: ${report.files.flatMap((f) => f.findings.map((x) => `${x.severity} ${x.ruleId}: ${x.message}`)).slice(0, 4).join(" | ") || report.files.map((f) => f.skipReason ?? f.incomplete.map((i) => i.reason).join("; ")).join(" | ")}`);
  if (details) console.log(line);
}
console.log("\nformat family                     malicious ≥ high     benign < medium   incomplete   suspicious/unclear (not scored)");
let tm = [0, 0];
let tb = [0, 0];
for (const [fam, s] of [...score].sort()) {
  console.log(`${fam.padEnd(34)} ${`${s.malicious[0]}/${s.malicious[1]}`.padEnd(20)} ${`${s.benign[0]}/${s.benign[1]}`.padEnd(17)} ${String(s.incomplete || "").padEnd(12)} ${s.other || ""}`);
  tm = [tm[0] + s.malicious[0], tm[1] + s.malicious[1]];
  tb = [tb[0] + s.benign[0], tb[1] + s.benign[1]];
}
console.log(`${"TOTAL".padEnd(34)} ${`${tm[0]}/${tm[1]}`.padEnd(20)} ${tb[0]}/${tb[1]}`);
if (misses.length) console.log(`\nMisses (${misses.length}):\n${misses.join("\n")}`);

const sarifOut = opt("--sarif");
const cdxOut = opt("--cyclonedx");
if (sarifOut || cdxOut) {
  const report = await scanner.scan([corpus], { hashes: Boolean(cdxOut) });
  for (const [id, file] of [["sarif", sarifOut], ["cyclonedx", cdxOut]]) {
    if (!file) continue;
    writeFileSync(file, await config.reporters.get(id).render(report, { options: {}, rules: config.rules, color: false }));
    console.log(`wrote ${id} of the whole corpus to ${file}`);
  }
}

// Validation of the written outputs: the SARIF multitool (it exits 0 on invalid files, so its own
// output log is read) and the CycloneDX library's strict JSON validator.
if (args.includes("--validate")) {
  const { execFileSync } = await import("node:child_process");
  const { createRequire } = await import("node:module");
  if (sarifOut) {
    const req = createRequire(join(here, "..", "plugins", "reporter-sarif", "package.json"));
    const binary = req("@microsoft/sarif-multitool");
    const log = `${sarifOut}.validation.sarif`;
    execFileSync(binary, ["validate", sarifOut, "-o", log, "--log", "ForceOverwrite"], { stdio: "ignore" });
    const results = JSON.parse(readFileSync(log, "utf8")).runs[0].results ?? [];
    const count = (level) => results.filter((r) => (r.level ?? "warning") === level).length;
    console.log(`sarif-multitool validate: ${count("error")} errors, ${count("warning")} warnings, ${count("note")} notes`);
  }
  if (cdxOut) {
    const req = createRequire(join(here, "..", "plugins", "reporter-cyclonedx", "package.json"));
    const CDX = req("@cyclonedx/cyclonedx-library");
    const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(readFileSync(cdxOut, "utf8"));
    console.log(`CycloneDX 1.6 strict validator: ${errors === null ? "valid" : `INVALID ${JSON.stringify(errors).slice(0, 500)}`}`);
  }
}
