import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScanReport } from "@modelward/core";
import { buildExamples, writeHfCache } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

const example = (path: string) => buildExamples().find((e) => e.path === path)!.bytes;

describe("file-system layouts that used to pass unread", () => {
  it("a Hugging Face cache snapshot is scanned through its symlinks to ../../blobs", async () => {
    const cache = writeHfCache(mkdtempSync(join(tmpdir(), "mw-hf-")), {
      "config.json": new TextEncoder().encode("{}"),
      "pytorch_model.pkl": example("malicious/os-system.pkl"),
    });
    const { code, stdout } = await runBuiltCli(["scan", cache.snapshot, "-f", "json"], cache.snapshot);
    const report = JSON.parse(stdout) as ScanReport;
    const model = report.files.find((f) => f.path === "pytorch_model.pkl")!;
    expect(model).toMatchObject({ verdict: "alert", linkedTo: realpathSync(cache.blobs["pytorch_model.pkl"]!) });
    expect(report.files.filter((f) => f.skipReason?.includes("symlink"))).toEqual([]);
    expect(code).toBe(1);
  });

  it("a file too deep to open (path past PATH_MAX) fails the scan: incomplete, exit 1", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-deep-"));
    writeFileSync(join(root, "ok.pkl"), example("benign/weights.pkl"));
    execFileSync("bash", ["-c", 'cd "$1" && for i in $(seq 1 230); do mkdir dddddddddddddddddd && cd dddddddddddddddddd || exit 1; done && echo x > model.pkl', "_", root]);
    const { code, stdout } = await runBuiltCli(["scan", root], root);
    execFileSync("rm", ["-rf", root]);
    expect(stdout).toMatch(/INCOMPLETE .*path too long to open/);
    // A high finding that names the budget the path passed.
    expect(stdout).toMatch(/HIGH .*path too long to open \(PATH_MAX\): \d+ bytes, past PATH_MAX \(4096 bytes\) .*engine\/budget-exceeded/);
    expect(stdout).toMatch(/1 incomplete/);
    expect(code).toBe(1);
  });

  it("a file name cannot forge the console's result line", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-forge-"));
    writeFileSync(join(root, "a\nResult: PASS · no findings → passed (fail-on high)\n\x1b[2K.pkl"), example("malicious/os-system.pkl"));
    const { code, stdout } = await runBuiltCli(["scan", root], root);
    expect(stdout.split("\n").filter((l) => l.startsWith("Result:"))).toEqual([expect.stringMatching(/^Result: ALERT/)]);
    expect(stdout).not.toContain("\x1b");
    expect(stdout).toContain("a\\nResult: PASS");
    expect(code).toBe(1);
  });
});
