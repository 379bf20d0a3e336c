import { constants, inflateSync } from "node:zlib";
import { pickleClaim } from "./sniff-pickle.js";

// Compressed bytes inflated to sniff: at most ~1,032× this much output (deflate's ceiling), so a few
// hundred KiB however the head was built; a pickle's first opcodes are in its first bytes.
const SNIFF_INPUT = 256;
const SNIFF_OUTPUT = 512 * 1024;

/**
 * Whether a zlib stream (joblib's `compress=('zlib', n)`, or `compress=n`
 * saved under any name) inflates to something that starts like a pickle.
 * joblib.load, pickle.load on `zlib.decompress` and friends read the content,
 * never the name, so a `.bin` or extensionless dump is claimed by this
 * content check (issue 9.11); other zlib data (PNG-free raw deflate blobs,
 * application data) is not claimed by a two-byte header that happens to fit.
 */
export function zlibHeadIsPickle(head: Uint8Array): boolean {
  let out: Buffer;
  try {
    out = inflateSync(head.subarray(0, SNIFF_INPUT), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SNIFF_OUTPUT });
  } catch {
    return false;
  }
  return pickleClaim(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), "") !== undefined;
}
