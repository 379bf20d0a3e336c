import { crc32 } from "node:zlib";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(n: number): string {
  let s = "";
  do {
    s = BASE62[n % 62]! + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(6, "0");
}

/**
 * True when a classic-format GitHub token (`ghp_` + 30 random + 6 checksum)
 * carries a valid checksum: the last 6 characters are the base62 CRC32 of
 * the 30 random ones (GitHub's 2021 token format). Made-up tokens in docs
 * and tests almost never pass.
 */
export function githubChecksumValid(token: string): boolean {
  const m = /^gh[pousr]_([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  if (!m) return false;
  return base62(crc32(Buffer.from(m[1]!, "latin1"))) === m[2];
}
