import type { ByteSource } from "@modelward/core";

/**
 * Kinds of inconsistency the ZIP reader notices. Each is a fact, not a
 * verdict: the caller decides what a finding is worth.
 * - `eocd-missing`: no end-of-central-directory record; the archive cannot be listed.
 * - `multi-disk`: the EOCD claims a multi-volume archive.
 * - `zip64-inconsistent`: a ZIP64 locator/record is missing, misplaced or disagrees with the EOCD.
 * - `central-directory-truncated`: the central directory ends or breaks before its declared entry count.
 * - `entry-count-mismatch`: EOCD entry counts disagree with each other or with the directory.
 * - `offsets-shifted`: the directory is not where the EOCD says; offsets were shifted like Python's zipfile does.
 * - `too-many-entries`: more entries than `maxEntries`; the rest were not listed.
 * - `local-header-invalid`: an entry's local header is missing, out of bounds or has a bad signature.
 * - `name-mismatch`: the local header names the entry differently from the central directory (jszip uses the local name, zipfile/yauzl/torch the central one).
 * - `header-mismatch`: method, flags or version differ between local and central header.
 * - `size-mismatch`: sizes disagree (local vs central, descriptor vs central, stored sizes, inflated vs declared).
 * - `crc-mismatch`: the data's CRC-32 differs from the declared one.
 * - `encryption-flag`: bit 0 is set (the entry may be encrypted, or the flag was flipped on plain data).
 * - `unusual-flags`: flag bits that strict parsers refuse (0x20, 0x40, 0x2000) or reserved bits.
 * - `unsupported-method`: a compression method this reader does not decode.
 * - `duplicate-name`: two entries share a name (loaders disagree on which one wins).
 * - `overlapping-entries`: two entries' byte ranges overlap (overlap bombs, hidden content).
 * - `prepended-data`: bytes before the first entry (polyglots, self-extractors).
 * - `trailing-data`: bytes after the end-of-central-directory record and its comment.
 * - `unreferenced-data`: bytes between entries or before the directory that no entry accounts for.
 * - `data-out-of-bounds`: an entry's data runs past the end of the file (truncated archive).
 * - `data-corrupt`: an entry's compressed data fails to decode (corrupt, truncated, or really encrypted).
 * - `extra-field-invalid`: an extra field is truncated or a ZIP64 field is missing.
 * - `path-traversal`: a `..` component in a name.
 * - `absolute-path`: a name starting with `/`, `\`, or a drive letter.
 * - `backslash-path`: a name containing `\`.
 * - `unusual-name`: a name with NUL or control characters, or empty.
 * - `symlink`: a UNIX symbolic link entry.
 */
export type ZipIssueKind =
  | "eocd-missing"
  | "multi-disk"
  | "zip64-inconsistent"
  | "central-directory-truncated"
  | "entry-count-mismatch"
  | "offsets-shifted"
  | "too-many-entries"
  | "local-header-invalid"
  | "name-mismatch"
  | "header-mismatch"
  | "size-mismatch"
  | "crc-mismatch"
  | "encryption-flag"
  | "unusual-flags"
  | "unsupported-method"
  | "duplicate-name"
  | "overlapping-entries"
  | "prepended-data"
  | "trailing-data"
  | "unreferenced-data"
  | "data-out-of-bounds"
  | "data-corrupt"
  | "extra-field-invalid"
  | "path-traversal"
  | "absolute-path"
  | "backslash-path"
  | "unusual-name"
  | "symlink";

/** One inconsistency noticed by the reader. */
export interface ZipIssue {
  /** What kind. */
  kind: ZipIssueKind;
  /** Says what and where. */
  message: string;
  /** Central-directory name of the entry concerned, when there is one. */
  entry?: string;
  /** Byte offset in the archive where it was seen. */
  offset?: number;
  /** Machine-readable facts (names, sizes, flags). */
  evidence: Record<string, string | number | boolean>;
}

