import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import type { Plugin, Ruleset } from "@modelward/core";
import { createScanner, resolveConfig } from "@modelward/engine";
import archive from "../src/index.js";
// @ts-expect-error plain .mjs bench case without types
import cases from "../../../bench/cases/archive.mjs";

// The bench case through the engine from source (the lead's runner uses the built CLI and
// the recommended preset): file source + archive + pickle plugins, wall time, bytes read, RSS.
it("scans the 2 GB stored zip through the engine", async () => {
  const dir = join(tmpdir(), "modelward-archive-measure");
  mkdirSync(dir, { recursive: true });
  const path: string = await cases[0].create(dir);
  const source = (await import("@modelward/source-file")).default as Plugin;
  const ruleset = (await import("@modelward/ruleset-default")).default as Ruleset;
  const config = await resolveConfig([
    { config: { plugins: [source, archive], rulesets: [ruleset], reporters: [] }, file: "<measure>", baseDir: dir },
  ]);
  const started = process.hrtime.bigint();
  const report = await createScanner(config, "0.0.0-measure").scan([path]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log({
    wallMs: wallMs.toFixed(1),
    bytesRead: report.summary.bytesRead,
    bytesTotal: report.summary.bytesTotal,
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
    files: report.files.map((f) => `${[f.path, ...f.members].join(" ▸ ")} read=${f.bytesRead} ${f.skipReason ?? f.analyzers.join(",")}`),
    findings: report.summary.findings.total,
    incomplete: report.files.flatMap((f) => f.incomplete),
    metrics: cases[0].metrics(report, wallMs),
  });
});
