import { gunzip, meteredInput, type DecodeFn } from "@modelward/plugin-kit";

// The bzip2 and xz codecs are imported on first use: most scans meet neither, and
// loading them (xz-decompress carries a WASM build) would cost every start-up.

/** A single-stream compression wrapper this package decodes. */
export type WrapperKind = "gzip" | "bzip2" | "xz";

// A bzip2 block yields at most ~46 MB (900k BWT bytes with maximal RLE runs); output
// is handed on per block, so memory stays around one block.
const BZIP2_CHUNK = 64 * 1024;

/** Thrown by {@link bzip2} when the compressed input exceeds what it may hold in memory. */
export class InputTooLargeError extends Error {
  constructor(
    /** The most compressed bytes the decoder may hold. */
    readonly limit: number,
  ) {
    super(`compressed input larger than ${limit} bytes`);
    this.name = "InputTooLargeError";
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
 * bzip2 via seek-bzip, which decodes from an in-memory buffer: the compressed
 * input (at most `maxInput` bytes) is collected first, then decoded block by
 * block so the consumer can stop early. Uses seek-bzip 2.0.0's block-level
 * methods (the ones its own `decode` loop calls).
 */
export function bzip2(maxInput: number): DecodeFn {
  return async function* (encoded, meter) {
    const parts: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of encoded) {
      total += chunk.length;
      if (total > maxInput) throw new InputTooLargeError(maxInput);
      parts.push(chunk);
    }
    const input = Buffer.concat(parts);
    let pos = 0;
    const inputStream = { readByte: () => (pos < input.length ? input[pos++]! : -1), read(buf: Uint8Array, off: number, len: number) {
      let n = 0;
      while (n < len && pos < input.length) buf[off + n++] = input[pos++]!;
      return n === 0 && len > 0 ? -1 : n;
    }, eof: () => pos >= input.length, seek: (p: number) => void (pos = p) };
    let pending: Uint8Array[] = [];
    let current = new Uint8Array(BZIP2_CHUNK);
    let fill = 0;
    const outputStream = {
      writeByte(b: number) {
        current[fill++] = b;
        if (fill === current.length) {
          pending.push(current);
          current = new Uint8Array(BZIP2_CHUNK);
          fill = 0;
        }
      },
    };
    const flush = () => {
      const out = pending;
      if (fill > 0) {
        out.push(current.slice(0, fill));
        fill = 0;
      }
      pending = [];
      return out;
    };
    const { default: Bunzip } = await import("seek-bzip");
    const Ctor = Bunzip as unknown as new (input: unknown, output: unknown) => BunzipInternals;
    const bz = new Ctor(inputStream, outputStream);
    for (;;) {
      if (bz._init_block()) {
        bz._read_bunzip();
        if (meter) meter.consumed = pos;
        yield* flush();
        continue;
      }
      const streamCrc = bz.reader.read(32) >>> 0;
      if (streamCrc !== bz.streamCRC >>> 0) throw new Error(`bzip2 stream CRC mismatch (0x${streamCrc.toString(16)})`);
      // Concatenated streams (pbzip2, `cat a.bz2 b.bz2`) are decoded like bzip2 does.
      if (inputStream.eof()) break;
      bz._start_bunzip(inputStream, outputStream);
    }
    yield* flush();
  };
}

const XZ_PIECE = 16 * 1024;

/** xz via xz-decompress (xz-embedded in WASM), streamed; cancelled when the consumer stops. */
export const xz: DecodeFn = async function* (encoded, meter) {
  const { default: xzDecompress } = await import("xz-decompress");
  // Small pieces pulled only on demand (highWaterMark 0): the decoder is never more than one
  // piece ahead of its output, so a running ratio over the pulled bytes stays close to the truth.
  const iterator = meteredInput(encoded, meter, XZ_PIECE)[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });
  const reader = new xzDecompress.XzReadableStream(input).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
};

/** The decoder for a wrapper kind. */
export function decoderFor(kind: WrapperKind, maxInput: number): DecodeFn {
  return kind === "gzip" ? gunzip : kind === "bzip2" ? bzip2(maxInput) : xz;
}
