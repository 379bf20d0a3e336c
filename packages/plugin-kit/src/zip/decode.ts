import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { crc32 } from "./crc32.js";

/**
 * Turns a stream of encoded bytes into a stream of decoded bytes. Consumers
 * stop iterating when they have enough; the decoder must then stop work
 * (no output is produced that nobody asked for).
 */
export type DecodeFn = (encoded: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

// zlib output chunk: large enough to amortise stream overhead, small enough that
// stopping at a budget wastes little work.
const ZLIB_CHUNK = 64 * 1024;

function zlibDecoder(create: () => Transform): DecodeFn {
  return (encoded) => {
    const transform = create();
    // pipeline forwards source errors to the transform and tears both down when the
    // consumer stops iterating early; the callback only swallows the teardown error.
    pipeline(Readable.from(encoded, { objectMode: false }), transform, () => undefined);
    return transform as AsyncIterable<Uint8Array>;
  };
}

/** Raw deflate (ZIP method 8), streamed through node:zlib. */
export const inflateRaw: DecodeFn = zlibDecoder(() => createInflateRaw({ chunkSize: ZLIB_CHUNK }));
/** gzip, concatenated members included (RFC 1952), streamed through node:zlib. */
export const gunzip: DecodeFn = zlibDecoder(() => createGunzip({ chunkSize: ZLIB_CHUNK }));
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
}

/** What one bounded decoding pass produced. */
export interface DecodeResult {
  /** Bytes produced, at most `maxOutput` (the overflowing chunk is not counted past it). */
  length: number;
  /** The output (cut at `maxOutput` on overflow), when it fitted in `keepUpTo`. */
  bytes: Uint8Array | undefined;
  /** More than `maxOutput` bytes would have been produced: decoding was stopped. */
  overflow: boolean;
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
  let error: string | undefined;
  let keeping = options.keepUpTo > 0;
  try {
    for await (const chunk of decode(encoded)) {
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
  return { length, bytes, overflow, error, crc32: crc };
}