/** One entry of a ZIP archive, from its central directory record and its local header. */
export interface ZipEntry {
  /** Position in the central directory, 0-based. */
  readonly index: number;
  /** Name from the central directory (what PyTorch, zipfile, yauzl and zip.js use). */
  readonly name: string;
  /** Name from the local header (what jszip uses), or undefined when the header is unreadable. */
  readonly localName: string | undefined;
  /** Compression method from the central directory (APPNOTE 4.4.5). */
  readonly method: number;
  /** General purpose flags from the central directory. */
  readonly flags: number;
  /** Flags from the local header, when readable. */
  readonly localFlags: number | undefined;
  /** CRC-32 from the central directory. */
  readonly crc32: number;
  /** Compressed size (ZIP64-resolved, checked to be a safe number within the file). */
  readonly compressedSize: number;
  /** Uncompressed size as declared (ZIP64-resolved). */
  readonly uncompressedSize: number;
  /** Offset of the local header in the file (after any shift for prepended data). */
  readonly localHeaderOffset: number;
  /** Offset of the entry's data, computed from the LOCAL header's name and extra lengths as loaders do; undefined when unreadable. */
  readonly dataOffset: number | undefined;
  /** Version made by; its upper byte is the host system. */
  readonly versionMadeBy: number;
  /** External file attributes (UNIX mode in the upper 16 bits for UNIX hosts). */
  readonly externalAttributes: number;
  /** UNIX mode when the host is UNIX-like, else undefined. */
  readonly unixMode: number | undefined;
  /** Name ends with `/` (or the UNIX mode is a directory). */
  readonly isDirectory: boolean;
  /** A UNIX symbolic link: its data is the link target. */
  readonly isSymlink: boolean;
  /** Flag bit 0 is set (says nothing about whether the data really is encrypted). */
  readonly encryptionFlag: boolean;
  /** Flag bit 3: sizes and CRC follow the data in a descriptor. */
  readonly hasDataDescriptor: boolean;
  /** Sizes or offset came from a ZIP64 extra field. */
  readonly zip64: boolean;
  /** Entry comment from the central directory. */
  readonly comment: string;
  /** End of the entry's bytes (data plus any descriptor), when known. */
  readonly end: number | undefined;
}

/** Options of {@link openZip}. */
export interface ZipReaderOptions {
  /** Most entries listed; beyond it `too-many-entries` is reported and the rest ignored (default 100 000). */
  maxEntries?: number;
  /** Largest central directory read, in bytes (default 256 MiB, the engine's default read limit). */
  maxCentralDirectoryBytes?: number;
  /** Abort listing when this signal fires. */
  signal?: AbortSignal;
}

/** An opened archive: its entries and every inconsistency seen while listing them. */
export interface ZipArchive {
  /** The bytes it was read from. */
  readonly source: ByteSource;
  /** Entries in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** Inconsistencies (listing-time; `openEntry` verification may add more via its result). */
  readonly issues: ZipIssue[];
  /** Offset of the end-of-central-directory record. */
  readonly eocdOffset: number;
  /** Offset and size of the central directory as found. */
  readonly centralDirectory: { offset: number; size: number };
  /** Entry count the EOCD declares. */
  readonly declaredEntries: number;
  /** The archive comment. */
  readonly comment: string;
  /** True when the EOCD needed ZIP64 records. */
  readonly zip64: boolean;
  /** Bytes before the first entry (e.g. a prepended pickle or stub), 0 when none. */
  readonly prependedBytes: number;
  /** Bytes after the EOCD record and its comment, 0 when none. */
  readonly trailingBytes: number;
  /** Regions no entry, directory or EOCD accounts for, including prepended and trailing data. */
  readonly unreferenced: readonly { offset: number; length: number }[];
  /** True when listing stopped early (a truncated directory, an entry limit): some entries may be missing. */
  readonly truncated: boolean;
}
