import type { ByteSource } from "@modelward/core";
import { BinaryCursor } from "../binary-cursor.js";
import {
  EOCD_MAX_SEARCH,
  EOCD_SIG,
  EOCD_SIZE,
  ZIP64_EOCD_SIG,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIG,
  ZIP64_LOCATOR_SIZE,
} from "./zip-format.js";
import { decodeZipText } from "./zip-text.js";
import type { IssueSink } from "./issue-sink.js";

/** What the end-of-central-directory records say, ZIP64 resolved. */
export interface EndOfCentralDirectory {
  /** Offset of the `PK\5\6` record. */
  offset: number;
  /** Length of the archive comment. */
  commentLength: number;
  /** The archive comment, decoded. */
  comment: string;
  /** Entries the records declare (ZIP64 value when present), as a BigInt: the caller bounds it. */
  totalEntries: bigint;
  /** Declared size of the central directory. */
  cdSize: bigint;
  /** Declared offset of the central directory. */
  cdOffset: bigint;
  /** True when ZIP64 records were used. */
  zip64: boolean;
  /** Offset of the ZIP64 EOCD record actually used, when any (for layout accounting). */
  zip64RecordOffset: number | undefined;
  /** Size of the ZIP64 EOCD record actually used (its size field + 12). */
  zip64RecordSize: number;
}

// Enough for the record with a short comment, in one small read.
const SMALL_TAIL = 4096;

async function searchTail(source: ByteSource, searchLength: number): Promise<{ tail: Uint8Array; tailStart: number; exact: number; fits: number }> {
  const tailStart = source.size - searchLength;
  const tail = await source.read(tailStart, source.size);
  // Prefer the last signature whose comment ends exactly at the end of the file (the
  // normal case); else the last one whose comment fits, leaving trailing data, as
  // Python's zipfile (`_EndRecData`, which takes the last signature) would.
  let exact = -1;
  let fits = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (u32(tail, i) !== EOCD_SIG) continue;
    const commentLength = tail[i + 20]! | (tail[i + 21]! << 8);
    const end = i + EOCD_SIZE + commentLength;
    if (end === tail.length) {
      exact = i;
      break;
    }
    if (end < tail.length && fits < 0) fits = i;
  }
  return { tail, tailStart, exact, fits };
}

const u32 = (b: Uint8Array, at: number): number =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * Find and read the end-of-central-directory record, searching back through
 * an archive comment of up to 65535 bytes, then the ZIP64 locator and record.
 * Returns undefined (with an `eocd-missing` issue) when there is none.
 */
