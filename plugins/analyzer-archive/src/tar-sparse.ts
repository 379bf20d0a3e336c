import type { ByteSource } from "@modelward/core";

// GNU sparse members, as Python's tarfile (Lib/tarfile.py: frombuf/_proc_sparse, _proc_gnusparse_00/01/10)
// and GNU tar read them: https://www.gnu.org/software/tar/manual/html_node/Sparse-Formats.html
// Segments beyond this many are an attack on the reader, not a file anyone wrote.
export const MAX_SPARSE_SEGMENTS = 100_000;

/** One data segment: `length` stored bytes that belong at `offset` of the extracted file. */
export interface SparseSegment {
  offset: number;
  length: number;
}

/** A sparse member's map: where its stored bytes go, and the size of the extracted file. */
export interface SparseMap {
  /** `S` (old GNU), `0.0`, `0.1` or `1.0` (pax). */
  version: string;
  segments: SparseSegment[];
  /** Size of the extracted file (holes included). */
  realSize: number;
}

const latin1 = new TextDecoder("latin1");

/** A non-negative decimal that fits a safe integer, else undefined. */
function decimal(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Pairs of numbers as segments, or a reason they are not a map. */
export function segmentsOf(numbers: (number | undefined)[]): SparseSegment[] | string {
  if (numbers.length % 2 !== 0) return "the sparse map has an odd count of numbers";
  if (numbers.length / 2 > MAX_SPARSE_SEGMENTS) return `the sparse map has more than ${MAX_SPARSE_SEGMENTS} segments`;
  const out: SparseSegment[] = [];
  for (let i = 0; i < numbers.length; i += 2) {
    const offset = numbers[i];
    const length = numbers[i + 1];
    if (offset === undefined || length === undefined) return "the sparse map holds a number that is not a non-negative integer";
    out.push({ offset, length });
  }
  return out;
}

/**
 * The sparse map pax records declare (`GNU.sparse.map` of format 0.1, else the
 * repeated `GNU.sparse.offset`/`numbytes` records of 0.0, in order), undefined
 * when the records declare no sparse file, or a reason the map is unusable.
 * Format 1.0 keeps its map in the member's data: see {@link readSparseMap10}.
 */
export function paxSparseMap(pax: ReadonlyMap<string, string>, records: readonly (readonly [string, string])[]): SparseMap | string | undefined {
  const sizeText = pax.get("GNU.sparse.realsize") ?? pax.get("GNU.sparse.size");
  const map = pax.get("GNU.sparse.map");
  if (map !== undefined || pax.has("GNU.sparse.size")) {
    const realSize = sizeText === undefined ? undefined : decimal(sizeText);
    if (realSize === undefined) return "the sparse member's real size is missing or invalid";
    const numbers: (number | undefined)[] = [];
    if (map !== undefined) {
      if (map !== "") numbers.push(...map.split(",").map(decimal));
    } else {
      // 0.0 repeats GNU.sparse.offset and GNU.sparse.numbytes records: Python zips the two lists in order.
      const offsets = records.filter(([k]) => k === "GNU.sparse.offset").map(([, v]) => decimal(v));
      const sizes = records.filter(([k]) => k === "GNU.sparse.numbytes").map(([, v]) => decimal(v));
      for (let i = 0; i < Math.min(offsets.length, sizes.length); i++) numbers.push(offsets[i], sizes[i]);
    }
    const segments = segmentsOf(numbers);
    return typeof segments === "string" ? segments : { version: map !== undefined ? "0.1" : "0.0", segments, realSize };
  }
  if (pax.get("GNU.sparse.major") === "1" && pax.get("GNU.sparse.minor") === "0") {
    const realSize = sizeText === undefined ? undefined : decimal(sizeText);
    if (realSize === undefined) return "the sparse member's real size is missing or invalid";
    return { version: "1.0", segments: [], realSize };
  }
  if (pax.has("GNU.sparse.major")) return `GNU sparse format ${pax.get("GNU.sparse.major")}.${pax.get("GNU.sparse.minor") ?? "?"} is not one tar readers know`;
  return undefined;
}

/**
 * Format 1.0: the map is decimal lines at the start of the member's data
 * (a count, then offset/size pairs), padded to a 512-byte block. Returns the
 * segments and how many bytes the map takes, or why it is unusable.
 */
export async function readSparseMap10(source: ByteSource, dataOffset: number, storedSize: number): Promise<{ segments: SparseSegment[]; mapBytes: number } | string> {
  const BLOCK = 512;
  // The count line, then two lines per segment of at most 20 digits each.
  let text = "";
  let read = 0;
  const numbers: (number | undefined)[] = [];
  let count: number | undefined;
  for (;;) {
    const nl = text.indexOf("\n");
    if (nl >= 0) {
      const n = decimal(text.slice(0, nl));
      text = text.slice(nl + 1);
      if (count === undefined) {
        if (n === undefined) return "the sparse map's segment count is not a number";
        if (n > MAX_SPARSE_SEGMENTS) return `the sparse map declares ${n} segments, more than ${MAX_SPARSE_SEGMENTS}`;
        count = n;
      } else numbers.push(n);
      if (numbers.length === count * 2) break;
      continue;
    }
    // The member's data is padded to whole blocks in the archive; readers read the map a block at a time.
    if (read + BLOCK > Math.ceil(storedSize / BLOCK) * BLOCK || text.length > 64) return "the sparse map runs past the member's data";
    text += latin1.decode(await source.read(dataOffset + read, dataOffset + read + BLOCK));
    read += BLOCK;
  }
  const segments = segmentsOf(numbers);
  return typeof segments === "string" ? segments : { segments, mapBytes: read };
}

/** Old GNU `S` headers: up to 4 segments at 386, more in extension blocks (21 each), real size at 483. */
export function oldGnuSegments(block: Uint8Array, at: number, count: number, number: (f: Uint8Array) => bigint | undefined): SparseSegment[] | string {
  const out: SparseSegment[] = [];
  for (let i = 0; i < count; i++) {
    const o = number(block.subarray(at + i * 24, at + i * 24 + 12));
    const n = number(block.subarray(at + i * 24 + 12, at + i * 24 + 24));
    // Python stops at the first field it cannot read and keeps only non-empty extension entries.
    if (o === undefined || n === undefined) break;
    if (o > BigInt(Number.MAX_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)) return "a sparse segment's offset or size is past 2^53";
    if (o === 0n && n === 0n) continue;
    out.push({ offset: Number(o), length: Number(n) });
  }
  return out;
}

/**
 * The file a sparse member extracts to, as tar writes it: zeros of
 * `realSize`, each segment's stored bytes (read in order from `stored`)
 * written at its offset, later segments over earlier ones, anything past
 * `realSize` cut (Python's `makefile`: seek, copy, then truncate). Reads cost
 * one pass over the map; nothing is allocated beyond what is asked for.
 */
export function sparseSource(stored: ByteSource, map: SparseMap): ByteSource {
  const size = map.realSize;
  const starts: number[] = [];
  let at = 0;
  for (const s of map.segments) {
    starts.push(at);
    at += s.length;
  }
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    const s = Math.max(0, Math.min(start, size));
    const e = Math.max(s, Math.min(end, size));
    const out = new Uint8Array(e - s);
    for (let i = 0; i < map.segments.length; i++) {
      const seg = map.segments[i]!;
      const from = Math.max(s, seg.offset);
      const to = Math.min(e, seg.offset + seg.length);
      if (from >= to) continue;
      out.set(await stored.read(starts[i]! + (from - seg.offset), starts[i]! + (to - seg.offset)), from - s);
    }
    return out;
  };
  return {
    size,
    read,
    async *stream(start = 0, end = size) {
      const CHUNK = 1024 * 1024;
      for (let p = Math.max(0, start); p < Math.min(end, size); p += CHUNK) yield await read(p, Math.min(end, size, p + CHUNK));
    },
  };
}

/** Stored bytes the map reads (the sum of its segments). */
export function storedBytesOf(map: SparseMap): number {
  return map.segments.reduce((a, s) => a + s.length, 0);
}
