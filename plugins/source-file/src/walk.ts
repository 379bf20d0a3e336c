import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { ModelFile, SourceContext } from "@modelward/core";
import { localFile } from "./local-file.js";

const toPosix = (p: string) => p.split(sep).join("/");

/** True when `child` is `root` or lies under it. */
export function isWithin(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep));
}

/**
 * Walks `dir` (absolute; `rel` is its root-relative path) in sorted order and
 * yields regular files. Symlinks are followed only while they stay inside the
 * real root; links out of it, loops and special files are reported with
 * `ctx.skip`, never silently dropped. Ignored paths are not descended into.
 */
export async function* walk(
  rootReal: string,
  dir: string,
  rel: string,
  ctx: SourceContext<unknown>,
  visited: Set<string>,
): AsyncGenerator<ModelFile> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (error) {
    ctx.skip({ path: rel || ".", reason: `folder not readable: ${(error as Error).message}` });
    return;
  }
  for (const name of entries) {
    if (ctx.signal.aborted) return;
    const abs = join(dir, name);
    const path = rel ? `${rel}/${name}` : name;
    if (ctx.isIgnored(path)) {
      ctx.skip({ path, reason: "ignored by config" });
      continue;
    }
    let info = await lstat(abs).catch(() => undefined);
    if (!info) {
      ctx.skip({ path, reason: "vanished while listing" });
      continue;
    }
    let real = abs;
    if (info.isSymbolicLink()) {
      const resolved = await realpath(abs).catch(() => undefined);
      if (!resolved) {
        ctx.skip({ path, reason: "broken symlink" });
        continue;
      }
      if (!isWithin(rootReal, resolved)) {
        ctx.skip({ path, reason: "symlink not followed: it points outside the scanned root" });
        continue;
      }
      real = resolved;
      info = await stat(resolved);
    }
    if (info.isDirectory()) {
      const key = await realpath(real).catch(() => real);
      if (visited.has(key)) {
        ctx.skip({ path, reason: "symlink loop: folder already scanned" });
        continue;
      }
      visited.add(key);
      yield* walk(rootReal, real, toPosix(path), ctx, visited);
    } else if (info.isFile()) {
      yield localFile(real, path, info.size);
    } else {
      ctx.skip({ path, reason: "not a regular file (device, socket or fifo)" });
    }
  }
}
