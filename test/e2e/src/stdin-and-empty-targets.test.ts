import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExamples } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { CLI, runBuiltCli } from "./cli-binary.js";

function scanStdin(input: Uint8Array, args: string[] = []) {
  const r = spawnSync(process.execPath, [CLI, "scan", "-", ...args], { input, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const example = (path: string) => buildExamples().find((e) => e.path === path)!.bytes;

describe("scan - reads standard input; empty targets and empty scans are never a pass", () => {
  it("finds a malicious pickle piped in, and passes a benign one", () => {
    const malicious = buildExamples().find((e) => e.expected === "malicious" && e.path.endsWith(".pkl"))!;
    const bad = scanStdin(malicious.bytes, ["-f", "json"]);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.targets[0]).toMatchObject({ uri: "stdin:", input: "-" });
    expect(report.files[0]).toMatchObject({ path: "<stdin>", verdict: "alert" });
    const benign = buildExamples().find((e) => e.expected === "benign" && e.path.endsWith(".pkl"))!;
    const good = scanStdin(benign.bytes);
    expect(good.stdout).toMatch(/Result: PASS/);
    expect(good.code).toBe(0);
  });

  it("text on standard input is not a pass: nothing was analysed, exit 2", () => {
    const r = scanStdin(example("benign/notes.txt"));
    expect(r.stdout).toMatch(/Result: NO FILES ANALYSED/);
    expect(r.code).toBe(2);
  });

  it("exits 2 on an empty target and on an empty folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-empty-"));
    const empty = await runBuiltCli(["scan", ""], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty target/);
    const folder = await runBuiltCli(["scan", dir], dir);
    expect(folder.code).toBe(2);
    expect(folder.stdout).toMatch(/NO FILES ANALYSED/);
  });
});
