import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { HostileCase } from "./hostile-case.js";
import { writeChunked } from "./write-stream.js";
import { zipEntryFlood } from "./zip-flood.js";
import { sevenZipEmptyFiles } from "./sevenzip-flood.js";
import { writeFileSync } from "node:fs";

// Hostile archive and compressed-stream inputs (issue 18). Inputs are harmless: no payload
// executes anything, and a scanner never loads them anyway.

const MiB = 1024 * 1024;

/**
 * A gzip file decompressing to `total` zeros after `prefix` and before `suffix`, written as
 * concatenated gzip members (RFC 1952 §2.2; gunzip and Python's gzip read them as one
 * stream) so building 10 GB costs one deflate of 64 MiB.
 */
function* gzipZeros(total: number, prefix: Uint8Array = new Uint8Array(0), suffix: Uint8Array = new Uint8Array(0)): Iterable<Uint8Array> {
  if (prefix.length > 0) yield gzipSync(prefix);
  const block = 64 * MiB;
  const full = gzipSync(new Uint8Array(block), { level: 9 });
  let left = total;
  for (; left >= block; left -= block) yield full;
  if (left > 0) yield gzipSync(new Uint8Array(left), { level: 9 });
  if (suffix.length > 0) yield gzipSync(suffix);
}

/** Protocol-4 pickle opening a BINBYTES8 of `n` bytes (the bytes follow, then STOP). */
function binbytes8Header(n: number): Uint8Array {
  const head = new Uint8Array(2 + 1 + 8);
  head.set([0x80, 4, 0x8e]);
  new DataView(head.buffer).setBigUint64(3, BigInt(n), true);
  return head;
}

// A 7z of a million files trips the member cap (entry bomb, exit 1); the small one is only a listing of
// empties (exit 0), reported as such: either way the report names what the archive held.
const size7zNamed = /archive\/entry-bomb|empty file/;

/** The archive family of the hostile-input suite. */
export const archiveHostileCases: HostileCase[] = [
  {
    // 10 GB of zeros (small: 256 MiB).
    name: "archive/gzip-bomb",
    build: (dir, size) => writeChunked(join(dir, "zeros.bin.gz"), () => gzipZeros(size === "full" ? 10 * 1024 * MiB : 256 * MiB)),
    expect: { exit: 1, names: /archive\/decompression-bomb/ },
  },
  {
    // A 1 GB BINBYTES8 of zeros (small: 128 MiB).
    name: "archive/pickle-gz-bomb",
    build(dir, size) {
      const n = size === "full" ? 1024 * MiB : 128 * MiB;
      return writeChunked(join(dir, "model.pkl.gz"), () => gzipZeros(n, binbytes8Header(n), new Uint8Array([0x2e])));
    },
    expect: { exit: 1, names: /(archive|pickle)\/decompression-bomb/ },
  },
  {
    // 1 M central-directory records all pointing at one local entry (small: 10 k).
    name: "archive/zip-overlapping-entries",
    build: (dir, size) => writeChunked(join(dir, "overlap.zip"), () => zipEntryFlood(size === "full" ? 1_000_000 : 10_000, "overlapping")),
    expect: { exit: 1, names: /archive\/(entry-bomb|zip-overlapping-entries)/ },
  },
  {
    // 1 M central-directory records whose local headers lie past the end of the file (small: 10 k).
    name: "archive/zip-dangling-entries",
    build: (dir, size) => writeChunked(join(dir, "dangling.zip"), () => zipEntryFlood(size === "full" ? 1_000_000 : 10_000, "dangling")),
    expect: { exit: 1, names: /archive\/(entry-bomb|malformed)/ },
  },
  {
    // 1 M empty files listed by a plain 7z header (small: 1 k): listed as printed, capped, no member held whole.
    name: "archive/7z-empty-files",
    async build(dir, size) {
      const path = join(dir, "empties.7z");
      writeFileSync(path, sevenZipEmptyFiles(size === "full" ? 1_000_000 : 1_000));
      return path;
    },
    expect: { exit: 1, smallExit: 0, names: size7zNamed },
  },
];
