import { memorySourcePlugin, memoryTarget } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../config/resolve-config.js";
import { bytes, examplePlugin } from "./example-plugin.fixture.js";
import { createScanner } from "./scanner.js";

async function scanner() {
  const config = await resolveConfig([
    { config: { plugins: [memorySourcePlugin, examplePlugin], reporters: [], limits: { analyzerTimeoutMs: 60_000, concurrency: 1 } }, file: "<test>", baseDir: process.cwd() },
  ]);
  return createScanner(config, "0.0.0-test");
}

describe("the whole-scan deadline", () => {
  it("stops a hanging analysis and everything after it, and still returns a report that fails", async () => {
    const tree = { "a.md": bytes("notes"), "b.bin": bytes("HANG"), "c.md": bytes("more notes") };
    const started = Date.now();
    const report = await (await scanner()).scan([memoryTarget(tree)], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    expect(byPath["a.md"]!.status).toBe("skipped");
    expect(byPath["b.bin"]!.incomplete).toEqual([{ analyzer: "hanger", reason: "stopped: the scan deadline (300 ms) passed" }]);
    const rest = report.files.filter((f) => f.path !== "a.md" && f.path !== "b.bin");
    expect(rest.length).toBeGreaterThan(0);
    for (const f of rest) expect(f.incomplete.map((i) => i.reason).join()).toMatch(/not analysed: the scan deadline \(300 ms\) passed/);
    expect(report.summary.failed).toBe(true);
  });

  it("changes nothing when the scan ends in time", async () => {
    const report = await (await scanner()).scan([memoryTarget({ "a.md": bytes("notes"), "m.bin": bytes("BOX:") })], { timeoutMs: 30_000 });
    expect(report.files.map((f) => [f.path, f.status])).toEqual([["a.md", "skipped"], ["m.bin", "scanned"]]);
  });
});
