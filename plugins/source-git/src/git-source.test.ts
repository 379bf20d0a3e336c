import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Limits, ModelFile } from "@modelward/core";
import { buildGitFixture, lfsOid, lfsPointer, sourceRepoFixture, startGitHttpServer, testSourceContext, type GitFixture, type GitHttpServer } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource, type GitSourceOptions } from "./git-source.js";
import { isSafeRef, parseGitTarget } from "./git-target.js";
import { lfsEndpoint } from "./lfs-batch.js";
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

async function listAll(target: string, options: GitSourceOptions = {}, limits: Partial<Limits> = {}) {
  const t = testSourceContext(options, { limits });
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
    expect(incomplete).toEqual([{ path: "big.safetensors", reason: expect.stringMatching(new RegExp(`Git LFS pointer: the 10000000000-byte file .*sha256:${LFS_OID}.*not fetched \\(scan with --lfs`)) }]);
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

describe("Git LFS objects (--lfs) through the batch API", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const payload = text("not really a model, but the bytes of the LFS object\n");
  const payloadOid = lfsOid(payload);
  const liar = "b".repeat(64);
  const missing = "c".repeat(64);
  const huge = "d".repeat(64);
  const token = "ghp_lfsTokenNeverSentToDownloads0123";
  let lfsFixture: GitFixture;
  let sparseDir: string;

  beforeAll(async () => {
    sparseDir = mkdtempSync(join(tmpdir(), "mw-lfs-"));
    // A 10 GB object that is mostly a hole: a ranged reader costs its first block, not the file.
    const sparse = join(sparseDir, "huge.bin");
    writeFileSync(sparse, "HEADER");
    truncateSync(sparse, 10_000_000_000);
    lfsFixture = await buildGitFixture("lfsrepo", {
      main: {
        files: {
          "model.bin": lfsPointer(payloadOid, payload.length),
          "lying.bin": lfsPointer(liar, payload.length),
          "missing.bin": lfsPointer(missing, 10),
          "huge.safetensors": lfsPointer(huge, 10_000_000_000),
          "plain.txt": "plain",
        },
      },
    });
    lfsObjects = { [payloadOid]: payload, [liar]: payload, [huge]: { diskPath: sparse } };
  }, 60_000);
  let lfsObjects: Record<string, Uint8Array | { diskPath: string }>;
  afterAll(() => {
    lfsFixture?.remove();
    if (sparseDir) rmSync(sparseDir, { recursive: true, force: true });
  });

  async function withLfsServer<T>(o: { ranges?: boolean; token?: string }, body: (s: GitHttpServer) => Promise<T>): Promise<T> {
    const s = await startGitHttpServer(lfsFixture.root, { ...(o.token ? { token: o.token } : {}), lfs: { objects: lfsObjects, ...(o.ranges === false ? { ranges: false } : {}) } });
    try {
      return await body(s);
    } finally {
      await s.close();
    }
  }

  it("reads objects by ranges when the server honours them: a 10 GB object costs a block, and a lying or missing one is incomplete", async () => {
    await withLfsServer({}, async (s) => {
      const { opened, files, incomplete } = await listAll(`git+${s.url}/lfsrepo.git`, { lfs: true });
      expect(files.map((f) => f.path).sort()).toEqual(["huge.safetensors", "lying.bin", "model.bin", "plain.txt"]);
      const model = files.find((f) => f.path === "model.bin")!;
      expect(model.size).toBe(payload.length);
      expect(model.revision).toMatch(new RegExp(`^sha256:${payloadOid} \\(Git LFS object read by ranges: not hashed`));
      expect(Buffer.from(await model.read(0, model.size)).equals(Buffer.from(payload))).toBe(true);
      const big = files.find((f) => f.path === "huge.safetensors")!;
      expect(big.size).toBe(10_000_000_000);
      expect(new TextDecoder().decode(await big.read(0, 6))).toBe("HEADER");
      expect(s.lfsBytesServed()).toBeLessThan(64 * 1024);
      expect(s.requests.filter((r) => r.startsWith(`GET /lfs/objects/${huge}`))).toEqual([`GET /lfs/objects/${huge} bytes=0-0`, `GET /lfs/objects/${huge} bytes=0-16383`]);
      expect(big.bytesTransferred).toBe(16_385);
      // A whole stream (what --hashes reads) is hashed: an object that is not what its pointer names is then caught.
      const lying = files.find((f) => f.path === "lying.bin")!;
      expect(await lying.changed?.()).toBeUndefined();
      for await (const chunk of lying.stream()) expect(chunk.length).toBeGreaterThan(0);
      expect(await lying.changed?.()).toMatch(new RegExp(`SHA-256 is ${payloadOid}, not the pointer's sha256:${liar}`));
      for await (const chunk of model.stream()) expect(chunk.length).toBeGreaterThan(0);
      expect(await model.changed?.()).toBeUndefined();
      expect(incomplete).toEqual([{ path: "missing.bin", reason: expect.stringMatching(/could not be fetched: the LFS server refused the object \(error 404: Object does not exist\)/) }]);
      expect(s.requests).toContainEqual("POST /lfsrepo.git/info/lfs/objects/batch");
      await opened.close();
    });
  });

  it("downloads objects whole when the server ignores Range, checking size and SHA-256 before any read", async () => {
    await withLfsServer({ ranges: false }, async (s) => {
      const { opened, files, incomplete } = await listAll(`git+${s.url}/lfsrepo.git`, { lfs: true }, { maxReadBytes: 1_000_000 });
      const model = files.find((f) => f.path === "model.bin")!;
      expect(model.revision).toBe(`sha256:${payloadOid} (Git LFS object, downloaded whole and verified)`);
      expect(Buffer.from(await model.read(0, model.size)).equals(Buffer.from(payload))).toBe(true);
      expect(model.bytesTransferred).toBe(payload.length);
      const byPath = Object.fromEntries(incomplete.map((i) => [i.path, i.reason]));
      expect(byPath["lying.bin"]).toMatch(new RegExp(`SHA-256 is ${payloadOid}, not the pointer's sha256:${liar}`));
      expect(byPath["huge.safetensors"]).toMatch(/does not honour Range requests, and the 10000000000-byte object is larger than limits.maxReadBytes/);
      expect(byPath["missing.bin"]).toMatch(/error 404/);
      expect(files.map((f) => f.path).sort()).toEqual(["model.bin", "plain.txt"]);
      // The 10 GB object was refused after the first answer: what left the server is socket buffers, not the object.
      expect(s.lfsBytesServed()).toBeLessThan(64 * 1024 * 1024);
      await opened.close();
    });
  });

  it("sends the clone's token to the batch API only: downloads carry the server's own action header, and errors never the token", async () => {
    await withLfsServer({ token }, async (s) => {
      const { opened, files } = await listAll(`git+${s.url}/lfsrepo.git`, { lfs: true, git_token: token });
      const model = files.find((f) => f.path === "model.bin")!;
      expect(Buffer.from(await model.read(0, model.size)).equals(Buffer.from(payload))).toBe(true);
      const basic = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
      expect(s.authorizations).toContain(basic);
      expect(s.authorizations.some((a) => a.startsWith("RemoteAuth "))).toBe(true);
      const downloads = s.requests.filter((r) => r.startsWith("GET /lfs/objects/")).length;
      expect(s.authorizations.filter((a) => a.startsWith("RemoteAuth ")).length).toBe(downloads);
      await opened.close();
      // Without the token the clone itself is refused; a wrong token never shows in an LFS reason either.
      const denied = await listAll(`git+${s.url}/lfsrepo.git`, { lfs: true, git_token: "ghp_wrongLfsToken999" }).catch((e: Error) => e);
      expect(String((denied as Error).message)).not.toContain("ghp_wrongLfsToken999");
    });
  });

  it("keeps pointers reported as pointers without --lfs, and fetches nothing over other transports", async () => {
    await withLfsServer({}, async (s) => {
      const { opened, incomplete } = await listAll(`git+${s.url}/lfsrepo.git`);
      expect(incomplete.find((i) => i.path === "model.bin")?.reason).toMatch(/was not fetched \(scan with --lfs to fetch it\)/);
      expect(s.requests.some((r) => r.includes("/info/lfs/"))).toBe(false);
      await opened.close();
    });
    const local = await listAll(`git+file://${lfsFixture.bare}`, { lfs: true });
    expect(local.incomplete.find((i) => i.path === "model.bin")?.reason).toMatch(/LFS objects are fetched over HTTP\(S\) only; this target uses file/);
    await local.opened.close();
  });

  it("derives the LFS server as git-lfs does, without the URL's credentials", () => {
    expect(lfsEndpoint("https://u:p@example.com/o/r.git")).toBe("https://example.com/o/r.git/info/lfs");
    expect(lfsEndpoint("https://example.com/o/r")).toBe("https://example.com/o/r.git/info/lfs");
    expect(lfsEndpoint("https://example.com/o/r/")).toBe("https://example.com/o/r.git/info/lfs");
  });
});
