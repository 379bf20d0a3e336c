import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScanReport } from "@modelward/core";
import { archiveHostileCases } from "@modelward/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// The archive family of the hostile-input suite at its small sizes, each scanned by the built
// CLI in a child process: a report is written, the problem is named, the file is incomplete and
// the exit code fails the scan. Full sizes (and their wall/RSS targets) are `pnpm bench hostile`.
const dir = mkdtempSync(join(tmpdir(), "mw-hostile-archives-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hostile archives (small sizes)", () => {
  for (const c of archiveHostileCases) {
    it(c.name, async () => {
      const caseDir = mkdtempSync(join(dir, "case-"));
      const target = await c.build(caseDir, "small");
      const out = join(caseDir, "report.json");
      const started = Date.now();
      const run = await runBuiltCli(["scan", target, "-q", "-f", "json", "-o", out], caseDir);
      const wall = Date.now() - started;
      const report = JSON.parse(readFileSync(out, "utf8")) as ScanReport;
      expect(run.code, run.stderr).toBe(c.expect.exitCode);
      const rules = new Set(report.files.flatMap((f) => f.findings.map((x) => x.ruleId)));
      expect([...rules].some((r) => c.expect.anyRule.includes(r)), `rules: ${[...rules].join(", ")}`).toBe(true);
      if (c.expect.incomplete) expect(report.summary.files.incomplete).toBeGreaterThan(0);
      // Generous for a loaded CI machine; the real targets are measured by the bench.
      expect(wall).toBeLessThan(60_000);
      rmSync(caseDir, { recursive: true, force: true });
    }, 120_000);
  }
});
