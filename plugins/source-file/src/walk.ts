import type { Stats } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { ModelFile, SourceContext } from "@modelward/core";
import { localFile } from "./local-file.js";
import { displayName } from "./path-bytes.js";

/** True when `child` is `root` or lies under it. */
export function isWithin(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep));
}

const SLASH = Buffer.from("/");

// lstat calls in flight per folder: enough to keep libuv's four threads busy, few enough to stay small.
const LSTAT_AHEAD = 16;

/**
 * Walks `dir` (absolute, as bytes, so names that are not valid UTF-8 stay
 * openable; `rel` is its root-relative display path) in sorted order and
 * yields regular files. Symlinks to files are followed wherever they point, as
 * loaders follow them (a Hugging Face cache snapshot links every file to
 * `../../blobs/…`); the resolved path is reported with the file. Symlinks to
 * folders are followed only while they stay inside the real root; links out
 * of it, loops and special files are reported with `ctx.skip`. What cannot be
 * listed or opened (permissions, paths past PATH_MAX) is reported with
 * `ctx.incomplete`, never silently dropped. Ignored paths are not descended into.
 */
export async function* walk(
  rootReal: string,
  dir: Buffer,
  rel: string,
  ctx: SourceContext<unknown>,
  visited: Set<string>,
): AsyncGenerator<ModelFile> {
  let entries: Buffer[];
  try {
    entries = (await readdir(dir, { encoding: "buffer" })).sort(Buffer.compare);
  } catch (error) {
    ctx.incomplete({ path: rel || ".", reason: `folder not listed: ${fsReason(error)}`, ...pathBudget(error, dir) });
    return;
  }
  const absOf = (i: number) => Buffer.concat([dir, SLASH, entries[i]!]);
  const pathOf = (i: number) => (rel ? `${rel}/${displayName(entries[i]!)}` : displayName(entries[i]!));
  // The next few entries are lstat'ed ahead, so the thread pool works while this loop waits: a folder of
  // 100 k small files is bound by these calls. A settled result is kept (never an unhandled rejection).
  const ahead = new Map<number, Promise<{ info?: Stats; error?: unknown }>>();
  const prefetch = (from: number) => {
    for (let j = from; j < Math.min(entries.length, from + LSTAT_AHEAD); j++)
      if (!ahead.has(j)) ahead.set(j, lstat(absOf(j)).then((info) => ({ info }), (error: unknown) => ({ error })));
  };
  for (let i = 0; i < entries.length; i++) {
    if (ctx.signal.aborted) return;
    const abs = absOf(i);
    const path = pathOf(i);
    if (ctx.isIgnored(path)) {
      ahead.delete(i);
      ctx.skip({ path, reason: "ignored by config" });
      continue;
    }
    prefetch(i);
    const listed = await ahead.get(i)!;
    ahead.delete(i);
    let info = listed.info;
    if (!info) {
      if (isCode(listed.error, "ENOENT")) ctx.skip({ path, reason: "vanished while listing" });
      else ctx.incomplete({ path, reason: `not opened: ${fsReason(listed.error)}`, ...pathBudget(listed.error, abs) });
      continue;
    }
    let real: Buffer = abs;
    let linkedTo: string | undefined;
    if (info.isSymbolicLink()) {
      let resolved: Buffer;
      try {
        resolved = await realpath(abs, { encoding: "buffer" });
      } catch (error) {
        if (isCode(error, "ELOOP")) ctx.skip({ path, reason: "symlink loop" });
        else if (isCode(error, "ENOENT")) ctx.skip({ path, reason: "broken symlink" });
        else ctx.incomplete({ path, reason: `symlink not resolved: ${fsReason(error)}` });
        continue;
      }
      try {
        info = await stat(resolved);
      } catch (error) {
        ctx.incomplete({ path, reason: `symlink target not opened: ${fsReason(error)}` });
        continue;
      }
      if (info.isDirectory() && !isWithin(rootReal, resolved.toString())) {
        ctx.skip({ path, reason: "symlink not followed: a folder outside the scanned root" });
        continue;
      }
      real = resolved;
      linkedTo = displayName(resolved);
    }
    if (info.isDirectory()) {
      const key = (await realpath(real, { encoding: "buffer" }).catch(() => real)).toString("latin1");
      if (visited.has(key)) {
        ctx.skip({ path, reason: "symlink loop: folder already scanned" });
        continue;
      }
      visited.add(key);
      yield* walk(rootReal, real, path, ctx, visited);
    } else if (info.isFile()) {
      yield localFile(real, path, info.size, { mtimeMs: info.mtimeMs, ...(linkedTo ? { linkedTo } : {}) });
    } else {
      ctx.skip({ path, reason: "not a regular file (device, socket or fifo)" });
    }
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

// Linux's PATH_MAX (limits.h), the longest path the kernel opens by name, terminating NUL included.
const PATH_MAX = 4096;

/** The budget a path too long to open passed (PATH_MAX), for the engine's budget finding; nothing for other errors. */
function pathBudget(error: unknown, abs: Buffer): { budget?: { name: string; limit: number; actual: number } } {
  return isCode(error, "ENAMETOOLONG") ? { budget: { name: "PATH_MAX", limit: PATH_MAX, actual: abs.length } } : {};
}

function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENAMETOOLONG":
      return "path too long to open (PATH_MAX)";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
