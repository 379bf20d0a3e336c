import type { ByteSource } from "@modelward/core";
import { BinaryCursor } from "../binary-cursor.js";
import { TruncatedError } from "../bounds.js";
import { applyZip64Extra, type CentralRecord } from "./central-directory.js";
import { DATA_DESCRIPTOR_SIG, FLAG_DATA_DESCRIPTOR, FLAG_UTF8, LOCAL_FILE_HEADER_SIG, LOCAL_FILE_HEADER_SIZE } from "./zip-format.js";
import { decodeZipText, sameBytes } from "./zip-text.js";
import type { IssueSink } from "./issue-sink.js";

/** What an entry's local header (and data descriptor) says. */
export interface LocalHeaderInfo {
  /** The name the local header gives, decoded. */
  name: string;
  /** The local header's flags. */
  flags: number;
  /** Offset of the data: local header + 30 + LOCAL name and extra lengths (what PyTorch's reader computes). */
  dataOffset: number;
  /** Bytes of the data descriptor after the data (0 when none). */
  descriptorLength: number;
}

// A guess at the local extra field's length so most headers take one read; PyTorch pads
// data to 64 bytes with an extra field, so leave room for that.
const EXTRA_GUESS = 128;

/**
 * Read and cross-check the local header of an entry whose central record says
 * it starts at `headerOffset` with `compressedSize` bytes of data. Returns
 * undefined when the header is unreadable (an issue says why).
 */
export async function readLocalHeader(
  source: ByteSource,
  record: CentralRecord,
  headerOffset: number,
  compressedSize: number,
  uncompressedSize: number,
  issues: IssueSink,
): Promise<LocalHeaderInfo | undefined> {
  const name = record.name;
  const invalid = (message: string): undefined => {
    issues.push({ kind: "local-header-invalid", message, entry: name, offset: headerOffset, evidence: { localHeaderOffset: headerOffset } });
    return undefined;
  };
  if (headerOffset + LOCAL_FILE_HEADER_SIZE > source.size) {
    return invalid(`the local header of "${name}" at byte ${headerOffset} lies beyond the end of the file (${source.size} bytes)`);
  }
  let bytes = await source.read(headerOffset, headerOffset + LOCAL_FILE_HEADER_SIZE + record.rawName.length + EXTRA_GUESS);
  try {
    const cur = new BinaryCursor(bytes, 0, headerOffset);
    const sig = cur.u32();
    if (sig !== LOCAL_FILE_HEADER_SIG) return invalid(`"${name}" points at byte ${headerOffset}, which holds 0x${sig.toString(16)} instead of a local header (PK\\3\\4)`);
    cur.u16("version needed");
    const flags = cur.u16();
    const method = cur.u16();
    cur.u32("mod time and date");
    const crc = cur.u32();
    const comp32 = cur.u32();
    const uncomp32 = cur.u32();
    const nameLength = cur.u16();
    const extraLength = cur.u16();
    const total = LOCAL_FILE_HEADER_SIZE + nameLength + extraLength;
    if (bytes.length < total) {
      bytes = await source.read(headerOffset, headerOffset + total);
      if (bytes.length < total) return invalid(`the local header of "${name}" at byte ${headerOffset} runs past the end of the file`);
    }
    const rawName = bytes.subarray(LOCAL_FILE_HEADER_SIZE, LOCAL_FILE_HEADER_SIZE + nameLength);
    const extra = bytes.subarray(LOCAL_FILE_HEADER_SIZE + nameLength, total);
    const localName = decodeZipText(rawName, (flags & FLAG_UTF8) !== 0);
    if (!sameBytes(rawName, record.rawName)) {
      issues.push({
        kind: "name-mismatch",
        message: `the local header names the entry "${localName}" but the central directory says "${name}" (jszip reads the local name; PyTorch, zipfile and yauzl the central one)`,
        entry: name,
        offset: headerOffset,
        evidence: { centralName: name, localName },
      });
    }
    if (flags !== record.flags || method !== record.method) {
      issues.push({
        kind: "header-mismatch",
        message: `the local header of "${name}" says flags 0x${flags.toString(16)} method ${method}, the central directory flags 0x${record.flags.toString(16)} method ${record.method}`,
        entry: name,
        offset: headerOffset,
        evidence: { localFlags: flags, centralFlags: record.flags, localMethod: method, centralMethod: record.method },
      });
    }
    const local = { compressedSize: BigInt(comp32), uncompressedSize: BigInt(uncomp32), zip64: false, name };
    if (comp32 === 0xffffffff || uncomp32 === 0xffffffff) {
      // A local ZIP64 field carries both sizes whenever either is a placeholder (APPNOTE 4.5.3).
      applyZip64Extra(local, extra, { uncomp: true, comp: true, offset: false, disk: false }, issues);
    }
    const usesDescriptor = ((flags | record.flags) & FLAG_DATA_DESCRIPTOR) !== 0;
    if (!usesDescriptor) {
      if (local.compressedSize !== BigInt(compressedSize) || local.uncompressedSize !== BigInt(uncompressedSize) || crc !== record.crc32) {
        issues.push({
          kind: "size-mismatch",
          message: `the local header of "${name}" declares ${local.compressedSize}/${local.uncompressedSize} bytes (crc 0x${crc.toString(16)}), the central directory ${compressedSize}/${uncompressedSize} (crc 0x${record.crc32.toString(16)})`,
          entry: name,
          offset: headerOffset,
          evidence: {
            localCompressed: local.compressedSize.toString(),
            localUncompressed: local.uncompressedSize.toString(),
            centralCompressed: compressedSize,
            centralUncompressed: uncompressedSize,
            localCrc: crc,
            centralCrc: record.crc32,
          },
        });
      }
    }
    const dataOffset = headerOffset + total;
    let descriptorLength = 0;
    if (usesDescriptor && dataOffset + compressedSize <= source.size) {
      descriptorLength = await readDescriptor(source, record, dataOffset + compressedSize, compressedSize, uncompressedSize, issues);
    }
    return { name: localName, flags, dataOffset, descriptorLength };
  } catch (error) {
    if (!(error instanceof TruncatedError)) throw error;
    return invalid(`the local header of "${name}" at byte ${headerOffset} is truncated`);
  }
}

