import type { ByteSource } from "@modelward/core";
import { type CentralRecord, parseCentralDirectory } from "./central-directory.js";
import { readEndOfCentralDirectory } from "./eocd.js";
import { headerPrefetch } from "./header-prefetch.js";
import { CappedIssues, type IssueSink } from "./issue-sink.js";
import { entryNameProblems } from "./entry-name.js";
import { analyzeLayout, type Region } from "./layout.js";
import { readLocalHeader } from "./local-header.js";
import {
  CENTRAL_HEADER_SIG,
  EOCD_SIZE,
  FLAG_ENCRYPTED,
  FLAGS_ORDINARY,
  FLAGS_REFUSED_BY_STRICT_PARSERS,
  HOST_OSX,
  HOST_UNIX,
  LOCAL_FILE_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_NAMES,
  METHOD_STORED,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  ZIP64_LOCATOR_SIZE,
} from "./zip-format.js";
import type { ZipArchive, ZipEntry, ZipIssue, ZipReaderOptions } from "./zip-types.js";

// A large torch checkpoint has tens of thousands of storages; more is an entry bomb
// (same bound as the engine's default maxMembersPerContainer).
const DEFAULT_MAX_ENTRIES = 100_000;
// The engine's default maxReadBytes: the directory is read in one piece.
const DEFAULT_MAX_CD_BYTES = 256 * 1024 * 1024;
// Enough examples of a repeated issue (duplicate names…) for a report.
const MAX_REPORTED_DUPLICATES = 20;
// Issues of one kind kept individually (the engine keeps 100 findings per rule by default): a flood of
// entries can raise one kind per entry, and the rest are counted instead of held.
const MAX_ISSUES_PER_KIND = 100;

/**
 * Open a ZIP archive the way ML loaders do, without trusting it: read the
 * end-of-central-directory record (searching back through a comment, ZIP64
 * aware), the central directory, and every entry's local header, and record
 * every inconsistency as a {@link ZipIssue}. Reads only headers, never entry
 * data (except the few bytes of data descriptors), so a multi-gigabyte
 * archive is listed with a few small reads. Never throws on malformed input
 * (only when the source itself fails or `signal` aborts).
 */
