import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// An analyzer that never finishes and keeps the event loop busy with a timer: the worst case
// for a deadline, since nothing ends on its own.
function project(): { dir: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), "mw-deadline-"));
  writeFileSync(
    join(dir, "stuck-plugin.mjs"),
    `export default { apiVersion: 1, meta: { name: "stuck-plugin", version: "1.0.0", namespace: "stuck" },
      analyzers: { stuck: { id: "stuck", version: 1, description: "never ends", formats: ["stuck"], rules: [],
        match: (file, head) => new TextDecoder().decode(head).startsWith("STUCK"),
        analyze: () => new Promise(() => { setInterval(() => {}, 1000); }) } } };`,
  );
  writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: ["modelward:recommended"], plugins: ["./stuck-plugin.mjs"] }));
  const target = join(dir, "models");
  mkdirSync(target);
  writeFileSync(join(target, "a.bin"), "STUCK");
  for (let i = 0; i < 20; i++) writeFileSync(join(target, `b${i}.bin`), "STUCK too");
  return { dir, target };
}

describe("scan --timeout", () => {
  it("ends at the deadline with a report naming the unfinished work, exit 1, and the process exits", async () => {
    const { dir, target } = project();
    const started = Date.now();
    const { code, stdout } = await runBuiltCli(["scan", target, "--timeout", "1", "-f", "json"], dir);
    expect(Date.now() - started).toBeLessThan(30_000);
    const report = JSON.parse(stdout);
    const reasons = report.files.flatMap((f: { incomplete: { reason: string }[] }) => f.incomplete.map((i) => i.reason));
    expect(reasons).toContain("stopped: the scan deadline (1000 ms) passed");
    expect(reasons.some((r: string) => /^not analysed: the scan deadline \(1000 ms\) passed/.test(r))).toBe(true);
    expect(report.summary.failed).toBe(true);
    expect(code).toBe(1);
  });

  it("refuses a deadline that is not a positive number", async () => {
    const { dir, target } = project();
    const { code, stderr } = await runBuiltCli(["scan", target, "--timeout", "0"], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--timeout must be a positive number of seconds/);
  });
});
