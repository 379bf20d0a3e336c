import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { baseName, extensionOf, type ModelFile } from "@modelward/core";

/**
 * A file on disk as a ModelFile: positioned reads through one lazily opened
 * handle (closed by the engine when the analysis is over), streams through
 * their own read stream.
 */
export function localFile(absolutePath: string, relativePath: string, size: number): ModelFile {
  let handle: Promise<FileHandle> | undefined;
  const name = baseName(relativePath);
  return {
    path: relativePath,
    members: [],
    name,
    extension: extensionOf(name),
    size,
    depth: 0,
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
      return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
    },
    async *stream(start = 0, end = size) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e === s) return;
      for await (const chunk of createReadStream(absolutePath, { start: s, end: e - 1, highWaterMark: 1024 * 1024 })) {
        yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).length);
      }
    },
    async close() {
      const h = handle;
      handle = undefined;
      if (h) await (await h).close();
    },
  };
}
