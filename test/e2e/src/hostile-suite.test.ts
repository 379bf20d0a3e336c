import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostileCases } from "@modelward/testing";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { runCase } from "../../../scripts/hostile-run.mjs";

// The small size of every hostile case, each scanned by the built CLI in its own process: the exit
// code the case expects, a JSON report that names the problem, and the bounds (30 s, 300 MB;
// generous for the small sizes, which take well under a second where the machine is idle).
describe("hostile-input suite (small sizes)", () => {
  for (const c of hostileCases)
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), "mw-hostile-"));
      try {
        const target = await c.build(dir, "small");
        const row = runCase(c, target, dir, { size: "small" });
        expect(row, JSON.stringify(row)).toMatchObject({ exit: c.expect.smallExit ?? c.expect.exit, reportWritten: true, named: true });
        expect(row.wallMs).toBeLessThan(30_000);
        expect(row.peakRssMb).toBeLessThan(300);
      } finally {
        spawnSync("rm", ["-rf", dir]);
      }
    }, 120_000);
});
