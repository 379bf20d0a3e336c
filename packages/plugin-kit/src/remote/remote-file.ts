import { ModelwardError, baseName, extensionOf, type ModelFile } from "@modelward/core";

/**
 * Fetches bytes `[start, end)` of a remote object (an HTTP Range request, a
 * ranged GetObject). Must return exactly `end - start` bytes, or throw: a
 * short answer would make an analyzer judge bytes that are not the file's.
 */
export type RangeFetcher = (start: number, end: number, signal: AbortSignal) => Promise<Uint8Array>;

/** A remote object to read through a block cache. */
export interface RemoteFileOptions {
  /** Root-relative path shown in reports. */
  path: string;
  /** Size from the listing. Reads are clamped to it. */
  size: number;
  /** Version of the object that is read (ETag, version id, blob oid), reported with the file. */
  revision?: string;
  /** Fetches a span. */
  fetchRange: RangeFetcher;
  /** Aborts in-flight fetches (the engine's scan signal). */
  signal?: AbortSignal;
  /** Bytes per cached block (default 16 KiB: a header read costs little more than itself). */
  blockSize?: number;
  /** Blocks kept per file (default 256: 4 MiB at the default block size), least recently used evicted. */
  maxBlocks?: number;
  /** Bytes per request when streaming (default 1 MiB). */
  streamChunk?: number;
}

/** A remote object as a ModelFile that counts the bytes that crossed the wire. */
export interface RemoteFile extends ModelFile {
  /** Bytes fetched so far, cache hits excluded. */
  readonly bytesTransferred: number;
  /** Requests issued so far. */
  readonly requests: number;
}

const DEFAULT_BLOCK = 16 * 1024;
const DEFAULT_MAX_BLOCKS = 256;
const DEFAULT_STREAM_CHUNK = 1024 * 1024;

/**
 * A remote object read through one per-file block cache shared by every
 * analyzer of the file: reads are rounded out to blocks, runs of missing
 * blocks are fetched in one request, concurrent readers of a block share its
 * fetch, and the least recently used blocks are dropped past `maxBlocks`
 * (memory per file is bounded, whatever the analyzers ask). A read wider than
 * the cache goes straight to the server uncached. Streams (hashing) fetch
 * sequential chunks without caching them.
 */
export function remoteFile(o: RemoteFileOptions): RemoteFile {
  const block = o.blockSize ?? DEFAULT_BLOCK;
  const maxBlocks = o.maxBlocks ?? DEFAULT_MAX_BLOCKS;
  const streamChunk = o.streamChunk ?? DEFAULT_STREAM_CHUNK;
  const size = o.size;
  const signal = o.signal ?? new AbortController().signal;
  const name = baseName(o.path);
  // Insertion order is recency: a hit is deleted and re-inserted.
  const cache = new Map<number, Promise<Uint8Array>>();
  let transferred = 0;
  let requests = 0;

  const fetchSpan = async (start: number, end: number): Promise<Uint8Array> => {
    if (signal.aborted) throw new ModelwardError("MW_SOURCE_FAILED", "the scan was cancelled");
    requests++;
    const bytes = await o.fetchRange(start, end, signal);
    transferred += bytes.length;
    if (bytes.length !== end - start)
      throw new ModelwardError("MW_SOURCE_FAILED", `the server returned ${bytes.length} bytes for a ${end - start}-byte range at ${start}`);
    return bytes;
  };

  const remember = (index: number, value: Promise<Uint8Array>) => {
    cache.set(index, value);
    // A failed fetch is not cached: the next read retries it.
    value.catch(() => cache.get(index) === value && cache.delete(index));
    while (cache.size > maxBlocks) cache.delete(cache.keys().next().value as number);
  };

  const blockEnd = (index: number) => Math.min(size, (index + 1) * block);

  // Fetches blocks [first, last] that are not cached, one request per run of missing blocks.
  const ensure = (first: number, last: number): Promise<Uint8Array>[] => {
    const out: Promise<Uint8Array>[] = [];
    let index = first;
    while (index <= last) {
      const hit = cache.get(index);
      if (hit) {
        cache.delete(index);
        cache.set(index, hit);
        out.push(hit);
        index++;
        continue;
      }
      let runEnd = index;
      while (runEnd + 1 <= last && !cache.has(runEnd + 1)) runEnd++;
      const runStart = index * block;
      const run = fetchSpan(runStart, blockEnd(runEnd));
      for (let i = index; i <= runEnd; i++) {
        const from = i * block - runStart;
        const part = run.then((bytes) => bytes.subarray(from, from + (blockEnd(i) - i * block)));
        remember(i, part);
        out.push(part);
      }
      index = runEnd + 1;
    }
    return out;
  };

  return {
    path: o.path,
    members: [],
    name,
    extension: extensionOf(name),
    size,
    depth: 0,
    ...(o.revision !== undefined ? { revision: o.revision } : {}),
    get bytesTransferred() {
      return transferred;
    },
    get requests() {
      return requests;
    },
    async read(start, end) {
      const s = Math.max(0, Math.min(size, Math.floor(start)));
      const e = Math.max(s, Math.min(size, Math.floor(end)));
      if (e === s) return new Uint8Array(0);
      const first = Math.floor(s / block);
      const last = Math.floor((e - 1) / block);
      // Wider than half the cache: caching it would evict everything else for bytes read once.
      if (last - first + 1 > maxBlocks / 2) return fetchSpan(s, e);
      const parts = await Promise.all(ensure(first, last));
      const out = new Uint8Array(e - s);
      let at = 0;
      parts.forEach((part, k) => {
        const blockStart = (first + k) * block;
        const from = Math.max(s, blockStart) - blockStart;
        const to = Math.min(e, blockStart + part.length) - blockStart;
        out.set(part.subarray(from, to), at);
        at += to - from;
      });
      return out;
    },
    async *stream(start = 0, end = size) {
      const s = Math.max(0, Math.min(size, Math.floor(start)));
      const e = Math.max(s, Math.min(size, Math.floor(end)));
      for (let at = s; at < e; at += streamChunk) yield await fetchSpan(at, Math.min(e, at + streamChunk));
    },
    async close() {
      cache.clear();
    },
  };
}
