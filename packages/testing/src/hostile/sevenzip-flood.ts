import { zipCrc32 } from "../zip-builder.js";

/** A 7z NUMBER (7zFormat.txt): leading 1-bits of the first byte count the little-endian bytes that follow. */
function sevenZipNumber(v: number): number[] {
  for (let n = 0; n < 8; n++) {
    if (v < 2 ** (7 * (n + 1))) {
      const out = [((0xff << (8 - n)) & 0xff) | Math.floor(v / 2 ** (8 * n))];
      for (let k = 0; k < n; k++) out.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
      return out;
    }
  }
  const out = [0xff];
  for (let k = 0; k < 8; k++) out.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
  return out;
}

/**
 * A 7z archive listing `count` empty files (`f0` … `f<count-1>`) and nothing
 * else: a plain (unencoded) header with the empty-stream and empty-file bit
 * vectors and the names, no packed data at all (issue 18: 1 M empty files).
 * Built by hand because writing a million files through 7-Zip takes minutes.
 */
export function sevenZipEmptyFiles(count: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(count / 8));
  bits.fill(0xff);
  if (count % 8) bits[bits.length - 1] = (0xff << (8 - (count % 8))) & 0xff;
  let nameBytes = 1; // external = 0: the names follow
  for (let i = 0; i < count; i++) nameBytes += (String(i).length + 2) * 2;
  const names = new Uint8Array(nameBytes);
  let at = 1;
  for (let i = 0; i < count; i++) {
    for (const c of `f${i}`) {
      names[at] = c.charCodeAt(0);
      at += 2;
    }
    at += 2; // UTF-16 NUL terminator
  }
  const parts = [
    Uint8Array.of(0x01, 0x05, ...sevenZipNumber(count)), // kHeader, kFilesInfo, NumFiles
    Uint8Array.of(0x0e, ...sevenZipNumber(bits.length)), bits, // kEmptyStream: every file
    Uint8Array.of(0x0f, ...sevenZipNumber(bits.length)), bits, // kEmptyFile: every empty stream is a file
    Uint8Array.of(0x11, ...sevenZipNumber(names.length)), names, // kName
    Uint8Array.of(0x00, 0x00), // end of FilesInfo, end of Header
  ];
  const next = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    next.set(p, o);
    o += p.length;
  }
  const start = new Uint8Array(32);
  start.set([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]);
  const view = new DataView(start.buffer);
  view.setBigUint64(12, 0n, true); // the header follows the signature header directly
  view.setBigUint64(20, BigInt(next.length), true);
  view.setUint32(28, zipCrc32(next), true);
  view.setUint32(8, zipCrc32(start.subarray(12, 32)), true);
  const out = new Uint8Array(32 + next.length);
  out.set(start);
  out.set(next, 32);
  return out;
}
