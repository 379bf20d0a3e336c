import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { writeHfCache } from "@modelward/testing";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, type Limits, type ModelFile, type Source, type SourceContext, type SourceSkip } from "@modelward/core";
import { describe, expect, it } from "vitest";
import { createFileSource, fileSource } from "./file-source.js";
import { localFile } from "./local-file.js";
import { spoolToTempFile } from "./stdin-spool.js";

function context(ignored: string[] = [], limits: Partial<Limits> = {}): { ctx: SourceContext<unknown>; skips: SourceSkip[]; incomplete: SourceSkip[] } {
  const skips: SourceSkip[] = [];
  const incomplete: SourceSkip[] = [];
  return {
    skips,
    incomplete,
    ctx: {
      options: {},
      limits: { ...DEFAULT_LIMITS, ...limits },
      signal: new AbortController().signal,
      skip: (s) => void skips.push(s),
      incomplete: (s) => void incomplete.push(s),
      isIgnored: (p) => ignored.includes(p),
    },
  };
}

async function list(target: string, ignored: string[] = [], source: Source = fileSource, limits: Partial<Limits> = {}) {
  const { ctx, skips, incomplete } = context(ignored, limits);
  const opened = await source.open(target, ctx);
  const files: ModelFile[] = [];
  const contents: Uint8Array[] = [];
  for await (const f of opened.files()) {
    files.push(f);
    contents.push(await f.read(0, f.size));
    await f.close?.();
  }
  await opened.close();
  return { files, contents, skips, incomplete, description: opened.description };
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "mw-src-"));
  mkdirSync(join(root, "b/deep"), { recursive: true });
  mkdirSync(join(root, "skipme"));
  writeFileSync(join(root, "a.pkl"), "0123456789");
  writeFileSync(join(root, "b/deep/c.bin"), "cc");
  writeFileSync(join(root, "skipme/x"), "x");
  return root;
}

