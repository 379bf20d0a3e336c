import type { DecodeFn } from "../zip/decode.js";

// A bzip2 block holds at most 900 kB of (RLE1-encoded) input, and its Huffman coding never
// makes it much larger: this much buffered input always holds a whole block.
const LOOKAHEAD = 4 * 1024 * 1024;
// A block yields at most ~46 MB (maximal RLE runs); output is handed on in pieces of this size.
const OUTPUT_PIECE = 64 * 1024;

/** Thrown when a bzip2 block needs more input than the decoder buffers (never in a valid stream). */
export class Bzip2BlockTooLargeError extends Error {
  constructor() {
    super(`bzip2 block longer than ${LOOKAHEAD} compressed bytes (not a valid stream)`);
    this.name = "Bzip2BlockTooLargeError";
  }
}

interface BunzipInternals {
  _init_block(): boolean;
  _read_bunzip(): void;
  _start_bunzip(input: unknown, output: unknown): void;
  reader: { read(bits: number): number };
  streamCRC: number;
}

/**
 * bzip2 via seek-bzip 2.0.0 (its block-level methods, the ones its own
 * `decode` loop calls), streamed: seek-bzip reads synchronously, so before
 * each block the decoder buffers up to 4 MiB of input ahead (more than any
 * block needs) and drops what was consumed. Memory stays at that window plus
 * one block's output, whatever the file size. Concatenated streams (pbzip2,
 * `cat a.bz2 b.bz2`) are decoded like bzip2 does; each stream's CRC is checked.
 */
export const bunzip2: DecodeFn = async function* (encoded, meter) {
  const source = encoded[Symbol.asyncIterator]();
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  let base = 0;
  let ended = false;
  const fill = async () => {
    if (ended || buf.length - pos >= LOOKAHEAD) return;
    const parts: Uint8Array[] = [buf.subarray(pos)];
    let have = buf.length - pos;
    while (have < LOOKAHEAD) {
      const r = await source.next();
      if (r.done) {
        ended = true;
        break;
      }
      parts.push(r.value);
      have += r.value.length;
    }
    base += pos;
    buf = parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts));
    pos = 0;
  };
  const inputStream = {
    readByte: () => {
      if (pos < buf.length) return buf[pos++]!;
      if (!ended) throw new Bzip2BlockTooLargeError();
      return -1;
    },
    read(out: Uint8Array, off: number, len: number): number {
      let n = 0;
      while (n < len && pos < buf.length) out[off + n++] = buf[pos++]!;
      return n === 0 && len > 0 ? -1 : n;
    },
    eof: () => pos >= buf.length && ended,
  };
  let pending: Uint8Array[] = [];
  let current = new Uint8Array(OUTPUT_PIECE);
  let filled = 0;
  const outputStream = {
    writeByte(b: number) {
      current[filled++] = b;
      if (filled === current.length) {
        pending.push(current);
        current = new Uint8Array(OUTPUT_PIECE);
        filled = 0;
      }
    },
  };
  const flush = () => {
    const out = pending;
    if (filled > 0) {
      out.push(current.slice(0, filled));
      filled = 0;
    }
    pending = [];
    return out;
  };
  try {
    await fill();
    const { default: Bunzip } = await import("seek-bzip");
    const Ctor = Bunzip as unknown as new (input: unknown, output: unknown) => BunzipInternals;
    const bz = new Ctor(inputStream, outputStream);
    for (;;) {
      await fill();
      if (bz._init_block()) {
        bz._read_bunzip();
        if (meter) meter.consumed = base + pos;
        yield* flush();
        continue;
      }
      const streamCrc = bz.reader.read(32) >>> 0;
      if (streamCrc !== bz.streamCRC >>> 0) throw new Error(`bzip2 stream CRC mismatch (0x${streamCrc.toString(16)})`);
      await fill();
      if (inputStream.eof()) break;
      bz._start_bunzip(inputStream, outputStream);
    }
    if (meter) meter.consumed = base + pos;
    yield* flush();
  } finally {
    await source.return?.();
  }
};
