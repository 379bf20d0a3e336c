import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ScanReport } from "@modelward/core";
import { SOURCE_REPO_PAYLOAD, type GitFixture, type GitHttpServer, type HubStandIn, type S3TestServer } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";
import { startSourceStands, type SourceStands } from "./source-stands.js";

const TOKEN = "hf_e2eStandInTokenNeverPrinted0123456";
let stands: SourceStands;
let files: Record<string, Uint8Array>;
let local: string;
let hub: HubStandIn;
let s3: S3TestServer;
let git: GitFixture;
let gitServer: GitHttpServer;

beforeAll(async () => {
  stands = await startSourceStands({ hfToken: TOKEN });
  ({ files, hub, s3, git, gitServer } = stands);
  local = mkdtempSync(join(tmpdir(), "mw-sources-"));
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(local, path)), { recursive: true });
    writeFileSync(join(local, path), bytes);
  }
}, 120_000);

afterAll(async () => {
  await stands?.close();
  if (local) rmSync(local, { recursive: true, force: true });
});

async function scan(args: string[]): Promise<{ code: number; report: ScanReport; stdout: string; stderr: string }> {
  const r = await runBuiltCli(["scan", ...args, "-f", "json"], tmpdir());
  return { ...r, report: JSON.parse(r.stdout) as ScanReport };
}

/** What must be identical across sources: per file, its status and each finding's rule, severity, member chain and message. */
function findingsOf(report: ScanReport) {
  return report.files
    .map((f) => ({ path: f.path, members: f.members, status: f.status, findings: f.findings.map((x) => `${x.severity} ${x.ruleId} ${x.message}`).sort() }))
    .sort((a, b) => (`${a.path}/${a.members.join("/")}` < `${b.path}/${b.members.join("/")}` ? -1 : 1));
}

describe("the same model repository through every source (built CLI)", () => {
  it("gives identical findings from a folder, Git, Hugging Face and S3, each naming its revision", async () => {
    const fromFile = await scan([local]);
    const fromGit = await scan([`git+${gitServer.url}/tiny.git`]);
    const fromHf = await scan(["hf://org/tiny", "--hf-endpoint", hub.url, "--hf-token", TOKEN]);
    const fromS3 = await scan(["s3://models/tiny/", "--s3-endpoint", s3.endpoint, "--aws-access-key-id", s3.accessKeyId, "--aws-secret-access-key", s3.secretAccessKey, "--region", "us-east-1"]);
    const expected = findingsOf(fromFile.report);
    // The fixture's payload is found: the scan means something.
    expect(JSON.stringify(expected)).toContain(SOURCE_REPO_PAYLOAD);
    expect(fromFile.code).toBe(1);
    for (const [name, r] of Object.entries({ git: fromGit, hf: fromHf, s3: fromS3 })) {
      expect(r.code, `${name}: ${r.stderr}`).toBe(1);
      expect(findingsOf(r.report), name).toEqual(expected);
    }
    expect(fromGit.report.targets[0]).toMatchObject({ source: "git", revision: git.heads.main });
    expect(fromHf.report.targets[0]).toMatchObject({ source: "hf", revision: hub.commitOf("org/tiny"), uri: `hf://org/tiny@${hub.commitOf("org/tiny")}` });
    expect(fromS3.report.targets[0]).toMatchObject({ source: "s3", revision: expect.stringMatching(/^sha256:/) });
    // Remote files name the version read; the token never reaches any output.
    expect(fromHf.report.files.filter((f) => f.members.length === 0).every((f) => typeof f.revision === "string")).toBe(true);
    expect(fromS3.report.files.filter((f) => f.members.length === 0).every((f) => f.revision?.startsWith("etag:"))).toBe(true);
    expect(fromHf.stdout + fromHf.stderr).not.toContain(TOKEN);
  }, 120_000);

  it("exits 2 for a remote target that cannot be opened, saying why", async () => {
    const privateNoToken = await runBuiltCli(["scan", "hf://org/tiny", "--hf-endpoint", hub.url], tmpdir());
    expect(privateNoToken.code).toBe(2);
    expect(privateNoToken.stderr).toMatch(/401/);
    const noBranch = await runBuiltCli(["scan", `git+${gitServer.url}/tiny.git`, "--branch", "nope"], tmpdir());
    expect(noBranch.code).toBe(2);
    expect(noBranch.stderr).toMatch(/nope/);
    const noBucket = await runBuiltCli(["scan", "s3://missing-bucket/", "--s3-endpoint", s3.endpoint, "--aws-access-key-id", "S3RVER", "--aws-secret-access-key", "S3RVER"], tmpdir());
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toMatch(/does not exist/);
  }, 60_000);
});
