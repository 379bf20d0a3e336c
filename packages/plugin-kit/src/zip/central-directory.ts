import { BinaryCursor } from "../binary-cursor.js";
import { TruncatedError } from "../bounds.js";
import { CENTRAL_HEADER_SIG, CENTRAL_HEADER_SIZE, FLAG_UTF8, ZIP64_EXTRA_ID } from "./zip-format.js";
import { decodeZipText } from "./zip-text.js";
import type { IssueSink } from "./issue-sink.js";

/** One central directory record, 64-bit fields resolved but not yet bounded. */
export interface CentralRecord {
  /** Position in the directory, 0-based. */
  index: number;
  /** Offset of the record in the file. */
  offset: number;
  /** Version made by (upper byte: host system). */
  versionMadeBy: number;
  /** Version needed to extract. */
  versionNeeded: number;
  /** General purpose flags. */
  flags: number;
  /** Compression method. */
  method: number;
  /** Declared CRC-32. */
  crc32: number;
  /** Compressed size, ZIP64 resolved, unbounded. */
  compressedSize: bigint;
  /** Uncompressed size, ZIP64 resolved, unbounded. */
  uncompressedSize: bigint;
  /** Local header offset, ZIP64 resolved, unbounded and unshifted. */
  localHeaderOffset: bigint;
  /** Disk number where the entry starts. */
  diskStart: number;
  /** External file attributes. */
  externalAttributes: number;
  /** The name's bytes as stored (compared byte for byte with the local header). */
  rawName: Uint8Array;
  /** The name decoded (UTF-8 with flag bit 11, else CP437). */
  name: string;
  /** The entry comment decoded. */
  comment: string;
  /** A ZIP64 extra field supplied sizes or the offset. */
  zip64: boolean;
}

/** Result of parsing the central directory bytes. */
export interface CentralDirectoryParse {
  /** Records parsed, in directory order. */
  records: CentralRecord[];
  /** Parsing stopped before the declared count (truncation or a bad signature). */
  truncated: boolean;
  /** Bytes of the directory actually consumed. */
  consumed: number;
}

/**
 * Parse central directory records from `bytes` (which start at file offset
 * `baseOffset`), at most `maxRecords` of them. Every problem becomes an issue;
 * nothing throws.
 */
export function parseCentralDirectory(
  bytes: Uint8Array,
  baseOffset: number,
  declaredCount: number,
  maxRecords: number,
  issues: IssueSink,
): CentralDirectoryParse {
  const records: CentralRecord[] = [];
  const cur = new BinaryCursor(bytes, 0, baseOffset);
  const want = Math.min(declaredCount, maxRecords);
  while (records.length < want) {
    const at = cur.offset;
    try {
      if (cur.remaining < CENTRAL_HEADER_SIZE) throw new TruncatedError("central directory header", baseOffset + at);
      const sig = cur.u32("central header signature");
      if (sig !== CENTRAL_HEADER_SIG) {
        issues.push({
          kind: "central-directory-truncated",
          message: `central directory record ${records.length} at byte ${baseOffset + at} has signature 0x${sig.toString(16)} instead of PK\\1\\2; listing stopped after ${records.length} of ${declaredCount} entries`,
          offset: baseOffset + at,
          evidence: { listed: records.length, declared: declaredCount },
        });
        return { records, truncated: true, consumed: at };
      }
      const versionMadeBy = cur.u16();
      const versionNeeded = cur.u16();
      const flags = cur.u16();
      const method = cur.u16();
      cur.u16("mod time");
      cur.u16("mod date");
      const crc = cur.u32();
      const comp32 = cur.u32();
      const uncomp32 = cur.u32();
      const nameLength = cur.u16();
      const extraLength = cur.u16();
      const commentLength = cur.u16();
      const diskStart = cur.u16();
      cur.u16("internal attributes");
      const externalAttributes = cur.u32();
      const lho32 = cur.u32();
      const rawName = cur.bytesView(nameLength, "central header name");
      const extra = cur.bytesView(extraLength, "central header extra field");
      const commentBytes = cur.bytesView(commentLength, "central header comment");
      const utf8 = (flags & FLAG_UTF8) !== 0;
      const name = decodeZipText(rawName, utf8);
      const record: CentralRecord = {
        index: records.length,
        offset: baseOffset + at,
        versionMadeBy,
        versionNeeded,
        flags,
        method,
        crc32: crc,
        compressedSize: BigInt(comp32),
        uncompressedSize: BigInt(uncomp32),
        localHeaderOffset: BigInt(lho32),
        diskStart,
        externalAttributes,
        rawName,
        name,
        comment: decodeZipText(commentBytes, utf8),
        zip64: false,
      };
      applyZip64Extra(record, extra, { uncomp: uncomp32 === 0xffffffff, comp: comp32 === 0xffffffff, offset: lho32 === 0xffffffff, disk: diskStart === 0xffff }, issues);
      records.push(record);
    } catch (error) {
      if (!(error instanceof TruncatedError)) throw error;
      issues.push({
        kind: "central-directory-truncated",
        message: `the central directory ends inside record ${records.length} (byte ${error.offset}); listing stopped after ${records.length} of ${declaredCount} entries`,
        offset: error.offset,
        evidence: { listed: records.length, declared: declaredCount },
      });
      return { records, truncated: true, consumed: at };
    }
  }
  return { records, truncated: false, consumed: cur.offset };
}

/**
 * Replace placeholder sizes/offset with the values of the ZIP64 extended
 * information extra field (APPNOTE 4.5.3): present in this order, only for the
 * fields whose classic value is the placeholder.
 */
export function applyZip64Extra(
  record: { compressedSize: bigint; uncompressedSize: bigint; localHeaderOffset?: bigint; zip64: boolean; name: string },
  extra: Uint8Array,
  need: { uncomp: boolean; comp: boolean; offset: boolean; disk: boolean },
  issues: IssueSink,
): void {
  const cur = new BinaryCursor(extra);
  let found = false;
  while (cur.remaining >= 4) {
    const id = cur.u16();
    const length = cur.u16();
    if (length > cur.remaining) {
      issues.push({
        kind: "extra-field-invalid",
        message: `extra field 0x${id.toString(16)} of "${record.name}" declares ${length} bytes but only ${cur.remaining} remain`,
        entry: record.name,
        evidence: { id, length, remaining: cur.remaining },
      });
      return;
    }
    const body = new BinaryCursor(cur.bytesView(length));
    if (id !== ZIP64_EXTRA_ID) continue;
    found = true;
    try {
      if (need.uncomp) record.uncompressedSize = body.u64("ZIP64 uncompressed size");
      if (need.comp) record.compressedSize = body.u64("ZIP64 compressed size");
      if (need.offset && record.localHeaderOffset !== undefined) record.localHeaderOffset = body.u64("ZIP64 local header offset");
      record.zip64 = true;
    } catch (error) {
      if (!(error instanceof TruncatedError)) throw error;
      issues.push({
        kind: "extra-field-invalid",
        message: `the ZIP64 extra field of "${record.name}" is too short for the values it must carry`,
        entry: record.name,
        evidence: { length },
      });
    }
  }
  if (!found && (need.uncomp || need.comp || need.offset)) {
    issues.push({
      kind: "extra-field-invalid",
      message: `"${record.name}" has ZIP64 placeholder sizes or offset but no ZIP64 extra field`,
      entry: record.name,
      evidence: { uncompressed: need.uncomp, compressed: need.comp, offset: need.offset },
    });
  }
}
