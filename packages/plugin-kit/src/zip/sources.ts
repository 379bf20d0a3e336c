import type { ByteSource } from "@modelward/core";
import { LimitExceededError } from "../bounds.js";
import { crc32 } from "./crc32.js";
import type { DecodeFn } from "./decode.js";

/** A {@link ByteSource} over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(start, end) {
      const s = Math.max(0, Math.min(start, bytes.length));
      return bytes.slice(s, Math.max(s, Math.min(end, bytes.length)));
    },
    async *stream(start = 0, end = bytes.length) {
      // Chunked so a consumer that stops early is not handed one huge view.
      const chunk = 1024 * 1024;
      for (let at = Math.max(0, start); at < Math.min(end, bytes.length); at += chunk) yield bytes.subarray(at, Math.min(at + chunk, end, bytes.length));
    },
  };
}

/**
 * A window `[offset, offset + length)` of a parent source, without copying:
 * reads and streams are translated to the parent (e.g. a stored ZIP entry).
 */
export function windowSource(parent: ByteSource, offset: number, length: number): ByteSource {
  const size = Math.max(0, Math.min(length, parent.size - offset));
  const clamp = (v: number) => Math.max(0, Math.min(v, size));
  return {
    size,
    read: (start, end) => parent.read(offset + clamp(start), offset + Math.max(clamp(start), clamp(end))),
    stream: (start = 0, end = size) => parent.stream(offset + clamp(start), offset + Math.max(clamp(start), clamp(end))),
  };
}

/** A {@link windowSource} that computes the CRC-32 of whatever its consumers read, in order, from its start. */
export interface CrcTrackingWindow {
  /** The window; reads and streams go to the parent unchanged. */
  source: ByteSource;
  /** Bytes from the start whose CRC is known (the contiguous prefix consumers read). */
  readonly covered: number;
  /** CRC-32 of the first `covered` bytes. */
  readonly crc: number;
  /** Read whatever the consumers left unread (at most `maxExtra` bytes) and return the CRC of the whole window, or undefined when more is left. */
  complete(maxExtra: number): Promise<number | undefined>;
}

/**
 * A window onto a parent source that checks its CRC for free: bytes that
 * consumers read anyway (sniffing, a pickle analyzer streaming the member)
 * extend a contiguous prefix whose CRC-32 is kept; `complete` reads only the
 * rest, when small. So a stored ZIP member is verified without extra I/O in
 * the common case and never by reading a large tensor.
 */
export function crcTrackingWindow(parent: ByteSource, offset: number, length: number): CrcTrackingWindow {
  const inner = windowSource(parent, offset, length);
  let covered = 0;
  let crc = 0;
  const feed = (start: number, bytes: Uint8Array) => {
    if (start <= covered && start + bytes.length > covered) {
      crc = crc32(bytes.subarray(covered - start), crc);
      covered = start + bytes.length;
    }
  };
  const source: ByteSource = {
    size: inner.size,
    async read(start, end) {
      const bytes = await inner.read(start, end);
      feed(Math.max(0, start), bytes);
      return bytes;
    },
    async *stream(start = 0, end = inner.size) {
      let at = Math.max(0, start);
      for await (const chunk of inner.stream(start, end)) {
        feed(at, chunk);
        at += chunk.length;
        yield chunk;
      }
    },
  };
  return {
    source,
    get covered() {
      return covered;
    },
    get crc() {
      return crc;
    },
    async complete(maxExtra) {
      if (inner.size - covered > maxExtra) return undefined;
      // Read in chunks so completing never needs one large buffer.
      for await (const _ of source.stream(covered, inner.size)) void _;
      return covered === inner.size ? crc : undefined;
    },
  };
}

/** Options of {@link decodedSource}. */
export interface DecodedSourceOptions {
  /** Fresh encoded bytes for each decoding pass. */
  encoded: () => AsyncIterable<Uint8Array>;
  /** The decoder. */
  decode: DecodeFn;
  /** Size of the decoded data (declared or measured); output past it is never produced. */
  size: number;
  /** Largest span one `read` may return (the engine's maxReadBytes). */
  maxReadBytes: number;
  /** Decoded blocks kept for reads that go back (default 64 MiB). */
  cacheBytes?: number;
}

