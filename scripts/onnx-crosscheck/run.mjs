// Optional cross-check (not in CI): models written by the real onnx library
// (make_models.py, needs Debian's python3-onnx) scanned by the built CLI; each
// must raise exactly the expected rules at medium or above (none for clean-*).
//   node scripts/onnx-crosscheck/run.mjs
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mw-onnx-xcheck-"));
execFileSync(process.env.PYTHON ?? "/usr/bin/python3", [join(here, "make_models.py"), dir], { stdio: "inherit" });
const out = join(dir, "report.json");
spawnSync(process.execPath, [join(here, "..", "..", "packages", "cli", "dist", "cli.js"), "scan", dir, "--ignore", "expected.json", "-f", "json", "-o", out, "-q"]);
const report = JSON.parse(readFileSync(out, "utf8"));
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
let bad = 0;
for (const [name, rules] of Object.entries(expected)) {
  const file = report.files.find((f) => f.path === name);
  const got = [...new Set((file?.findings ?? []).filter((x) => rank[x.severity] >= (rules.length ? 1 : 2)).map((x) => x.ruleId))].sort();
  const ok = file?.format === "onnx" && file.incomplete.length === 0 && rules.every((r) => got.includes(r)) && (rules.length > 0 || got.length === 0);
  if (!ok) bad++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: expected [${rules.join(", ")}], got [${got.join(", ")}]${file?.incomplete.length ? " (incomplete)" : ""}`);
}
process.exit(bad ? 1 : 0);
