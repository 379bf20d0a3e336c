import { baseName, extensionOf, type ModelFile } from "@modelward/core";

/** Options of {@link memoryFile}. */
export interface MemoryFileOptions {
  /** Member chain, for a file that stands for an archive member. */
  members?: string[];
  /** Called with the span of every read, to assert what a header-only analyzer touched. */
  onRead?: (start: number, end: number) => void;
}

/** A {@link ModelFile} over bytes in memory, named `path`. */
export function memoryFile(path: string, bytes: Uint8Array, options: MemoryFileOptions = {}): ModelFile {
  const members = options.members ?? [];
  const name = baseName(members.length ? members[members.length - 1]! : path);
  return {
    path,
    members,
    name,
    extension: extensionOf(name),
    size: bytes.length,
    depth: members.length,
    async read(start, end) {
      const s = Math.max(0, Math.min(start, bytes.length));
      const e = Math.max(s, Math.min(end, bytes.length));
      options.onRead?.(s, e);
      return bytes.slice(s, e);
    },
    async *stream(start = 0, end = bytes.length) {
      const chunk = 64 * 1024;
      for (let at = Math.max(0, start); at < Math.min(end, bytes.length); at += chunk) {
        const e = Math.min(at + chunk, end, bytes.length);
        options.onRead?.(at, e);
        yield bytes.slice(at, e);
      }
    },
  };
}
