import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pickle } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM scripts without declarations
import { packedPackageProblems } from "../../../scripts/check-packages.mjs";
// @ts-expect-error plain ESM scripts without declarations
import { metadataProblems, packWorkspacePackages, publishablePackages } from "../../../scripts/package-metadata.mjs";

// What npm users receive: the workspace packed as `pnpm publish` packs it (workspace ranges rewritten),
// checked as published packages, then used by a plugin author who follows only docs/authoring-a-plugin.md
// in a folder outside the workspace.
const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

interface Packed {
  name: string;
  dir: string;
  manifest: Record<string, unknown>;
  tarball: string;
}

let workDir: string;
let packed: Packed[];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "mw-published-"));
  mkdirSync(join(workDir, "tarballs"));
  packed = packWorkspacePackages(join(workDir, "tarballs")) as Packed[];
}, 600_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("every workspace package is publishable", () => {
  it("carries the project's metadata, LICENSE and README", () => {
    const packages = publishablePackages();
    expect(packages.length).toBeGreaterThan(25);
    expect(packages.flatMap(metadataProblems)).toEqual([]);
  });

  it("is clean under publint and are-the-types-wrong, as packed", async () => {
    const problems: string[] = [];
    for (const pkg of packed) problems.push(...((await packedPackageProblems(pkg)) as string[]));
    expect(problems).toEqual([]);
  }, 600_000);
});

/** The files docs/authoring-a-plugin.md gives whole: fenced blocks whose info string names a file. */
function filesOfGuide(): Map<string, string> {
  const guide = readFileSync(join(repoRoot, "docs/authoring-a-plugin.md"), "utf8");
  const files = new Map<string, string>();
  for (const match of guide.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) files.set(match[1]!, match[2]!);
  return files;
}

/** An ACME file as the guide defines the format: magic, header length (u32 LE), JSON header. */
function acmeFile(header: object): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length);
  out.set([0x41, 0x43, 0x4d, 0x45]);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  return out;
}

// The child processes must not think they run inside this vitest.
const childEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS" && k !== "TEST" && k !== "FORCE_COLOR")),
  NO_COLOR: "1",
};
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

describe("a plugin written from docs/authoring-a-plugin.md outside the workspace", () => {
  it("installs the packed packages, builds, passes its tests and is loaded by the CLI", async () => {
    const files = filesOfGuide();
    expect([...files.keys()].sort()).toEqual(["modelward.config.json", "package.json", "src/index.ts", "test/acme.test.ts", "tsconfig.json"]);

    const project = join(workDir, "modelward-plugin-acme");
    for (const [path, text] of files) {
      if (path === "modelward.config.json") continue; // belongs to the project that scans
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    // The @modelward packages are not on the registry here: the packed tarballs stand in for them.
    const manifest = JSON.parse(files.get("package.json")!);
    manifest.pnpm = { overrides: Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`])) };
    writeFileSync(join(project, "package.json"), JSON.stringify(manifest, null, 2));

    const exec = (command: string, args: string[], cwd: string) =>
      run(command, args, { cwd, env: childEnv, maxBuffer: 64 * 1024 * 1024, timeout: 480_000 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout ?? ""}\n${error.stderr ?? error.message}`);
      });
    await exec("pnpm", ["install", "--prefer-offline", "--config.confirmModulesPurge=false"], project);
    await exec("pnpm", ["run", "build"], project);
    const tests = await exec("pnpm", ["test"], project);
    expect(plain(tests.stdout)).toMatch(/Tests\s+4 passed \(4\)/);

    // The project that scans: the config from the guide, the plugin installed as `npm link` would.
    const consumer = join(workDir, "consumer");
    mkdirSync(join(consumer, "node_modules"), { recursive: true });
    symlinkSync(project, join(consumer, "node_modules", "modelward-plugin-acme"), "dir");
    writeFileSync(join(consumer, "modelward.config.json"), files.get("modelward.config.json")!);
    mkdirSync(join(consumer, "models"));
    writeFileSync(join(consumer, "models", "hook.acme"), acmeFile({ hooks: { exec: "echo hi" } }));
    writeFileSync(join(consumer, "models", "plain.acme"), acmeFile({ layers: 3 }));
    writeFileSync(join(consumer, "models", "model.pkl"), pickle().proto(2).callStr("os", "system", "echo hi").stop().toBytes());

    const cli = join(project, "node_modules", ".bin", "modelward");
    const scan = await run(cli, ["scan", "models", "--config", "modelward.config.json", "-f", "json"], { cwd: consumer, env: childEnv }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout) as { files: { path: string; verdict: string; findings: { ruleId: string; severity: string }[] }[] };
    const byPath = new Map(report.files.map((f) => [f.path, f])); // paths relative to the scanned folder
    expect(byPath.get("hook.acme")?.findings).toEqual([expect.objectContaining({ ruleId: "acme/exec-hook", severity: "critical" })]);
    expect(byPath.get("plain.acme")?.verdict).toBe("pass");
    // The bundled analyzers still run beside the plugin (the config extends modelward:recommended).
    expect(byPath.get("model.pkl")?.findings).toContainEqual(expect.objectContaining({ ruleId: "pickle/dangerous-global", severity: "critical" }));

    const rules = await run(cli, ["rules", "list", "--config", "modelward.config.json"], { cwd: consumer, env: childEnv });
    // acme:strict raises the malformed-header rule from its default medium.
    expect(rules.stdout).toMatch(/acme\/malformed-header\s+high/);
  }, 900_000);
});