// Decoded data is addressed in blocks of this size: large enough that a block costs
// little bookkeeping, small enough that the cache holds many regions (heads of members).
const BLOCK = 1024 * 1024;
// Enough for the regions readers go back to (member heads, headers) in a large stream.
const DEFAULT_CACHE = 64 * 1024 * 1024;

/**
 * Decoded data too large to keep in memory, read like a file: one decoder
 * moves forward through the stream, blocks that reads asked for are kept in
 * an LRU cache (64 MiB by default), and only a read of an evicted block
 * before the decoder's position restarts decoding from the start. Sequential
 * and mostly-forward access (tar headers, member heads then bodies) costs one
 * decoding pass; memory stays at the cache plus one block.
 */
export function decodedSource(options: DecodedSourceOptions): ByteSource {
  const { size, maxReadBytes } = options;
  const cacheLimit = Math.max(BLOCK, options.cacheBytes ?? DEFAULT_CACHE);
  const cache = new Map<number, Uint8Array>();
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let nextBlock = 0;
  let carry: Uint8Array | undefined;
  let exhausted = false;
  let lock: Promise<unknown> = Promise.resolve();

  const restart = async () => {
    await iterator?.return?.();
    iterator = options.decode(options.encoded())[Symbol.asyncIterator]();
    nextBlock = 0;
    carry = undefined;
    exhausted = false;
  };
  // Pull the next block from the decoder; copy it only when it is wanted.
  const pull = async (keep: boolean): Promise<Uint8Array> => {
    const limit = Math.min(BLOCK, size - nextBlock * BLOCK);
    const out = keep ? new Uint8Array(Math.max(0, limit)) : undefined;
    let filled = 0;
    while (filled < limit && !exhausted) {
      let chunk = carry;
      carry = undefined;
      if (!chunk) {
        const r = await iterator!.next();
        if (r.done) {
          exhausted = true;
          break;
        }
        chunk = r.value;
      }
      const take = Math.min(chunk.length, limit - filled);
      out?.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take < chunk.length) carry = chunk.subarray(take);
    }
    nextBlock++;
    return out ? out.subarray(0, filled) : new Uint8Array(0);
  };
  const block = async (index: number): Promise<Uint8Array> => {
    const hit = cache.get(index);
    if (hit) {
      cache.delete(index);
      cache.set(index, hit);
      return hit;
    }
    if (!iterator || index < nextBlock) await restart();
    while (nextBlock < index && !exhausted) await pull(false);
    if (exhausted) return new Uint8Array(0);
    const bytes = await pull(true);
    cache.set(index, bytes);
    while (cache.size * BLOCK > cacheLimit) cache.delete(cache.keys().next().value!);
    return bytes;
  };
  const readSpan = async (s: number, e: number): Promise<Uint8Array> => {
    const out = new Uint8Array(e - s);
    let filled = 0;
    for (let b = Math.floor(s / BLOCK); b * BLOCK < e; b++) {
      const bytes = await block(b);
      const from = Math.max(s, b * BLOCK) - b * BLOCK;
      const to = Math.min(e, b * BLOCK + bytes.length) - b * BLOCK;
      if (to <= from) break;
      out.set(bytes.subarray(from, to), b * BLOCK + from - s);
      filled = b * BLOCK + to - s;
      if (bytes.length < BLOCK) break;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  };
  // One reader at a time: the decoder's position is shared state.
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = lock.then(task, task);
    lock = run.catch(() => undefined);
    return run;
  };
  return {
    size,
    read(start, end) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e - s > maxReadBytes) return Promise.reject(new LimitExceededError("read span", e - s, maxReadBytes));
      return serialized(() => readSpan(s, e));
    },
    async *stream(start = 0, end = size) {
      const e = Math.min(end, size);
      for (let at = Math.max(0, start); at < e; ) {
        const bytes = await serialized(() => readSpan(at, Math.min(e, at + BLOCK - (at % BLOCK))));
        if (bytes.length === 0) return;
        at += bytes.length;
        yield bytes;
      }
    },
  };
}
