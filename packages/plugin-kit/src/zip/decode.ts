import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { crc32 } from "./crc32.js";

/**
 * How much encoded input a decoder has consumed so far, updated as it
 * produces output: what a running compression-ratio check divides by.
 * Decoders may count input they pulled but not yet decoded (an
 * over-estimate, so the ratio is never overstated).
 */
export interface DecodeMeter {
  /** Encoded bytes consumed (or pulled) so far. */
  consumed: number;
}

/**
 * Turns a stream of encoded bytes into a stream of decoded bytes. Consumers
 * stop iterating when they have enough; the decoder must then stop work
 * (no output is produced that nobody asked for). When a `meter` is given,
 * the decoder keeps its `consumed` current before yielding each chunk.
 */
export type DecodeFn = (encoded: AsyncIterable<Uint8Array>, meter?: DecodeMeter) => AsyncIterable<Uint8Array>;

// zlib output chunk: large enough to amortise stream overhead, small enough that
// stopping at a budget wastes little work.
const ZLIB_CHUNK = 64 * 1024;

/**
 * `encoded` with every chunk counted into `meter` as it is pulled, and cut
 * into pieces of at most `piece` bytes, so a decoder that pulls on demand is
 * never more than one piece ahead of what it decoded.
 */
export async function* meteredInput(encoded: AsyncIterable<Uint8Array>, meter: DecodeMeter | undefined, piece = 64 * 1024): AsyncIterable<Uint8Array> {
  for await (const chunk of encoded) {
    for (let at = 0; at < chunk.length; at += piece) {
      const part = chunk.length <= piece ? chunk : chunk.subarray(at, Math.min(chunk.length, at + piece));
      if (meter) meter.consumed += part.length;
      yield part;
    }
  }
}

function zlibDecoder(create: () => Transform & { bytesWritten: number }): DecodeFn {
  return (encoded, meter) => {
    const transform = create();
    // pipeline forwards source errors to the transform and tears both down when the
    // consumer stops iterating early; the callback only swallows the teardown error.
    pipeline(Readable.from(encoded, { objectMode: false }), transform, () => undefined);
    if (!meter) return transform as AsyncIterable<Uint8Array>;
    // node:zlib's bytesWritten counts the input the engine actually consumed (updated
    // before each output chunk is pushed), so the ratio is exact, not input-buffer-late.
    return (async function* () {
      for await (const chunk of transform as AsyncIterable<Uint8Array>) {
        meter.consumed = transform.bytesWritten;
        yield chunk;
      }
    })();
  };
}

/** Raw deflate (ZIP method 8), streamed through node:zlib. */
export const inflateRaw: DecodeFn = zlibDecoder(() => createInflateRaw({ chunkSize: ZLIB_CHUNK }));
const zlibGunzip: DecodeFn = zlibDecoder(() => createGunzip({ chunkSize: ZLIB_CHUNK }));

/** The reserved FLG bits (5–7) of a gzip header (RFC 1952 §2.3.1), or 0 when `head` is no gzip header. */
export function gzipReservedFlags(head: Uint8Array): number {
  return head.length >= 4 && head[0] === 0x1f && head[1] === 0x8b ? head[3]! & 0xe0 : 0;
}

// Python's gzip module (gzip.open, joblib) ignores the reserved FLG bits of a member header, while zlib
// refuses the stream ("unknown header flags set"): they are cleared in the first header before zlib reads
// it. A later member with them set still fails in zlib, and is then reported corrupt, never passed.
async function* clearReservedGzipFlags(encoded: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let first = true;
  for await (const chunk of encoded) {
    if (first && chunk.length >= 4 && gzipReservedFlags(chunk) !== 0) {
      const copy = chunk.slice();
      copy[3]! &= 0x1f;
      yield copy;
    } else yield chunk;
    if (chunk.length >= 4) first = false;
  }
}

