import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import type { Plugin, Ruleset } from "@modelward/core";
import { AnalyzerTester, incompleteReasons } from "@modelward/testing";
import archive from "../src/index.js";

// Measurement only (not a test, not product code): the archive plugin composed with the
// pickle plugin and the default ruleset through the real engine, on every corpus file the
// archive analyzer claims, to show the whole chain container ▸ member ▸ pickle finding.
const CORPUS = process.env.MODELWARD_CORPUS ?? "/work/shared/corpus";

it("measures the corpus through the engine", async () => {
  const loaded = (await import("@modelward/analyzer-pickle")).default as Plugin;
  // The engine refuses a rule declared by two analyzers, even of one plugin: keep each
  // pickle rule on the first analyzer that declares it (measurement workaround only).
  const declared = new Set<string>();
  const pickle: Plugin = {
    ...loaded,
    analyzers: Object.fromEntries(
      Object.entries(loaded.analyzers ?? {}).map(([id, a]) => {
        const rules = a.rules.filter((r) => !declared.has(r.id));
        for (const r of rules) declared.add(r.id);
        return [id, { ...a, rules }];
      }),
    ),
  };
  const ruleset = (await import("@modelward/ruleset-default")).default as Ruleset;
  const tester = new AnalyzerTester({ plugins: [archive, pickle], rulesets: [ruleset] });
  const rows = readFileSync(join(CORPUS, "MANIFEST.tsv"), "utf8").trim().split("\n").slice(1);
  const out: string[] = [];
  for (const row of rows) {
    const [path, format, expected] = row.split("\t") as [string, string, string];
    const bytes = new Uint8Array(readFileSync(join(CORPUS, path)));
    const name = path.split("/").pop()!;
    const head = bytes.subarray(0, 4096);
    const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
    const file = { path: name, members: [], name, extension: name.split(".").pop() ?? "", size: bytes.length, depth: 0 };
    if (!archive.analyzers!.archive!.match(file, head, tail)) continue;
    const report = await tester.scan(name, bytes);
    out.push(`## ${path} — manifest: ${format} / ${expected} — verdict ${report.summary.verdict} (highest ${report.summary.highestSeverity ?? "none"})`);
    for (const f of report.files) {
      const where = [f.path, ...f.members].join(" ▸ ");
      const findings = f.findings.map((x) => `${x.ruleId}:${x.severity}`).join(" ");
      out.push(`  ${where} [${f.analyzers.join(",") || f.skipReason || "-"}] ${findings || "no findings"}`);
    }
    for (const r of incompleteReasons(report)) out.push(`  incomplete: ${r}`);
  }
  console.log(out.join("\n"));
});
