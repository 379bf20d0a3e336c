// LevelDB table format as TensorFlow's tensor bundles (`.index`, V1 `.ckpt`) write it
// (tensorflow/tsl/lib/io/format.h, table_builder.cc): blocks of prefix-compressed entries,
// an index block of block handles, and a 48-byte footer ending in the table magic.

/** `kTableMagicNumber` 0xdb4775248b80fb57, little-endian. */
export const TABLE_MAGIC = [0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb];
const FOOTER = 48;
const BLOCK_TRAILER = 5;

/** True when `tail` ends with the table magic. */
export function hasTableMagic(tail: Uint8Array): boolean {
  return tail.length >= 8 && TABLE_MAGIC.every((b, i) => tail[tail.length - 8 + i] === b);
}

/** One key/value of a table. */
export interface TableEntry {
  key: Uint8Array;
  value: Uint8Array;
}

class Cursor {
  constructor(readonly bytes: Uint8Array, public at = 0) {}
  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.at >= this.bytes.length) throw new Error("varint past the end");
      const b = this.bytes[this.at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
    }
    throw new Error("varint longer than 10 bytes");
  }
  small(limit: number): number {
    const v = this.varint();
    if (v > BigInt(limit)) throw new Error(`value ${v} over ${limit}`);
    return Number(v);
  }
}

/**
 * Reads every entry of a table held in `bytes` (the whole file), bounded by
 * `maxEntries`. Throws with a reason on any structural error: offsets outside
 * the file, compressed blocks (bundles are written uncompressed), bad restarts.
 */
export function readTable(bytes: Uint8Array, maxEntries: number): { entries: TableEntry[]; truncated: boolean } {
  if (bytes.length < FOOTER || !hasTableMagic(bytes)) throw new Error("no table footer");
  const footer = new Cursor(bytes.subarray(bytes.length - FOOTER));
  const handle = (c: Cursor) => ({ offset: c.small(bytes.length), size: c.small(bytes.length) });
  handle(footer); // metaindex: unused by bundles
  const index = handle(footer);
  const entries: TableEntry[] = [];
  for (const blockHandle of readBlock(bytes, index, maxEntries).map((e) => handle(new Cursor(e.value)))) {
    for (const e of readBlock(bytes, blockHandle, maxEntries - entries.length)) entries.push(e);
    if (entries.length >= maxEntries) return { entries, truncated: true };
  }
  return { entries, truncated: false };
}

function readBlock(bytes: Uint8Array, h: { offset: number; size: number }, maxEntries: number): TableEntry[] {
  if (h.offset + h.size + BLOCK_TRAILER > bytes.length) throw new Error(`block at ${h.offset} (${h.size} bytes) runs past the end of the file`);
  const type = bytes[h.offset + h.size];
  if (type !== 0) throw new Error(`block at ${h.offset} is compressed (type ${type}); tensor bundles are written uncompressed`);
  const block = bytes.subarray(h.offset, h.offset + h.size);
  if (block.length < 4) throw new Error("block shorter than its restart count");
  const restarts = new DataView(block.buffer, block.byteOffset + block.length - 4, 4).getUint32(0, true);
  const dataEnd = block.length - 4 - 4 * restarts;
  if (restarts === 0 || dataEnd < 0) throw new Error(`block at ${h.offset} declares ${restarts} restarts`);
  const out: TableEntry[] = [];
  const c = new Cursor(block.subarray(0, dataEnd));
  let last = new Uint8Array(0);
  while (c.at < dataEnd && out.length < maxEntries) {
    const shared = c.small(last.length);
    const unshared = c.small(dataEnd);
    const valueLength = c.small(dataEnd);
    if (c.at + unshared + valueLength > dataEnd) throw new Error(`entry at ${h.offset + c.at} runs past its block`);
    const key = new Uint8Array(shared + unshared);
    key.set(last.subarray(0, shared));
    key.set(c.bytes.subarray(c.at, c.at + unshared), shared);
    c.at += unshared;
    out.push({ key, value: c.bytes.subarray(c.at, c.at + valueLength) });
    c.at += valueLength;
    last = key;
  }
  return out;
}
