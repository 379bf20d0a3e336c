import { zipCrc32Update } from "./zip-builder.js";

/** One entry of {@link zipStream}: a name and its bytes, or a producer of its bytes in chunks (called twice). */
export interface StreamedZipEntry {
  name: string;
  data: Uint8Array | string | (() => Iterable<Uint8Array>);
}

const enc = new TextEncoder();
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

/** Chunks of an entry's data; a producer is called anew each time. */
function chunksOf(data: StreamedZipEntry["data"]): Iterable<Uint8Array> {
  if (typeof data === "function") return data();
  return [typeof data === "string" ? enc.encode(data) : data];
}

/** CRC-32 and size of an entry's data, in one pass over its chunks. */
function crcAndSize(data: StreamedZipEntry["data"]): { crc: number; size: number } {
  let register = 0xffffffff;
  let size = 0;
  for (const chunk of chunksOf(data)) {
    register = zipCrc32Update(register, chunk);
    size += chunk.length;
  }
  return { crc: (register ^ 0xffffffff) >>> 0, size };
}

/**
 * A stored (uncompressed) ZIP of `count` entries, produced as chunks so an
 * archive of a million members, or one member of hundreds of megabytes, is
 * written to a file without being held whole (write it with `writeChunked`).
 * `entryAt(i)` is called twice per index (local headers, then the central
 * directory) and must give the same entry both times. ZIP64 is written where
 * the classic fields cannot hold a value (more than 65,534 entries, offsets or
 * sizes past 4 GiB), as Python's zipfile and PyTorch's writer do: the ZIP64
 * extra field on an entry, the ZIP64 end record and locator before the
 * classic end record, whose fields then hold their 0xFFFF… placeholders.
 */
export function* zipStream(count: number, entryAt: (index: number) => StreamedZipEntry): Generator<Uint8Array> {
  // Per entry only what the central directory needs again: 16 bytes, not the entry.
  const offsets = new Float64Array(count);
  const crcs = new Uint32Array(count);
  const sizes = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const entry = entryAt(i);
    const { crc, size } = crcAndSize(entry.data);
    const name = enc.encode(entry.name);
    const big = size >= U32_MAX;
    const header = new Uint8Array(30 + name.length + (big ? 20 : 0));
    const v = new DataView(header.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, big ? 45 : 20, true);
    v.setUint16(10, 0, true);
    v.setUint16(12, 0x21, true);
    v.setUint32(14, crc, true);
    v.setUint32(18, big ? U32_MAX : size, true);
    v.setUint32(22, big ? U32_MAX : size, true);
    v.setUint16(26, name.length, true);
    v.setUint16(28, big ? 20 : 0, true);
    header.set(name, 30);
    if (big) {
      v.setUint16(30 + name.length, 1, true);
      v.setUint16(32 + name.length, 16, true);
      v.setBigUint64(34 + name.length, BigInt(size), true);
      v.setBigUint64(42 + name.length, BigInt(size), true);
    }
    offsets[i] = at;
    crcs[i] = crc;
    sizes[i] = size;
    yield header;
    at += header.length;
    for (const chunk of chunksOf(entry.data)) {
      yield chunk;
      at += chunk.length;
    }
  }
  const cdOffset = at;
  let cdSize = 0;
  const block: Uint8Array[] = [];
  let blockBytes = 0;
  for (let i = 0; i < count; i++) {
    const name = enc.encode(entryAt(i).name);
    const size = sizes[i]!;
    const offset = offsets[i]!;
    const bigSize = size >= U32_MAX;
    const bigOffset = offset >= U32_MAX;
    const extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
    const rec = new Uint8Array(46 + name.length + (extra ? 4 + extra : 0));
    const v = new DataView(rec.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, extra ? 45 : 20, true);
    v.setUint16(14, 0x21, true);
    v.setUint32(16, crcs[i]!, true);
    v.setUint32(20, bigSize ? U32_MAX : size, true);
    v.setUint32(24, bigSize ? U32_MAX : size, true);
    v.setUint16(28, name.length, true);
    v.setUint16(30, extra ? 4 + extra : 0, true);
    v.setUint32(42, bigOffset ? U32_MAX : offset, true);
    rec.set(name, 46);
    if (extra) {
      let x = 46 + name.length;
      v.setUint16(x, 1, true);
      v.setUint16(x + 2, extra, true);
      x += 4;
      if (bigSize) {
        v.setBigUint64(x, BigInt(size), true);
        v.setBigUint64(x + 8, BigInt(size), true);
        x += 16;
      }
      if (bigOffset) v.setBigUint64(x, BigInt(offset), true);
    }
    block.push(rec);
    blockBytes += rec.length;
    cdSize += rec.length;
    if (blockBytes >= 1 << 20) {
      yield concat(block, blockBytes);
      block.length = 0;
      blockBytes = 0;
    }
  }
  if (blockBytes) yield concat(block, blockBytes);
  const zip64 = count >= U16_MAX || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const end = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
  const ev = new DataView(end.buffer);
  let x = 0;
  if (zip64) {
    ev.setUint32(0, 0x06064b50, true);
    ev.setBigUint64(4, 44n, true);
    ev.setUint16(12, 45, true);
    ev.setUint16(14, 45, true);
    ev.setBigUint64(24, BigInt(count), true);
    ev.setBigUint64(32, BigInt(count), true);
    ev.setBigUint64(40, BigInt(cdSize), true);
    ev.setBigUint64(48, BigInt(cdOffset), true);
    ev.setUint32(56, 0x07064b50, true);
    ev.setBigUint64(64, BigInt(cdOffset + cdSize), true);
    ev.setUint32(72, 1, true);
    x = 76;
  }
  ev.setUint32(x, 0x06054b50, true);
  ev.setUint16(x + 8, zip64 ? U16_MAX : count, true);
  ev.setUint16(x + 10, zip64 ? U16_MAX : count, true);
  ev.setUint32(x + 12, zip64 ? U32_MAX : cdSize, true);
  ev.setUint32(x + 16, zip64 ? U32_MAX : cdOffset, true);
  yield end;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