describe("file source", () => {
  it("walks a folder recursively in sorted order with root-relative paths", async () => {
    const root = tree();
    const { files, description } = await list(root);
    expect(files.map((f) => f.path)).toEqual(["a.pkl", "b/deep/c.bin", "skipme/x"]);
    expect(files[0]).toMatchObject({ name: "a.pkl", extension: "pkl", size: 10, depth: 0, members: [] });
    expect(description.uri).toBe(`file://${root}/`);
  });

  it("reads spans with positioned reads, clamped to the file", async () => {
    const { files } = await list(tree());
    const f = files[0]!;
    expect(new TextDecoder().decode(await f.read(2, 5))).toBe("234");
    expect(new TextDecoder().decode(await f.read(8, 100))).toBe("89");
    expect((await f.read(20, 30)).length).toBe(0);
    const chunks: string[] = [];
    for await (const c of f.stream(5)) chunks.push(new TextDecoder().decode(c));
    expect(chunks.join("")).toBe("56789");
    await f.close?.();
  });

  it("follows symlinks to files wherever they lead, folders only inside the root, and reports loops", async () => {
    const root = tree();
    const outside = realpathSync(mkdtempSync(join(tmpdir(), "mw-out-")));
    writeFileSync(join(outside, "weights"), "w");
    symlinkSync(join(root, "a.pkl"), join(root, "link-in.pkl"));
    symlinkSync(join(outside, "weights"), join(root, "link-out"));
    symlinkSync(outside, join(root, "dir-out"));
    symlinkSync(root, join(root, "b/loop"));
    symlinkSync(join(root, "missing"), join(root, "broken"));
    symlinkSync("self-a", join(root, "self-b"));
    symlinkSync("self-b", join(root, "self-a"));
    const { files, contents, skips, incomplete } = await list(root);
    expect(files.map((f) => [f.path, f.linkedTo])).toEqual([
      ["a.pkl", undefined],
      ["b/deep/c.bin", undefined],
      ["link-in.pkl", join(realpathSync(root), "a.pkl")],
      ["link-out", join(outside, "weights")],
      ["skipme/x", undefined],
    ]);
    expect(new TextDecoder().decode(contents[3])).toBe("w");
    expect(skips).toEqual([
      { path: "b/loop", reason: "symlink loop: folder already scanned" },
      { path: "broken", reason: "broken symlink" },
      { path: "dir-out", reason: "symlink not followed: a folder outside the scanned root" },
      { path: "self-a", reason: "symlink loop" },
      { path: "self-b", reason: "symlink loop" },
    ]);
    expect(incomplete).toEqual([]);
  });

  it("scans a Hugging Face cache snapshot through its links to ../../blobs, naming the blob", async () => {
    const cache = writeHfCache(mkdtempSync(join(tmpdir(), "mw-hf-")), { "config.json": new TextEncoder().encode("{}"), "sub/model.pkl": Uint8Array.of(0x80, 2, 0x7d, 0x2e) });
    const { files, contents, skips } = await list(cache.snapshot);
    expect(files.map((f) => [f.path, f.linkedTo, f.size])).toEqual([
      ["config.json", realpathSync(cache.blobs["config.json"]!), 2],
      ["sub/model.pkl", realpathSync(cache.blobs["sub/model.pkl"]!), 4],
    ]);
    expect([...contents[1]!]).toEqual([0x80, 2, 0x7d, 0x2e]);
    expect(skips).toEqual([]);
  });

  it("reads names that are not UTF-8 as bytes, and shows their bytes escaped", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-bytes-"));
    writeFileSync(Buffer.concat([Buffer.from(root + "/"), Buffer.from([0x6d, 0xff, 0xfe]), Buffer.from(".pkl")]), "xyz");
    const { files, contents, skips, incomplete } = await list(root);
    expect(files.map((f) => f.path)).toEqual(["m\\xff\\xfe.pkl"]);
    expect(new TextDecoder().decode(contents[0])).toBe("xyz");
    expect([skips, incomplete]).toEqual([[], []]);
  });

  it("reports a folder too deep to open (path past PATH_MAX) as incomplete, not skipped", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-deep-"));
    // bash's relative cd/mkdir go where an absolute path cannot (ENAMETOOLONG).
    execFileSync("bash", ["-c", 'cd "$1" && for i in $(seq 1 230); do mkdir dddddddddddddddddd && cd dddddddddddddddddd || exit 1; done && echo x > model.pkl', "_", root]);
    const { files, skips, incomplete } = await list(root);
    expect(files).toEqual([]);
    expect(skips).toEqual([]);
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]!.reason).toMatch(/^(folder not listed|not opened): path too long to open \(PATH_MAX\)$/);
    expect(incomplete[0]!.path.split("/").length).toBeGreaterThan(200);
    // The budget it passed, for the engine's high finding: PATH_MAX and the length of the absolute path.
    expect(incomplete[0]!.budget).toMatchObject({ name: "PATH_MAX", limit: 4096 });
    expect(incomplete[0]!.budget!.actual).toBeGreaterThan(4096);
    execFileSync("rm", ["-rf", root]);
  });

  it.skipIf(process.getuid?.() === 0)("reports an unreadable folder as incomplete (not checkable as root, who reads everything)", async () => {
    const root = tree();
    chmodSync(join(root, "b"), 0o000);
    try {
      const { incomplete } = await list(root);
      expect(incomplete).toEqual([{ path: "b", reason: "folder not listed: permission denied" }]);
    } finally {
      chmodSync(join(root, "b"), 0o755);
    }
  });

  it("says when a file changed while it was read: grown, shrunk or rewritten", async () => {
    const root = tree();
    const { files } = await list(root);
    const file = localFile(join(root, "a.pkl"), "a.pkl", 10, { mtimeMs: statSync(join(root, "a.pkl")).mtimeMs });
    await file.read(0, 4);
    expect(await file.changed!()).toBeUndefined();
    writeFileSync(join(root, "a.pkl"), "0123");
    await file.read(0, 10);
    expect(await file.changed!()).toMatch(/shrank while it was read \(listed at 10 bytes, ended at 4\)/);
    await file.close!();
    const grown = localFile(join(root, "b/deep/c.bin"), "c.bin", 2);
    writeFileSync(join(root, "b/deep/c.bin"), "ccc");
    await grown.read(0, 2);
    expect(await grown.changed!()).toMatch(/size changed while it was read \(listed at 2 bytes, now 3\)/);
    await grown.close!();
    const f = files.find((x) => x.path === "skipme/x")!;
    writeFileSync(join(root, "skipme/x"), "y");
    utimesSync(join(root, "skipme/x"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await f.changed!()).toBe("it was modified while it was read");
    // A file listed empty has no byte to read: it is judged from its listing, with no system call.
    writeFileSync(join(root, "empty"), "");
    const empty = localFile(join(root, "empty"), "empty", 0);
    expect(await empty.read(0, 10)).toHaveLength(0);
    rmSync(join(root, "empty"));
    expect(await empty.changed!()).toBeUndefined();
  });

  it("does not descend into ignored folders, and reports them", async () => {
    const { files, skips } = await list(tree(), ["skipme"]);
    expect(files.map((f) => f.path)).toEqual(["a.pkl", "b/deep/c.bin"]);
    expect(skips).toEqual([{ path: "skipme", reason: "ignored by config" }]);
  });

  it("reports special files instead of reading them", async () => {
    const root = tree();
    execFileSync("mkfifo", [join(root, "pipe")]);
    const { skips } = await list(root);
    expect(skips).toEqual([{ path: "pipe", reason: "not a regular file (device, socket or fifo)" }]);
    symlinkSync("/dev/zero", join(root, "zero.pkl"));
    const linked = await list(root);
    expect(linked.skips).toContainEqual({ path: "zero.pkl", reason: "not a regular file (device, socket or fifo)" });
  });

  it("scans a single file as itself, named by its base name", async () => {
    const root = tree();
    const { files, description } = await list(join(root, "b/deep/c.bin"));
    expect(files.map((f) => f.path)).toEqual(["c.bin"]);
    expect(description.uri).toBe(`file://${root}/b/deep/`);
  });

  it("reads - from standard input through a temporary file it removes afterwards", async () => {
    const source = createFileSource({ stdin: () => chunks("hello ", "stdin") });
    const { ctx } = context();
    const opened = await source.open("-", ctx);
    const files: ModelFile[] = [];
    for await (const f of opened.files()) files.push(f);
    expect(files.map((f) => [f.path, f.size])).toEqual([["<stdin>", 11]]);
    expect(new TextDecoder().decode(await files[0]!.read(6, 11))).toBe("stdin");
    await files[0]!.close?.();
    expect(opened.description).toMatchObject({ uri: "stdin:", input: "-" });
    await opened.close();
  });

  it("spools at most the limit, says when it cut, and removes its temporary folder", async () => {
    const whole = await spoolToTempFile(chunks("abc", "def"), 6);
    expect([whole.size, whole.truncated, readFileSync(whole.path, "utf8")]).toEqual([6, false, "abcdef"]);
    await whole.remove();
    expect(existsSync(whole.path)).toBe(false);
    const cut = await spoolToTempFile(chunks("abc", "defg"), 6);
    expect([cut.size, cut.truncated, readFileSync(cut.path, "utf8")]).toEqual([6, true, "abcdef"]);
    await cut.remove();
  });

  it("does not analyse standard input past maxStdinBytes: incomplete, not a truncated pass", async () => {
    const source = createFileSource({ stdin: () => chunks("0123456789", "abcdef") });
    const { files, incomplete } = await list("-", [], source, { maxStdinBytes: 12 });
    expect(files).toEqual([]);
    expect(incomplete).toEqual([{ path: "<stdin>", reason: "standard input is larger than maxStdinBytes (12 bytes); not analysed" }]);
  });

  it("refuses an empty target instead of scanning the working directory", async () => {
    await expect(list("")).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND", message: expect.stringMatching(/empty target/) });
  });

  it("fails with MW_TARGET_NOT_FOUND for a missing path", async () => {
    await expect(list("/nonexistent/modelward")).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
  });
});
