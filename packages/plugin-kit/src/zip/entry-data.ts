import type { ByteSource } from "@modelward/core";
import { decodeBounded, inflateRaw } from "./decode.js";
import { bytesSource, crcTrackingWindow, decodedSource } from "./sources.js";
import { METHOD_AES, METHOD_DEFLATE, METHOD_STORED, ZIPCRYPTO_HEADER_SIZE } from "./zip-format.js";
import type { ZipArchive, ZipEntry, ZipIssue } from "./zip-types.js";

/** Options of {@link openEntryData}. */
export interface ZipEntryDataOptions {
  /** Largest span one read of a decoded entry may return (the engine's maxReadBytes). */
  maxReadBytes?: number;
  /** Deflated entries declaring at most this many bytes are inflated once, verified and kept in memory (default 64 MiB). */
  bufferLimit?: number;
  /** `finish` reads at most this many unread bytes of a stored entry to complete its CRC check (default 1 MiB). */
  verifyStoredUpTo?: number;
  /** Abort between chunks when fired. */
  signal?: AbortSignal;
}

/** Why an entry's data could not be opened. */
export type ZipEntryFailure = "no-local-header" | "unsupported-method" | "encrypted";

/** The outcome of {@link openEntryData}. */
export type ZipEntryData =
  | {
      ok: true;
      /** The entry's bytes: a window onto the archive (stored), in memory (small deflated) or inflated on demand (large deflated). */
      source: ByteSource;
      /** CRC and size were checked against the data already (small deflated entries). */
      verified: boolean;
      /**
       * Call once the data has been consumed: completes the CRC check of a
       * stored entry from what consumers read (plus at most `verifyStoredUpTo`
       * unread bytes) and returns any new issue. Resolves to [] when nothing is
       * left to check or the check would cost too much reading.
       */
      finish(): Promise<ZipIssue[]>;
      /** The encryption flag is set but the data reads as plain (a flipped flag, CVE-2025-1945). */
      plaintextDespiteEncryptionFlag: boolean;
      /** Inconsistencies found while reading the data (CRC, size, corrupt stream). */
      issues: ZipIssue[];
    }
  | { ok: false; reason: ZipEntryFailure; message: string; issues: ZipIssue[] };

// Decoded entries up to this size are kept whole: a pickle or config is far smaller,
// and keeping it saves re-inflating for every read the engine makes.
const DEFAULT_BUFFER_LIMIT = 64 * 1024 * 1024;
// Completing a stored entry's CRC costs I/O: small members (pickles, configs) are where
// CRC tampering matters (CVE-2025-10156) and are read by analyzers anyway; large tensor
// storages nobody reads are left alone.
const DEFAULT_VERIFY_STORED = 1024 * 1024;
// The engine's default maxReadBytes.
const DEFAULT_MAX_READ = 256 * 1024 * 1024;

/**
 * Open an entry's bytes the way a lenient loader (PyTorch) would: the data
 * starts where the LOCAL header says, the encryption flag and CRC do not stop
 * reading, and inflation never produces more than the declared size. Stored
 * entries are windows onto the archive (no copy); small deflated entries are
 * inflated once into memory; larger ones are inflated on demand, one span at
 * a time. CRC and size are verified where the data is read anyway (or small).
 */
