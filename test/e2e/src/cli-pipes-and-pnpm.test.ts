import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildExamples } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { CLI } from "./cli-binary.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

// A folder whose JSON report is far larger than a pipe's buffer (64 KiB), with one malicious pickle.
function bigReportFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "mw-pipe-"));
  for (let i = 0; i < 1500; i++) writeFileSync(join(dir, `note-${String(i).padStart(4, "0")}.txt`), "plain text, not a model\n");
  const malicious = buildExamples().find((e) => e.expected === "malicious" && e.path.endsWith(".pkl"))!;
  writeFileSync(join(dir, "evil.pkl"), malicious.bytes);
  return dir;
}

describe("the CLI in pipelines", () => {
  it("exits quietly with the scan's code when the reader of stdout goes away (… -o - | head)", async () => {
    const dir = bigReportFolder();
    const child = spawn(process.execPath, [CLI, "scan", dir, "-f", "json", "-o", "-"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    // Read the first chunk, then close the pipe as `head -c` does.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(1);
  }, 60_000);

  it("`pnpm modelward` prints only the CLI's output and reads paths from the caller's folder", async () => {
    const dir = join(REPO, "examples", "malicious");
    mkdirSync(dir, { recursive: true });
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) =>
      execFile("pnpm", ["modelward", "scan", ".", "-f", "json"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 << 20 }, (error, out) =>
        resolve({ stdout: out, code: error ? Number(error.code) : 0 }),
      ),
    );
    expect(code).toBe(1);
    expect(stdout.trimStart().startsWith("{")).toBe(true);
    const report = JSON.parse(stdout);
    // "." is examples/malicious, not the repository root pnpm runs scripts from.
    expect(report.targets[0].uri).toMatch(/\/examples\/malicious\/$/);
    expect(report.files.every((f: { path: string }) => !f.path.startsWith("examples/"))).toBe(true);
  }, 60_000);
});
