import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Hostile archive and compressed-stream inputs (issue 18): each case writes
 * its input under `dir` and returns the path to scan. `small` sizes run in CI,
 * `full` sizes are the `pnpm bench` family (targets: < 30 s, < 300 MB peak
 * RSS, a report written, exit 1). Inputs are harmless: no payload executes
 * anything, and a scanner never loads them anyway.
 */
export interface HostileArchiveCase {
  /** Stable name, `<family>: <what>`. */
  name: string;
  /** Writes the input (sparse or streamed where large) and resolves to the path to scan. */
  build(dir: string, size: "small" | "full"): Promise<string>;
  /** What the scan must show. */
  expect: {
    /** The CLI's exit code. */
    exitCode: number;
    /** Rule ids at least one of which the report must contain. */
    anyRule: readonly string[];
    /** Whether the report must list the file as incomplete. */
    incomplete: boolean;
  };
}

const MiB = 1024 * 1024;

/** Writes `chunks` (produced lazily) to `path`, honouring back-pressure. */
async function writeChunks(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

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

/** The archive family of the hostile-input suite. */
export const archiveHostileCases: readonly HostileArchiveCase[] = [
  {
    name: "archive: gzip bomb (10 GB of zeros; small: 256 MiB)",
    async build(dir, size) {
      const path = join(dir, "zeros.bin.gz");
      await writeChunks(path, gzipZeros(size === "full" ? 10 * 1024 * MiB : 256 * MiB));
      return path;
    },
    expect: { exitCode: 1, anyRule: ["archive/decompression-bomb"], incomplete: true },
  },
  {
    name: "archive: pickle.gz bomb (1 GB BINBYTES8 of zeros; small: 128 MiB)",
    async build(dir, size) {
      const path = join(dir, "model.pkl.gz");
      const n = size === "full" ? 1024 * MiB : 128 * MiB;
      await writeChunks(path, gzipZeros(n, binbytes8Header(n), new Uint8Array([0x2e])));
      return path;
    },
    expect: { exitCode: 1, anyRule: ["archive/decompression-bomb", "pickle/decompression-bomb"], incomplete: true },
  },
];
