import type { AnalyzerContext, ByteSource } from "@modelward/core";
import { openEntryData, windowSource, type ZipArchive, type ZipEntry } from "@modelward/plugin-kit";

// Pickles and configs are far smaller; deflated members up to this are inflated once.
const BUFFER_LIMIT = 64 * 1024 * 1024;

/**
 * The bytes torch would read for an entry, without verifying stored data:
 * stored entries are a window (tensor storages are never read whole), deflated
 * ones up to `bufferLimit` are inflated once, larger ones lazily (a probe of
 * the head inflates only the head). Integrity issues are the archive analyzer's to report.
 * Undefined (with the reason) when the data cannot be located or decoded.
 */
export async function entrySource(
  archive: ZipArchive,
  entry: ZipEntry,
  ctx: AnalyzerContext<unknown>,
  bufferLimit = BUFFER_LIMIT,
): Promise<{ source: ByteSource } | { reason: string }> {
  if (entry.dataOffset === undefined) return { reason: "its local header is unreadable" };
  if (entry.method === 0 && !entry.encryptionFlag) {
    return { source: windowSource(archive.source, entry.dataOffset, Math.min(entry.compressedSize, archive.source.size - entry.dataOffset)) };
  }
  const data = await openEntryData(archive, entry, {
    maxReadBytes: ctx.limits.maxReadBytes,
    bufferLimit: Math.min(bufferLimit, ctx.limits.maxReadBytes),
    verifyStoredUpTo: 0,
    signal: ctx.signal,
  });
  return data.ok ? { source: data.source } : { reason: data.message };
}

/** Reads at most `max` bytes of a source as text (latin1-safe UTF-8 decode). */
export async function readText(source: ByteSource, max: number): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await source.read(0, Math.min(source.size, max)));
}

/** The key the archive analyzer hands a zip entry under: the same bytes whoever hands them. */
export function zipMemberKey(entry: ZipEntry): string {
  return `zip@${entry.localHeaderOffset}`;
}

/** The entry's bytes as a source opened on first read (raw data is usually never read). */
export function lazyEntrySource(archive: ZipArchive, entry: ZipEntry, ctx: AnalyzerContext<unknown>): ByteSource {
  let opened: Promise<ByteSource> | undefined;
  const open = (): Promise<ByteSource> =>
    (opened ??= entrySource(archive, entry, ctx).then((o) => {
      if ("reason" in o) throw new Error(`"${entry.name}" cannot be read: ${o.reason}`);
      return o.source;
    }));
  return {
    size: entry.uncompressedSize,
    read: async (start, end) => (await open()).read(start, end),
    async *stream(start, end) {
      yield* (await open()).stream(start, end);
    },
  };
}