/** gzip, concatenated members included (RFC 1952), streamed through node:zlib; reserved header bits ignored as Python does. */
export const gunzip: DecodeFn = (encoded, meter) => zlibGunzip(clearReservedGzipFlags(encoded), meter);
/** zlib-wrapped deflate (RFC 1950), streamed through node:zlib. */
export const inflateZlib: DecodeFn = zlibDecoder(() => createInflate({ chunkSize: ZLIB_CHUNK }));

/** Options of {@link decodeBounded}. */
export interface DecodeBoundedOptions {
  /** Stop (with `overflow`) once more than this many bytes were produced. */
  maxOutput: number;
  /** Keep the output in memory when it stays within this many bytes (0: keep nothing). */
  keepUpTo: number;
  /** Abort between chunks when fired. */
  signal?: AbortSignal;
  /**
   * Stop (with `overflow` and reason `ratio`) as soon as the output exceeds
   * this many times the encoded bytes consumed so far, once past `ratioFloor`
   * bytes of output. A bomb is caught in its first megabytes instead of
   * after `maxOutput` bytes were produced.
   */
  maxRatio?: number;
  /** Output below this is never a ratio overflow: tiny data compresses at any ratio (default 1 MiB). */
  ratioFloor?: number;
}

/** Why decoding stopped early: the output cap or the running compression ratio. */
export type DecodeOverflow = "size" | "ratio";

/** What one bounded decoding pass produced. */
export interface DecodeResult {
  /** Bytes produced, at most `maxOutput` (the overflowing chunk is not counted past it). */
  length: number;
  /** The output (cut at `maxOutput` on overflow), when it fitted in `keepUpTo`. */
  bytes: Uint8Array | undefined;
  /** More than `maxOutput` bytes would have been produced, or the ratio limit was passed: decoding was stopped. */
  overflow: boolean;
  /** Which limit stopped decoding, when `overflow`. */
  overflowReason: DecodeOverflow | undefined;
  /** Encoded bytes consumed when decoding ended. */
  consumed: number;
  /** Decoding failed (corrupt or truncated input): the message. */
  error: string | undefined;
  /** CRC-32 of the first `length` bytes. */
  crc32: number;
}

/**
 * Decode `encoded` once, never producing more than `maxOutput` bytes: stop at
 * the first chunk that crosses it. Never throws on bad data (the error is
 * returned); rethrows only an abort.
 */
export async function decodeBounded(encoded: AsyncIterable<Uint8Array>, decode: DecodeFn, options: DecodeBoundedOptions): Promise<DecodeResult> {
  const kept: Uint8Array[] = [];
  let length = 0;
  let crc = 0;
  let overflow = false;
  let overflowReason: DecodeOverflow | undefined;
  let error: string | undefined;
  let keeping = options.keepUpTo > 0;
  const meter: DecodeMeter = { consumed: 0 };
  const floor = options.ratioFloor ?? 1024 * 1024;
  try {
    for await (const chunk of decode(encoded, meter)) {
      options.signal?.throwIfAborted();
      const room = options.maxOutput - length;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      crc = crc32(part, crc);
      length += part.length;
      if (keeping) {
        if (length <= options.keepUpTo) kept.push(part);
        else {
          keeping = false;
          kept.length = 0;
        }
      }
      if (chunk.length > room) {
        overflow = true;
        overflowReason = "size";
        break;
      }
      if (options.maxRatio !== undefined && length > floor && length > options.maxRatio * Math.max(1, meter.consumed)) {
        overflow = true;
        overflowReason = "ratio";
        break;
      }
    }
  } catch (e) {
    if (options.signal?.aborted) throw e;
    error = e instanceof Error ? e.message : String(e);
  }
  let bytes: Uint8Array | undefined;
  if (keeping) {
    bytes = new Uint8Array(length);
    let at = 0;
    for (const part of kept) {
      bytes.set(part, at);
      at += part.length;
    }
  }
  return { length, bytes, overflow, overflowReason, consumed: meter.consumed, error, crc32: crc };
}
