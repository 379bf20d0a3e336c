import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, type ModelFile, type SourceContext, type SourceSkip } from "@modelward/core";
import { describe, expect, it } from "vitest";
import { fileSource } from "./file-source.js";

function context(ignored: string[] = []): { ctx: SourceContext<unknown>; skips: SourceSkip[] } {
  const skips: SourceSkip[] = [];
  return {
    skips,
    ctx: {
      options: {},
      limits: DEFAULT_LIMITS,
      signal: new AbortController().signal,
      skip: (s) => void skips.push(s),
      isIgnored: (p) => ignored.includes(p),
    },
  };
}

async function list(target: string, ignored: string[] = []) {
  const { ctx, skips } = context(ignored);
  const opened = await fileSource.open(target, ctx);
  const files: ModelFile[] = [];
  for await (const f of opened.files()) files.push(f);
  await opened.close();
  return { files, skips, description: opened.description };
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

  it("fails with MW_TARGET_NOT_FOUND for a missing path", async () => {
    await expect(list("/nonexistent/modelward")).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
  });
});
