import { zipCrc32 } from "../zip-builder.js";

/**
 * Streamed ZIPs whose central directory lists a flood of entries (issue 18): each record is
 * 46 bytes plus a short name, so a million of them is a 60 MB file built in blocks without
 * ever holding it whole. `overlapping`: every record points at the one local entry at byte 0
 * (the overlapping-entry bomb shape); `dangling`: every record points past the end of the file.
 */
export function* zipEntryFlood(count: number, shape: "overlapping" | "dangling"): Generator<Uint8Array> {
  const enc = new TextEncoder();
  const data = enc.encode("x");
  const crc = zipCrc32(data);
  const localName = enc.encode("m0.txt");
  const local = new Uint8Array(30 + localName.length + data.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint32(14, crc, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, localName.length, true);
  local.set(localName, 30);
  local.set(data, 30 + localName.length);
  yield local;

  const cdOffset = local.length;
  let cdSize = 0;
  const perBlock = 16_384;
  for (let first = 0; first < count; first += perBlock) {
    const parts: Uint8Array[] = [];
    for (let i = first; i < Math.min(count, first + perBlock); i++) {
      const name = enc.encode(`m${i}.txt`);
      const rec = new Uint8Array(46 + name.length);
      const v = new DataView(rec.buffer);
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, 20, true);
      v.setUint16(6, 20, true);
      v.setUint32(16, crc, true);
      v.setUint32(20, data.length, true);
      v.setUint32(24, data.length, true);
      v.setUint16(28, name.length, true);
      // Dangling: far past the end (but below the ZIP64 placeholder, so no extra field is needed).
      v.setUint32(42, shape === "overlapping" ? 0 : 0xfffffff0, true);
      rec.set(name, 46);
      parts.push(rec);
    }
    const block = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      block.set(p, at);
      at += p.length;
    }
    cdSize += block.length;
    yield block;
  }
  // ZIP64 end record and locator: a classic end record cannot count past 65,535 entries.
  const end = new Uint8Array(56 + 20 + 22);
  const ev = new DataView(end.buffer);
  const recordOffset = BigInt(cdOffset + cdSize);
  ev.setUint32(0, 0x06064b50, true);
  ev.setBigUint64(4, 44n, true);
  ev.setUint16(12, 45, true);
  ev.setUint16(14, 45, true);
  ev.setBigUint64(24, BigInt(count), true);
  ev.setBigUint64(32, BigInt(count), true);
  ev.setBigUint64(40, BigInt(cdSize), true);
  ev.setBigUint64(48, BigInt(cdOffset), true);
  ev.setUint32(56, 0x07064b50, true);
  ev.setBigUint64(64, recordOffset, true);
  ev.setUint32(72, 1, true);
  ev.setUint32(76, 0x06054b50, true);
  ev.setUint16(84, 0xffff, true);
  ev.setUint16(86, 0xffff, true);
  ev.setUint32(88, 0xffffffff, true);
  ev.setUint32(92, 0xffffffff, true);
  yield end;
}
