import { tmpdir } from "node:os";
import { buildGitFixture, lfsOid, lfsPointer, pickle, startGitHttpServer, type GitFixture } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// `modelward scan git+http://… --lfs` end to end: a repository whose model is a Git LFS object
// (a pickle calling os.system with an echo), served by git http-backend and its LFS stand-in.

const payload = pickle().proto(2).callStr("os", "system", "echo modelward-lfs-payload").stop().bytes_();
const oid = lfsOid(payload);
let fixture: GitFixture;

beforeAll(async () => {
  fixture = await buildGitFixture("lfs-e2e", { main: { files: { "model.pkl": lfsPointer(oid, payload.length), "README.md": "# a model kept in LFS\n" } } });
}, 120_000);
afterAll(() => fixture?.remove());

async function scan(ranges: boolean, flags: string[]) {
  const server = await startGitHttpServer(fixture.root, { lfs: { objects: { [oid]: payload }, ranges } });
  try {
    const r = await runBuiltCli(["scan", `git+${server.url}/lfs-e2e.git`, ...flags, "-f", "json", "-o", "-"], tmpdir());
    const report = JSON.parse(r.stdout);
    return { code: r.code, model: report.files.find((f: { path: string }) => f.path === "model.pkl"), lfsRequests: server.requests.filter((q) => q.includes("/info/lfs/") || q.includes("/lfs/objects/")) };
  } finally {
    await server.close();
  }
}

describe("Git LFS objects through the CLI", () => {
  it("without --lfs, the pointer is not analysed and nothing asks the LFS server", async () => {
    const { code, model, lfsRequests } = await scan(true, []);
    expect(code).toBe(1);
    expect(model.status).toBe("incomplete");
    expect(model.incomplete[0].reason).toMatch(/Git LFS pointer: .* was not fetched \(scan with --lfs to fetch it\)/);
    expect(lfsRequests).toEqual([]);
  }, 300_000);

  it("with --lfs, the object is read by ranges and its payload found; a server without ranges sends it whole, verified", async () => {
    const ranged = await scan(true, ["--lfs"]);
    expect(ranged.code).toBe(1);
    expect(ranged.model).toMatchObject({ status: "scanned", size: payload.length });
    expect(ranged.model.revision).toMatch(/read by ranges: not hashed/);
    expect(ranged.model.findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`)).toContain("pickle/dangerous-global:critical");
    expect(ranged.lfsRequests.some((q) => q.startsWith("POST /lfs-e2e.git/info/lfs/objects/batch"))).toBe(true);
    const whole = await scan(false, ["--lfs"]);
    expect(whole.model.revision).toBe(`sha256:${oid} (Git LFS object, downloaded whole and verified)`);
    expect(whole.model.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("pickle/dangerous-global");
  }, 300_000);
});