export async function openZip(source: ByteSource, options: ZipReaderOptions = {}): Promise<ZipArchive> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxCdBytes = options.maxCentralDirectoryBytes ?? DEFAULT_MAX_CD_BYTES;
  const issues = new CappedIssues(MAX_ISSUES_PER_KIND);
  const size = source.size;
  const eocd = await readEndOfCentralDirectory(source, issues);
  const empty = (truncated: boolean): ZipArchive => ({
    source,
    entries: [],
    issues: issues.list(),
    eocdOffset: eocd?.offset ?? -1,
    centralDirectory: { offset: 0, size: 0 },
    declaredEntries: 0,
    comment: eocd?.comment ?? "",
    zip64: eocd?.zip64 ?? false,
    prependedBytes: 0,
    trailingBytes: 0,
    unreferenced: [],
    truncated,
  });
  if (!eocd) return empty(true);
  options.signal?.throwIfAborted();

  // Where the directory should end: just before the ZIP64 record, or the EOCD.
  const directoryEnd = eocd.zip64RecordOffset ?? eocd.offset;
  let cdOffset = eocd.cdOffset <= BigInt(size) ? Number(eocd.cdOffset) : -1;
  const cdSize = eocd.cdSize <= BigInt(size) ? Number(eocd.cdSize) : -1;
  let shift = 0;
  const declaredEntries = eocd.totalEntries > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(eocd.totalEntries);
  if (cdSize < 0) {
    issues.push({
      kind: "central-directory-truncated",
      message: `the end-of-central-directory record declares a ${eocd.cdSize}-byte directory in a ${size}-byte file`,
      offset: eocd.offset,
      evidence: { cdSize: eocd.cdSize.toString(), size },
    });
    return empty(true);
  }
  if (declaredEntries > 0 && !(await hasCentralSignature(source, cdOffset))) {
    // Python's zipfile infers the directory's real position from the EOCD's own
    // position and shifts every offset by the difference (prepended data); do the same.
    const inferred = directoryEnd - cdSize;
    if (inferred >= 0 && (await hasCentralSignature(source, inferred))) {
      shift = inferred - Math.max(cdOffset, 0);
      issues.push({
        kind: "offsets-shifted",
        message: `the central directory is at byte ${inferred}, not at ${eocd.cdOffset} as declared: every offset is shifted by ${shift} (data was prepended after the archive was written)`,
        offset: inferred,
        evidence: { declared: eocd.cdOffset.toString(), actual: inferred, shift },
      });
      cdOffset = inferred;
    } else {
      issues.push({
        kind: "central-directory-truncated",
        message: `no central directory at byte ${eocd.cdOffset} (declared) or ${inferred} (inferred from the end record)`,
        offset: eocd.offset,
        evidence: { declared: eocd.cdOffset.toString(), inferred },
      });
      return empty(true);
    }
  }
  if (cdOffset < 0) cdOffset = directoryEnd - cdSize;
  if (cdOffset + cdSize > directoryEnd) {
    issues.push({
      kind: "overlapping-entries",
      message: `the central directory (bytes ${cdOffset}-${cdOffset + cdSize}) overlaps the end records at ${directoryEnd}`,
      offset: cdOffset,
      evidence: { cdOffset, cdSize, directoryEnd },
    });
  }
  const readable = Math.min(cdSize, maxCdBytes, size - cdOffset);
  const cdBytes = await source.read(cdOffset, cdOffset + readable);
  const parsed = parseCentralDirectory(cdBytes, cdOffset, declaredEntries, maxEntries, issues);
  let truncated = parsed.truncated || readable < cdSize;
  if (declaredEntries > maxEntries) {
    truncated = true;
    issues.push({
      kind: "too-many-entries",
      message: `the archive declares ${eocd.totalEntries} entries; only the first ${maxEntries} were listed`,
      offset: cdOffset,
      evidence: { declared: eocd.totalEntries.toString(), listed: parsed.records.length, limit: maxEntries },
    });
  } else if (!parsed.truncated) {
    if (parsed.consumed < cdSize && cdSize - parsed.consumed >= 4) {
      const more = cdBytes.length >= parsed.consumed + 4 && new DataView(cdBytes.buffer, cdBytes.byteOffset + parsed.consumed, 4).getUint32(0, true) === CENTRAL_HEADER_SIG;
      issues.push({
        kind: "entry-count-mismatch",
        message: more
          ? `the central directory holds more records than the ${eocd.totalEntries} the end record declares: parsers that walk the directory see entries others do not`
          : `the central directory has ${cdSize - parsed.consumed} unused bytes after its ${eocd.totalEntries} declared records`,
        offset: cdOffset + parsed.consumed,
        evidence: { declared: eocd.totalEntries.toString(), unusedBytes: cdSize - parsed.consumed, moreRecords: more },
      });
    }
  }

  const entries: ZipEntry[] = [];
  const regions: Region[] = [
    { start: cdOffset, end: cdOffset + Math.max(cdSize, parsed.consumed), what: "central-directory" },
    { start: eocd.offset, end: eocd.offset + EOCD_SIZE + eocd.commentLength, what: "eocd" },
  ];
  if (eocd.zip64RecordOffset !== undefined) {
    regions.push({ start: eocd.zip64RecordOffset, end: eocd.zip64RecordOffset + eocd.zip64RecordSize, what: "zip64-eocd" });
    regions.push({ start: eocd.offset - ZIP64_LOCATOR_SIZE, end: eocd.offset, what: "zip64-locator" });
  }
  const seen = new Map<string, number>();
  let duplicates = 0;
  const headers = headerPrefetch(
    source,
    parsed.records.map((r) => Number(r.localHeaderOffset + BigInt(shift) < BigInt(size) ? r.localHeaderOffset + BigInt(shift) : -1n)),
  );
  for (const record of parsed.records) {
    options.signal?.throwIfAborted();
    const entry = await buildEntry(headers, record, shift, issues);
    entries.push(entry);
    regions.push({
      start: entry.localHeaderOffset,
      end: entry.end ?? Math.min(size, entry.localHeaderOffset + LOCAL_FILE_HEADER_SIZE),
      what: "entry",
      name: entry.name,
    });
    const first = seen.get(entry.name);
    if (first === undefined) seen.set(entry.name, entry.index);
    else if (++duplicates <= MAX_REPORTED_DUPLICATES) {
      issues.push({
        kind: "duplicate-name",
        message: `"${entry.name}" appears twice (entries ${first} and ${entry.index}): Python's zipfile takes the last, other readers the first`,
        entry: entry.name,
        offset: entry.localHeaderOffset,
        evidence: { firstIndex: first, secondIndex: entry.index },
      });
    }
  }
  if (duplicates > MAX_REPORTED_DUPLICATES) {
    issues.push({ kind: "duplicate-name", message: `${duplicates - MAX_REPORTED_DUPLICATES} more duplicate names not listed individually`, evidence: { total: duplicates } });
  }
  // With a truncated listing, unlisted entries would look like gaps: skip the layout check.
  const layout = truncated ? { prependedBytes: 0, trailingBytes: 0, unreferenced: [] } : analyzeLayout(regions, size, issues);
  return {
    source,
    entries,
    issues: issues.list(),
    eocdOffset: eocd.offset,
    centralDirectory: { offset: cdOffset, size: cdSize },
    declaredEntries,
    comment: eocd.comment,
    zip64: eocd.zip64,
    prependedBytes: layout.prependedBytes,
    trailingBytes: layout.trailingBytes,
    unreferenced: layout.unreferenced,
    truncated,
  };
}

async function hasCentralSignature(source: ByteSource, at: number): Promise<boolean> {
  if (at < 0 || at + 4 > source.size) return false;
  const b = await source.read(at, at + 4);
  return b.length === 4 && new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) === CENTRAL_HEADER_SIG;
}

