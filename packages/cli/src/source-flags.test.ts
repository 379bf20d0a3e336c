import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIO } from "./capture-io.js";
import { runCli } from "./main.js";
import { sourceOverrides } from "./source-flags.js";

const capture = (cwd: string) => captureIO(cwd);

describe("source flags", () => {
  it("carry the platform parameters to every remote source, and --repo-type names a target", () => {
    const o = sourceOverrides({ repo_type: "huggingface", model_id: "org/m", branch_name: "dev", hf_token: "hf_x", depth: 2 });
    expect(o.target).toBe("hf://org/m@dev");
    for (const id of ["git", "hf", "s3"]) expect(o.sources[id]).toEqual({ branch_name: "dev", hf_token: "hf_x", depth: 2 });
    expect(sourceOverrides({})).toEqual({ sources: {} });
  });

  it("accept the platform's names as given and scan a file target named by --repo_type", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-flags-"));
    writeFileSync(join(dir, "m.pkl"), Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]));
    const c = capture(dir);
    expect(await runCli(["scan", "--repo_type", "file", "--repo_url", dir, "-f", "json"], c.io)).toBe(0);
    const report = JSON.parse(c.out());
    expect(report.targets[0].uri).toMatch(/^file:\/\//);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(["m.pkl"]);
  });

  it("refuse a scan without a target, and a platform request missing its parameter (exit 2)", async () => {
    const c1 = capture(tmpdir());
    expect(await runCli(["scan"], c1.io)).toBe(2);
    expect(c1.err()).toMatch(/give a target/);
    const c2 = capture(tmpdir());
    expect(await runCli(["scan", "--repo-type", "s3_bucket", "--region", "eu-west-1"], c2.io)).toBe(2);
    expect(c2.err()).toMatch(/needs bucket_name/);
  });

  it("never echo a token in an error", async () => {
    const c = capture(tmpdir());
    expect(await runCli(["scan", "hf://org/m", "--hf-token", "hf_SECRETSECRETSECRET"], c.io)).toBe(2);
    expect(c.err() + c.out()).not.toContain("SECRETSECRET");
  });
});