export async function readEndOfCentralDirectory(source: ByteSource, issues: IssueSink): Promise<EndOfCentralDirectory | undefined> {
  const size = source.size;
  // Most archives have no comment: try a small tail first, the full 64 KiB window only when needed.
  let found = await searchTail(source, Math.min(size, SMALL_TAIL));
  if (found.exact < 0 && size > SMALL_TAIL) found = await searchTail(source, Math.min(size, EOCD_MAX_SEARCH));
  const { tail, tailStart, exact, fits } = found;
  const at = exact >= 0 ? exact : fits;
  if (at < 0) {
    issues.push({
      kind: "eocd-missing",
      message: "no end-of-central-directory record in the last 65557 bytes: the archive is truncated or not a zip",
      evidence: { size },
    });
    return undefined;
  }
  const cur = new BinaryCursor(tail, at + 4, tailStart);
  const disk = cur.u16("EOCD disk number");
  const cdDisk = cur.u16("EOCD directory disk");
  const entriesOnDisk = cur.u16("EOCD entries on disk");
  const totalEntries16 = cur.u16("EOCD total entries");
  const cdSize32 = cur.u32("EOCD directory size");
  const cdOffset32 = cur.u32("EOCD directory offset");
  const commentLength = cur.u16("EOCD comment length");
  const comment = decodeZipText(tail.subarray(at + EOCD_SIZE, at + EOCD_SIZE + commentLength), false);
  const offset = tailStart + at;
  if (disk !== 0 || cdDisk !== 0) {
    issues.push({
      kind: "multi-disk",
      message: `the end-of-central-directory record claims disk ${disk} (directory on disk ${cdDisk}): multi-volume archives are not loadable by ML frameworks`,
      offset,
      evidence: { disk, cdDisk },
    });
  }
  if (entriesOnDisk !== totalEntries16) {
    issues.push({
      kind: "entry-count-mismatch",
      message: `the end-of-central-directory record declares ${entriesOnDisk} entries on this disk but ${totalEntries16} in total`,
      offset,
      evidence: { entriesOnDisk, totalEntries: totalEntries16 },
    });
  }
  const result: EndOfCentralDirectory = {
    offset,
    commentLength,
    comment,
    totalEntries: BigInt(totalEntries16),
    cdSize: BigInt(cdSize32),
    cdOffset: BigInt(cdOffset32),
    zip64: false,
    zip64RecordOffset: undefined,
    zip64RecordSize: 0,
  };

  const needsZip64 = totalEntries16 === 0xffff || entriesOnDisk === 0xffff || cdSize32 === 0xffffffff || cdOffset32 === 0xffffffff;
  const locatorAt = offset - ZIP64_LOCATOR_SIZE;
  let locator: Uint8Array | undefined;
  if (locatorAt >= 0) {
    locator = locatorAt >= tailStart ? tail.subarray(locatorAt - tailStart, at) : await source.read(locatorAt, offset);
    if (locator.length < ZIP64_LOCATOR_SIZE || u32(locator, 0) !== ZIP64_LOCATOR_SIG) locator = undefined;
  }
  if (!locator) {
    if (needsZip64) {
      issues.push({
        kind: "zip64-inconsistent",
        message: "the end-of-central-directory record has ZIP64 placeholder values but no ZIP64 locator precedes it",
        offset,
        evidence: { totalEntries: totalEntries16, cdSize: cdSize32, cdOffset: cdOffset32 },
      });
    }
    return result;
  }
  const lc = new BinaryCursor(locator, 4, locatorAt);
  lc.u32("ZIP64 locator disk");
  const recordOffset = lc.u64("ZIP64 EOCD offset");
  // Python's zipfile reads the ZIP64 record right before the locator and ignores this
  // offset; miniz (PyTorch) follows the offset. Both positions must agree.
  const adjacent = locatorAt - ZIP64_EOCD_SIZE;
  const declaredAt = recordOffset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(recordOffset) : -1;
  let recordAt = declaredAt;
  if (declaredAt < 0 || declaredAt + ZIP64_EOCD_SIZE > locatorAt) recordAt = -1;
  let record = recordAt >= 0 ? await source.read(recordAt, recordAt + ZIP64_EOCD_SIZE) : undefined;
  if (!record || record.length < ZIP64_EOCD_SIZE || u32(record, 0) !== ZIP64_EOCD_SIG) {
    record = undefined;
    if (adjacent >= 0) {
      const near = await source.read(adjacent, locatorAt);
      if (near.length === ZIP64_EOCD_SIZE && u32(near, 0) === ZIP64_EOCD_SIG) {
        record = near;
        recordAt = adjacent;
      }
    }
    issues.push({
      kind: "zip64-inconsistent",
      message: `the ZIP64 locator points at byte ${recordOffset} where there is no ZIP64 end-of-central-directory record${record ? ` (one was found at ${adjacent}, where Python's zipfile looks)` : ""}`,
      offset: locatorAt,
      evidence: { declaredRecordOffset: recordOffset.toString(), foundAt: record ? adjacent : -1 },
    });
    if (!record) return result;
  }
  const rc = new BinaryCursor(record, 4, recordAt);
  const recordSize = rc.u64("ZIP64 EOCD size");
  rc.u16("ZIP64 version made by");
  rc.u16("ZIP64 version needed");
  const disk64 = rc.u32("ZIP64 disk");
  const cdDisk64 = rc.u32("ZIP64 directory disk");
  const onDisk64 = rc.u64("ZIP64 entries on disk");
  const total64 = rc.u64("ZIP64 total entries");
  const cdSize64 = rc.u64("ZIP64 directory size");
  const cdOffset64 = rc.u64("ZIP64 directory offset");
  if (disk64 !== 0 || cdDisk64 !== 0 || onDisk64 !== total64) {
    issues.push({
      kind: "zip64-inconsistent",
      message: `the ZIP64 end-of-central-directory record claims disk ${disk64}/${cdDisk64} and ${onDisk64} of ${total64} entries`,
      offset: recordAt,
      evidence: { disk: disk64, cdDisk: cdDisk64, entriesOnDisk: onDisk64.toString(), totalEntries: total64.toString() },
    });
  }
  const disagree = (small: number, placeholder: number, big: bigint) => small !== placeholder && BigInt(small) !== big;
  if (disagree(totalEntries16, 0xffff, total64) || disagree(cdSize32, 0xffffffff, cdSize64) || disagree(cdOffset32, 0xffffffff, cdOffset64)) {
    issues.push({
      kind: "zip64-inconsistent",
      message: "the ZIP64 end-of-central-directory record disagrees with the classic record (parsers that read one or the other list different directories)",
      offset: recordAt,
      evidence: {
        totalEntries: totalEntries16,
        totalEntries64: total64.toString(),
        cdSize: cdSize32,
        cdSize64: cdSize64.toString(),
        cdOffset: cdOffset32,
        cdOffset64: cdOffset64.toString(),
      },
    });
  }
  result.zip64 = true;
  result.totalEntries = total64;
  result.cdSize = cdSize64;
  result.cdOffset = cdOffset64;
  result.zip64RecordOffset = recordAt;
  // The record's size field excludes its first 12 bytes (4.3.14.1); clamp to what lies before the locator.
  const declaredRecordSize = recordSize + 12n;
  const room = BigInt(locatorAt - recordAt);
  result.zip64RecordSize = Number(declaredRecordSize < BigInt(ZIP64_EOCD_SIZE) ? BigInt(ZIP64_EOCD_SIZE) : declaredRecordSize > room ? room : declaredRecordSize);
  return result;
}
