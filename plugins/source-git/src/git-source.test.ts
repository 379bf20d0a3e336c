import { existsSync } from "node:fs";
import type { ModelFile } from "@modelward/core";
import { buildGitFixture, lfsPointer, sourceRepoFixture, startGitHttpServer, testSourceContext, type GitFixture, type GitHttpServer } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource, type GitSourceOptions } from "./git-source.js";
import { isSafeRef, parseGitTarget } from "./git-target.js";
import { parseLfsPointer } from "./lfs-pointer.js";

const LFS_OID = "a".repeat(64);
let fixture: GitFixture;
let server: GitHttpServer;

beforeAll(async () => {
  fixture = await buildGitFixture("models", {
    main: {
      files: { ...sourceRepoFixture(), "big.safetensors": lfsPointer(LFS_OID, 10_000_000_000), ".gitmodules": "" },
      symlinks: { "secrets-link": "/etc/passwd" },
      history: [{ "old.pkl": "old" }],
    },
    release: { files: { "only-on-release.txt": "release" } },
  });
  server = await startGitHttpServer(fixture.root);
}, 60_000);
afterAll(async () => {
  await server?.close();
  fixture?.remove();
});

async function listAll(target: string, options: GitSourceOptions = {}) {
  const t = testSourceContext(options);
  const opened = await gitSource.open(target, t.ctx);
  const files: ModelFile[] = [];
  for await (const f of opened.files()) files.push(f);
  return { ...t, opened, files };
}

describe("parseGitTarget", () => {
  it("accepts git+ URLs and GitHub URLs, and nothing that runs a command", () => {
    expect(parseGitTarget("git+https://example.com/o/r.git")).toEqual({ url: "https://example.com/o/r.git", scheme: "https" });
    expect(parseGitTarget("git+file:///srv/r.git#dev")).toEqual({ url: "file:///srv/r.git", scheme: "file", branch: "dev" });
    expect(parseGitTarget("https://github.com/org/repo")).toEqual({ url: "https://github.com/org/repo.git", scheme: "https" });
    expect(parseGitTarget("https://github.com/org/repo/tree/release")).toMatchObject({ branch: "release" });
    expect(() => parseGitTarget("ext::sh -c touch% /tmp/pwned")).toThrow(/not a Git target/);
    expect(() => parseGitTarget("https://example.com/model.bin")).toThrow(/not a Git target/);
    expect(() => parseGitTarget("git+https://h/r.git#--upload-pack=touch")).toThrow(/invalid branch/);
  });

  it("checks branch names like git check-ref-format, and never as options", () => {
    for (const ok of ["main", "release/1.0", "v2"]) expect(isSafeRef(ok), ok).toBe(true);
    for (const bad of ["-x", "a..b", "a b", "a~1", "x.lock", "a/", "@{u}", ""]) expect(isSafeRef(bad), bad).toBe(false);
  });

  it("reads LFS pointers and nothing else as pointers", () => {
    expect(parseLfsPointer(new TextEncoder().encode(lfsPointer(LFS_OID, 42)))).toEqual({ oid: `sha256:${LFS_OID}`, size: 42 });
    expect(parseLfsPointer(new TextEncoder().encode("version https://git-lfs.github.com/spec/v1\noid md5:x\nsize 1\n"))).toBeUndefined();
    expect(parseLfsPointer(new TextEncoder().encode("hello"))).toBeUndefined();
  });
});

describe("Git source over smart HTTP (git http-backend)", () => {
  it("clones the latest commit of main, names the commit, and yields tracked files with blob ids", async () => {
    const { opened, files, skips, incomplete } = await listAll(`git+${server.url}/models.git`);
    const commit = fixture.heads.main!;
    expect(opened.description).toEqual({ uri: `git+${server.url}/models.git@${commit}`, input: `git+${server.url}/models.git`, source: "git", revision: commit });
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(Object.keys(sourceRepoFixture())));
    expect(paths).toContain("old.pkl");
    expect(paths).not.toContain("secrets-link");
    expect(files.every((f) => /^blob:[0-9a-f]{40}$/.test(f.revision ?? ""))).toBe(true);
    const model = files.find((f) => f.path === "pytorch_model.bin")!;
    expect(Buffer.from(await model.read(0, model.size)).equals(Buffer.from(sourceRepoFixture()["pytorch_model.bin"]!))).toBe(true);
    await model.close?.();
    // The symlink is never followed; the LFS pointer is not a pass.
    expect(skips).toContainEqual({ path: "secrets-link", reason: expect.stringMatching(/symbolic link.*not followed/) });
    expect(incomplete).toEqual([{ path: "big.safetensors", reason: expect.stringMatching(new RegExp(`Git LFS pointer: the 10000000000-byte file .*sha256:${LFS_OID}.*not fetched`)) }]);
    await opened.close();
  });

  it("honours branch_name and depth, and removes its scratch folder on close", async () => {
    const { opened, files } = await listAll(`git+${server.url}/models.git`, { branch_name: "release" });
    expect(opened.description.revision).toBe(fixture.heads.release);
    expect(files.map((f) => f.path)).toEqual(["only-on-release.txt"]);
    await opened.close();
    // The checkout is gone once the target is closed.
    await expect(files[0]!.read(0, 1)).rejects.toThrow(/ENOENT/);
    const deep = await listAll(`git+${server.url}/models.git`, { depth: "2" as unknown as number });
    expect(deep.opened.description.revision).toBe(fixture.heads.main);
    await deep.opened.close();
  });

  it("says a missing branch or repository is not found (exit 2), and refuses a bad depth", async () => {
    await expect(listAll(`git+${server.url}/models.git`, { branch_name: "nope" })).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
    await expect(listAll(`git+${server.url}/missing.git`)).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
    await expect(listAll(`git+${server.url}/models.git`, { depth: 0 })).rejects.toThrow(/depth must be a positive integer/);
  });

  it("clones git+file:// too, and never leaves credentials of the URL in the report", async () => {
    const { opened, files } = await listAll(`git+file://${fixture.bare}`);
    expect(files.length).toBeGreaterThan(3);
    await opened.close();
    const error = await listAll(`git+http://user:s3cr3tT0ken@127.0.0.1:9/x.git`).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain("s3cr3tT0ken");
    expect(existsSync(fixture.bare)).toBe(true);
  });

  it("sends git_token to a private repository's origin as GitHub takes it, never on the command line or in errors", async () => {
    const token = "ghp_privateRepoTokenNeverPrinted012345";
    const privateServer = await startGitHttpServer(fixture.root, { token });
    try {
      const denied = await listAll(`git+${privateServer.url}/models.git`).catch((e: Error) => e);
      expect(denied).toBeInstanceOf(Error);
      const { opened, files } = await listAll(`git+${privateServer.url}/models.git`, { git_token: token });
      expect(files.map((f) => f.path)).toContain("README.md");
      expect(JSON.stringify(opened.description)).not.toContain(token);
      await opened.close();
      expect(privateServer.authorizations.length).toBeGreaterThan(0);
      const wrong = await listAll(`git+${privateServer.url}/models.git`, { git_token: "ghp_wrongTokenXYZ" }).catch((e: Error) => e);
      expect(String((wrong as Error).message)).not.toContain("ghp_wrongTokenXYZ");
      await expect(listAll(`git+file://${fixture.bare}`, { git_token: token })).rejects.toThrow(/HTTP\(S\) only/);
    } finally {
      await privateServer.close();
    }
  });
});