async function buildEntry(source: ByteSource, record: CentralRecord, shift: number, issues: IssueSink): Promise<ZipEntry> {
  const size = source.size;
  const name = record.name;
  const host = record.versionMadeBy >>> 8;
  const unixMode = host === HOST_UNIX || host === HOST_OSX ? (record.externalAttributes >>> 16) & 0xffff : undefined;
  const isSymlink = unixMode !== undefined && (unixMode & S_IFMT) === S_IFLNK;
  const isDirectory = name.endsWith("/") || (unixMode !== undefined && (unixMode & S_IFMT) === S_IFDIR);

  for (const problem of entryNameProblems(name)) issues.push({ kind: problem.kind, message: problem.message, entry: name, offset: record.offset, evidence: { name } });
  if (isSymlink) {
    issues.push({ kind: "symlink", message: `"${name}" is a symbolic link (UNIX mode 0o${unixMode!.toString(8)})`, entry: name, offset: record.offset, evidence: { mode: unixMode! } });
  }
  if (record.flags & FLAG_ENCRYPTED) {
    issues.push({ kind: "encryption-flag", message: `"${name}" has the encryption flag (bit 0) set`, entry: name, offset: record.offset, evidence: { flags: record.flags } });
  }
  const unusual = record.flags & ~FLAGS_ORDINARY & ~FLAG_ENCRYPTED;
  if (unusual) {
    const refused = (unusual & FLAGS_REFUSED_BY_STRICT_PARSERS) !== 0;
    issues.push({
      kind: "unusual-flags",
      message: `"${name}" has general-purpose flag bits 0x${unusual.toString(16)} set${refused ? " (bits strict parsers such as Python's zipfile refuse while PyTorch ignores them)" : " (reserved bits)"}`,
      entry: name,
      offset: record.offset,
      evidence: { flags: record.flags, unusual, refusedByStrictParsers: refused },
    });
  }
  if (record.method !== METHOD_STORED && record.method !== METHOD_DEFLATE) {
    issues.push({
      kind: "unsupported-method",
      message: `"${name}" uses compression method ${record.method} (${METHOD_NAMES[record.method] ?? "unknown"}), which this reader does not decode`,
      entry: name,
      offset: record.offset,
      evidence: { method: record.method, methodName: METHOD_NAMES[record.method] ?? "unknown" },
    });
  }

  const bigOffset = record.localHeaderOffset + BigInt(shift);
  const localHeaderOffset = bigOffset >= 0n && bigOffset < BigInt(size) ? Number(bigOffset) : size;
  // Sizes beyond the file (compressed) or beyond a safe integer (uncompressed) are
  // clamped for the entry record and reported; nothing is ever allocated from them.
  const compressedSize = record.compressedSize <= BigInt(size) ? Number(record.compressedSize) : size;
  const uncompressedSize = record.uncompressedSize <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(record.uncompressedSize) : Number.MAX_SAFE_INTEGER;
  if (record.method === METHOD_STORED && !(record.flags & FLAG_ENCRYPTED) && record.compressedSize !== record.uncompressedSize) {
    issues.push({
      kind: "size-mismatch",
      message: `stored entry "${name}" declares ${record.compressedSize} compressed but ${record.uncompressedSize} uncompressed bytes`,
      entry: name,
      offset: record.offset,
      evidence: { compressed: record.compressedSize.toString(), uncompressed: record.uncompressedSize.toString() },
    });
  }

  let local: Awaited<ReturnType<typeof readLocalHeader>>;
  if (localHeaderOffset >= size) {
    issues.push({
      kind: "local-header-invalid",
      message: `"${name}" declares its local header at byte ${bigOffset}, beyond the end of the file (${size} bytes)`,
      entry: name,
      offset: record.offset,
      evidence: { localHeaderOffset: bigOffset.toString(), size },
    });
  } else {
    local = await readLocalHeader(source, record, localHeaderOffset, compressedSize, uncompressedSize, issues);
  }
  let end: number | undefined;
  if (local) {
    const dataEnd = BigInt(local.dataOffset) + record.compressedSize;
    if (dataEnd > BigInt(size)) {
      issues.push({
        kind: "data-out-of-bounds",
        message: `the data of "${name}" (${record.compressedSize} bytes from byte ${local.dataOffset}) runs past the end of the file (${size} bytes): the archive is truncated`,
        entry: name,
        offset: local.dataOffset,
        evidence: { dataOffset: local.dataOffset, compressedSize: record.compressedSize.toString(), size },
      });
      end = size;
    } else {
      end = Number(dataEnd) + local.descriptorLength;
    }
  }
  return {
    index: record.index,
    name,
    localName: local?.name,
    method: record.method,
    flags: record.flags,
    localFlags: local?.flags,
    crc32: record.crc32,
    compressedSize,
    uncompressedSize,
    localHeaderOffset,
    dataOffset: local?.dataOffset,
    versionMadeBy: record.versionMadeBy,
    externalAttributes: record.externalAttributes,
    unixMode,
    isDirectory,
    isSymlink,
    encryptionFlag: (record.flags & FLAG_ENCRYPTED) !== 0,
    hasDataDescriptor: ((record.flags | (local?.flags ?? 0)) & 0x0008) !== 0,
    zip64: record.zip64,
    comment: record.comment,
    end,
  };
}
