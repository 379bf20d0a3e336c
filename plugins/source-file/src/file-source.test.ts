import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, type Limits, type ModelFile, type Source, type SourceContext, type SourceSkip } from "@modelward/core";
import { describe, expect, it } from "vitest";
import { createFileSource, fileSource } from "./file-source.js";
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

  it("follows symlinks inside the root, reports those leaving it, and loops", async () => {
    const root = tree();
    const outside = mkdtempSync(join(tmpdir(), "mw-out-"));
    writeFileSync(join(outside, "secret"), "s");
    symlinkSync(join(root, "a.pkl"), join(root, "link-in.pkl"));
    symlinkSync(join(outside, "secret"), join(root, "link-out"));
    symlinkSync(outside, join(root, "dir-out"));
    symlinkSync(root, join(root, "b/loop"));
    symlinkSync(join(root, "missing"), join(root, "broken"));
    const { files, skips } = await list(root);
    expect(files.map((f) => f.path)).toEqual(["a.pkl", "b/deep/c.bin", "link-in.pkl", "skipme/x"]);
    expect(skips).toEqual([
      { path: "b/loop", reason: "symlink loop: folder already scanned" },
      { path: "broken", reason: "broken symlink" },
      { path: "dir-out", reason: "symlink not followed: it points outside the scanned root" },
      { path: "link-out", reason: "symlink not followed: it points outside the scanned root" },
    ]);
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
