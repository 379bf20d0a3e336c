import type { ByteSource } from "@modelward/core";
import { FLAG_DATA_DESCRIPTOR, FLAG_ENCRYPTED, FLAG_UTF8, LOCAL_FILE_HEADER_SIG, LOCAL_FILE_HEADER_SIZE } from "./zip-format.js";
import { decodeZipText } from "./zip-text.js";
import type { ZipEntry } from "./zip-types.js";

/** Result of {@link scanLocalHeaders}. */
export interface LocalScan {
  /** Entries recovered from local headers, as {@link ZipEntry} records (no central directory fields). */
  entries: ZipEntry[];
  /** Offset where the walk stopped. */
  stoppedAt: number;
  /** Why the walk stopped before the end of the file, when it did. */
  stopReason: string | undefined;
}

/**
 * Recover entries from an archive without a usable central directory by
 * walking local headers from the start, as streaming extractors do. Stops at
 * the first entry whose size is only in a data descriptor (its end cannot be
 * known without decoding), at a central directory, or at anything else.
 */
export async function scanLocalHeaders(source: ByteSource, options: { maxEntries: number; start?: number }): Promise<LocalScan> {
  const entries: ZipEntry[] = [];
  let at = options.start ?? 0;
  const size = source.size;
  while (at + LOCAL_FILE_HEADER_SIZE <= size) {
    if (entries.length >= options.maxEntries) return { entries, stoppedAt: at, stopReason: `more than ${options.maxEntries} entries` };
    const h = await source.read(at, at + LOCAL_FILE_HEADER_SIZE);
    const view = new DataView(h.buffer, h.byteOffset, h.length);
    if (view.getUint32(0, true) !== LOCAL_FILE_HEADER_SIG) {
      return { entries, stoppedAt: at, stopReason: view.getUint32(0, true) === 0x02014b50 ? undefined : `no local header at byte ${at}` };
    }
    const flags = view.getUint16(6, true);
    const method = view.getUint16(8, true);
    const crc = view.getUint32(14, true);
    const compressedSize = view.getUint32(18, true);
    const uncompressedSize = view.getUint32(22, true);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const dataOffset = at + LOCAL_FILE_HEADER_SIZE + nameLength + extraLength;
    const name = decodeZipText(await source.read(at + LOCAL_FILE_HEADER_SIZE, at + LOCAL_FILE_HEADER_SIZE + nameLength), (flags & FLAG_UTF8) !== 0);
    if (flags & FLAG_DATA_DESCRIPTOR || compressedSize === 0xffffffff) {
      return { entries, stoppedAt: at, stopReason: `"${name}" at byte ${at} keeps its size in a data descriptor or ZIP64 field` };
    }
    const end = dataOffset + compressedSize;
    if (end > size) return { entries, stoppedAt: at, stopReason: `"${name}" at byte ${at} runs past the end of the file` };
    entries.push({
      index: entries.length,
      name,
      localName: name,
      method,
      flags,
      localFlags: flags,
      crc32: crc,
      compressedSize,
      uncompressedSize,
      localHeaderOffset: at,
      dataOffset,
      versionMadeBy: 0,
      externalAttributes: 0,
      unixMode: undefined,
      isDirectory: name.endsWith("/"),
      isSymlink: false,
      encryptionFlag: (flags & FLAG_ENCRYPTED) !== 0,
      hasDataDescriptor: false,
      zip64: false,
      comment: "",
      end,
    });
    at = end;
  }
  return { entries, stoppedAt: at, stopReason: at < size ? `the file ends inside a local header at byte ${at}` : undefined };
}