// Data descriptor (APPNOTE 4.3.9): optional signature, crc, then 4- or 8-byte sizes (8 for ZIP64 entries).
async function readDescriptor(
  source: ByteSource,
  record: CentralRecord,
  at: number,
  compressedSize: number,
  uncompressedSize: number,
  issues: IssueSink,
): Promise<number> {
  const bytes = await source.read(at, at + 24);
  if (bytes.length < 12) return 0;
  const cur = new BinaryCursor(bytes, 0, at);
  let length = 0;
  if (cur.u32() === DATA_DESCRIPTOR_SIG) length = 4;
  else cur.offset = 0;
  const wide = record.zip64;
  if (cur.remaining < (wide ? 20 : 12)) return 0;
  const crc = cur.u32();
  const comp = wide ? cur.u64() : BigInt(cur.u32());
  const uncomp = wide ? cur.u64() : BigInt(cur.u32());
  length += wide ? 20 : 12;
  if (crc !== record.crc32 || comp !== BigInt(compressedSize) || uncomp !== BigInt(uncompressedSize)) {
    issues.push({
      kind: "size-mismatch",
      message: `the data descriptor of "${record.name}" declares ${comp}/${uncomp} bytes (crc 0x${crc.toString(16)}), the central directory ${compressedSize}/${uncompressedSize} (crc 0x${record.crc32.toString(16)})`,
      entry: record.name,
      offset: at,
      evidence: { descriptorCompressed: comp.toString(), descriptorUncompressed: uncomp.toString(), descriptorCrc: crc, centralCrc: record.crc32 },
    });
  }
  return length;
}
