import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe("GitHub Action and pre-commit hook definitions", () => {
  const action = parse(readFileSync(`${REPO}/action.yml`, "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Step[] };
  };

  it("is a composite action that scans to SARIF and uploads it", () => {
    expect(action.runs.using).toBe("composite");
    const scan = action.runs.steps.find((s) => s.run?.includes("modelward"))!;
    expect(scan.run).toMatch(/-f sarif -o "\$MW_SARIF"/);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.with?.sarif_file).toBe("${{ inputs.sarif-file }}");
  });

  it("passes every input through the environment, never spliced into a script", () => {
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
  });

  it("uses only flags the CLI accepts, with their defaults", async () => {
    const scan = action.runs.steps.find((s) => s.run?.includes("modelward"))!;
    const command = scan.run!.slice(scan.run!.indexOf(" scan "));
    const flags = [...command.matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((m) => m[1]!);
    expect(flags).toEqual(expect.arrayContaining(["--fail-on", "--severity"]));
    const help = await runBuiltCli(["scan", "--help"], REPO);
    for (const flag of flags) expect(help.stdout, flag).toContain(flag);
    expect(help.stdout).toContain(`"${action.inputs["fail-on"]!.default}"`);
  });

  it("declares a pre-commit hook that runs the scan on matching staged files", () => {
    const hooks = parse(readFileSync(`${REPO}/.pre-commit-hooks.yaml`, "utf8")) as { id: string; entry: string; files: string }[];
    const hook = hooks.find((h) => h.id === "modelward")!;
    expect(hook.entry).toMatch(/modelward scan$/);
    const files = new RegExp(hook.files.replace(/^\(\?i\)/, ""), "i");
    for (const path of ["models/a.pkl", "x/Model.PT", "nb.ipynb", "requirements-dev.txt", "sub/pyproject.toml", "w.safetensors"]) expect(files.test(path), path).toBe(true);
    for (const path of ["README.md", "src/app.ts"]) expect(files.test(path), path).toBe(false);
  });
});
