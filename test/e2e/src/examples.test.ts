import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isAtLeast, type FileReport, type ScanReport } from "@modelward/core";
import { buildExamples, renderExamplesReadme } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

const examplesDir = fileURLToPath(new URL("../../../examples/", import.meta.url));
const examples = buildExamples();

describe("the bundled examples/", () => {
  it("are exactly what buildExamples() generates (run `pnpm examples` after changing it)", () => {
    for (const e of examples) expect(Buffer.compare(readFileSync(join(examplesDir, e.path)), Buffer.from(e.bytes)), e.path).toBe(0);
    expect(readFileSync(join(examplesDir, "README.md"), "utf8")).toBe(renderExamplesReadme(examples));
  });

  it("scan as labelled through the built CLI: malicious at high or above, benign below medium", async () => {
    const { code, stdout } = await runBuiltCli(["scan", examplesDir, "-f", "json"], examplesDir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as ScanReport;
    const top = (path: string) => report.files.find((f: FileReport) => f.path === path && f.members.length === 0)!;
    for (const e of examples) {
      const file = top(e.path);
      expect(file, e.path).toBeDefined();
      expect(file.status, `${e.path} analysed completely`).not.toBe("incomplete");
      if (e.expected === "malicious") expect(file.highestSeverity && isAtLeast(file.highestSeverity, "high"), `${e.path} at high or above`).toBe(true);
      else expect(file.highestSeverity === undefined || !isAtLeast(file.highestSeverity, "medium"), `${e.path} below medium`).toBe(true);
    }
  });

  it("exit 0 on the benign half", async () => {
    const { code, stdout } = await runBuiltCli(["scan", join(examplesDir, "benign")], examplesDir);
    expect(stdout).toMatch(/Result: PASS/);
    expect(code).toBe(0);
  });
});

/** Writes the examples into a fresh temp folder (so golden paths do not depend on the checkout). */
export function writeExampleTree(): string {
  const root = mkdtempSync(join(tmpdir(), "mw-golden-"));
  for (const e of examples) {
    mkdirSync(dirname(join(root, e.path)), { recursive: true });
    writeFileSync(join(root, e.path), e.bytes);
  }
  return root;
}
