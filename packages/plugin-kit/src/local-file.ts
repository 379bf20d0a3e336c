import { createReadStream } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { baseName, extensionOf, type ModelFile } from "@modelward/core";

/** What the listing saw of a file, to notice when it changes while it is read. */
export interface ListedFacts {
  /** Modification time at listing (ms). */
  mtimeMs?: number;
  /** The real path a symlink led to, reported with the file. */
  linkedTo?: string;
}

/**
 * A file on disk as a ModelFile: positioned reads through one lazily opened
 * handle (closed by the engine when the analysis is over), streams through
 * their own read stream. Its size is the size at listing; a read that comes
 * back short, or a size or modification time that differs at the end, means
 * the file changed under the scan, which `changed()` reports.
 */
export function localFile(absolutePath: string | Buffer, relativePath: string, size: number, listed: ListedFacts = {}): ModelFile {
  let handle: Promise<FileHandle> | undefined;
  let shortRead: string | undefined;
  const name = baseName(relativePath);
  return {
    path: relativePath,
    members: [],
    name,
    extension: extensionOf(name),
    size,
    depth: 0,
    ...(listed.linkedTo !== undefined ? { linkedTo: listed.linkedTo } : {}),
    async read(start, end) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e === s) return new Uint8Array(0);
      handle ??= open(absolutePath, "r");
      const fh = await handle;
      const buffer = Buffer.allocUnsafe(e - s);
      let filled = 0;
      // A positioned read may return fewer bytes than asked; loop until the span is filled or the file ends.
      while (filled < buffer.length) {
        const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, s + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled < buffer.length) shortRead ??= `it shrank while it was read (listed at ${size} bytes, ended at ${s + filled})`;
      return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
    },
    async *stream(start = 0, end = size) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e === s) return;
      let got = 0;
      for await (const chunk of createReadStream(absolutePath, { start: s, end: e - 1, highWaterMark: 1024 * 1024 })) {
        got += (chunk as Buffer).length;
        yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).length);
      }
      if (got < e - s) shortRead ??= `it shrank while it was read (listed at ${size} bytes, ended at ${s + got})`;
    },
    async changed() {
      if (shortRead) return shortRead;
      // A file listed empty is judged from its listing alone: no byte of it can be read, so no read can
      // disagree with another (a folder of 200 k empty files saves 200 k system calls).
      if (size === 0) return undefined;
      try {
        // A file never opened is checked by path: one system call instead of three.
        const now = handle ? await (await handle).stat() : await stat(absolutePath);
        if (now.size !== size) return `its size changed while it was read (listed at ${size} bytes, now ${now.size})`;
        if (listed.mtimeMs !== undefined && now.mtimeMs !== listed.mtimeMs) return "it was modified while it was read";
      } catch {
        return "it could no longer be opened after it was read";
      }
      return undefined;
    },
    async close() {
      const h = handle;
      handle = undefined;
      if (h) await (await h).close();
    },
  };
}