export async function openEntryData(archive: ZipArchive, entry: ZipEntry, options: ZipEntryDataOptions = {}): Promise<ZipEntryData> {
  const issues: ZipIssue[] = [];
  const maxReadBytes = options.maxReadBytes ?? DEFAULT_MAX_READ;
  const bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
  const verifyStoredUpTo = options.verifyStoredUpTo ?? DEFAULT_VERIFY_STORED;
  const name = entry.name;
  if (entry.dataOffset === undefined) {
    return { ok: false, reason: "no-local-header", message: `the local header of "${name}" is unreadable, so its data cannot be located`, issues };
  }
  if (entry.method === METHOD_AES) {
    return { ok: false, reason: "encrypted", message: `"${name}" is AES-encrypted (method 99)`, issues };
  }
  const dataOffset = entry.dataOffset;
  const compressedSize = Math.max(0, Math.min(entry.compressedSize, archive.source.size - dataOffset));
  const crcMismatch = (actual: number): ZipIssue => ({
    kind: "crc-mismatch",
    message: `the data of "${name}" has CRC-32 0x${actual.toString(16)} but 0x${entry.crc32.toString(16)} is declared (PyTorch does not check; strict parsers stop)`,
    entry: name,
    offset: dataOffset,
    evidence: { declared: entry.crc32, actual },
  });

  if (entry.method === METHOD_STORED) {
    // ZipCrypto prepends a 12-byte header, so real encryption makes the stored data 12
    // bytes longer than declared; equal sizes mean the flag was set on plain data.
    if (entry.encryptionFlag && entry.compressedSize === entry.uncompressedSize + ZIPCRYPTO_HEADER_SIZE) {
      return { ok: false, reason: "encrypted", message: `"${name}" is ZipCrypto-encrypted (12-byte encryption header before the data)`, issues };
    }
    const window = crcTrackingWindow(archive.source, dataOffset, compressedSize);
    let finished = false;
    return {
      ok: true,
      source: window.source,
      verified: false,
      plaintextDespiteEncryptionFlag: entry.encryptionFlag,
      issues,
      async finish() {
        if (finished) return [];
        finished = true;
        const crc = await window.complete(verifyStoredUpTo);
        return crc !== undefined && crc !== entry.crc32 ? [crcMismatch(crc)] : [];
      },
    };
  }

  if (entry.method !== METHOD_DEFLATE) {
    return { ok: false, reason: "unsupported-method", message: `"${name}" uses compression method ${entry.method}, which is not decoded`, issues };
  }
  const encoded = () => archive.source.stream(dataOffset, dataOffset + compressedSize);
  if (entry.uncompressedSize <= bufferLimit) {
    // One byte more than declared reveals data longer than its declared size.
    const result = await decodeBounded(encoded(), inflateRaw, {
      maxOutput: entry.uncompressedSize + 1,
      keepUpTo: entry.uncompressedSize + 1,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Ciphertext fed to inflate fails (often after a few garbage bytes); plain data with a
    // flipped flag inflates cleanly.
    if (result.error !== undefined && entry.encryptionFlag) {
      return { ok: false, reason: "encrypted", message: `"${name}" has the encryption flag and its data does not inflate: it is encrypted`, issues };
    }
    if (result.error !== undefined) {
      issues.push({
        kind: "data-corrupt",
        message: `the deflate data of "${name}" is corrupt or truncated after ${result.length} bytes (${result.error})`,
        entry: name,
        offset: dataOffset,
        evidence: { produced: result.length, error: result.error },
      });
    }
    if (result.overflow || result.length !== entry.uncompressedSize) {
      issues.push({
        kind: "size-mismatch",
        message: result.overflow
          ? `"${name}" inflates to more than its declared ${entry.uncompressedSize} bytes; only the declared size is analyzed`
          : `"${name}" inflates to ${result.length} bytes but declares ${entry.uncompressedSize}`,
        entry: name,
        offset: dataOffset,
        evidence: { declared: entry.uncompressedSize, inflated: result.length, overflow: result.overflow },
      });
    } else if (result.error === undefined && result.crc32 !== entry.crc32) {
      issues.push(crcMismatch(result.crc32));
    }
    const bytes = result.bytes ?? new Uint8Array(0);
    const data = bytes.length > entry.uncompressedSize ? bytes.subarray(0, entry.uncompressedSize) : bytes;
    return {
      ok: true,
      source: bytesSource(data),
      verified: result.error === undefined && !result.overflow,
      plaintextDespiteEncryptionFlag: entry.encryptionFlag && result.error === undefined,
      issues,
      finish: async () => [],
    };
  }
  return {
    ok: true,
    source: decodedSource({ encoded, decode: inflateRaw, size: entry.uncompressedSize, maxReadBytes }),
    verified: false,
    plaintextDespiteEncryptionFlag: entry.encryptionFlag,
    issues,
    finish: async () => [],
  };
}
