import type { ByteSource } from "@modelward/core";
import { LimitExceededError, TruncatedError } from "./bounds.js";

/** Options of a {@link ChunkedReader}. */
export interface ChunkedReaderOptions {
  /** First byte to read (default 0). */
  start?: number;
  /** End of the readable span, exclusive (default: the source size). */
  end?: number;
  /** Bytes fetched per refill (default 1 MiB): large enough to amortise a positioned read. */
  chunkSize?: number;
  /** Most bytes one `read` may return (default 64 MiB); a larger request throws LimitExceededError. */
  maxRead?: number;
}

/**
 * Sequential reading over a random-access {@link ByteSource}, a chunk at a
 * time, with a synchronous fast path: after `await ensure(n)`, `n` bytes can
 * be taken with the `*Sync` methods. `skip` moves past data (tensor bytes,
 * arrays) without reading it, so a parser touches only the bytes it needs.
 */
export class ChunkedReader {
  private buf = new Uint8Array(0);
  private bufStart: number;
  /** Absolute offset of the next byte. */
  position: number;
  /** End of the readable span, exclusive. */
  readonly end: number;
  /** Bytes fetched from the source so far. */
  bytesFetched = 0;
  private readonly chunkSize: number;
  private readonly maxRead: number;

  constructor(
    private readonly source: ByteSource,
    options: ChunkedReaderOptions = {},
  ) {
    this.position = options.start ?? 0;
    this.bufStart = this.position;
    this.end = Math.min(options.end ?? source.size, source.size);
    this.chunkSize = options.chunkSize ?? 1024 * 1024;
    this.maxRead = options.maxRead ?? 64 * 1024 * 1024;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return Math.max(0, this.end - this.position);
  }

  /** Bytes buffered from `position` on. */
  get available(): number {
    return this.bufStart + this.buf.length - this.position;
  }

  /**
   * Make `n` bytes available for the sync methods. Resolves false when fewer
   * than `n` bytes remain before `end` (then everything left is buffered).
   */
  async ensure(n: number): Promise<boolean> {
    if (n > this.maxRead) throw new LimitExceededError("read length", n, this.maxRead);
    if (this.available >= n) return true;
    const want = Math.min(this.end, this.position + Math.max(n, this.chunkSize));
    const keepFrom = this.position - this.bufStart;
    const kept = keepFrom < this.buf.length ? this.buf.subarray(keepFrom) : new Uint8Array(0);
    const fetchFrom = this.position + kept.length;
    if (want > fetchFrom) {
      const fresh = await this.source.read(fetchFrom, want);
      this.bytesFetched += fresh.length;
      const merged = new Uint8Array(kept.length + fresh.length);
      merged.set(kept, 0);
      merged.set(fresh, kept.length);
      this.buf = merged;
    } else {
      this.buf = kept;
    }
    this.bufStart = this.position;
    return this.available >= n;
  }

  /** Next byte without consuming it; requires `available >= 1`. */
  peekByteSync(): number {
    const i = this.position - this.bufStart;
    if (i >= this.buf.length) throw new TruncatedError("byte", this.position);
    return this.buf[i]!;
  }

  /** Consume one byte; requires `available >= 1`. */
  readByteSync(): number {
    const b = this.peekByteSync();
    this.position++;
    return b;
  }

  /** Consume `n` bytes as a view into the buffer; requires `available >= n`. */
  readSync(n: number): Uint8Array {
    if (this.available < n) throw new TruncatedError(`${n} bytes`, this.position);
    const i = this.position - this.bufStart;
    this.position += n;
    return this.buf.subarray(i, i + n);
  }

  /** Consume `n` bytes; throws TruncatedError when the span ends first. */
  async read(n: number): Promise<Uint8Array> {
    if (!(await this.ensure(n))) throw new TruncatedError(`${n} bytes`, this.position);
    return this.readSync(n);
  }

  /**
   * Consume bytes up to and including `delimiter`, returning them without it,
   * or null when `maxLength` bytes pass (or the span ends) without one.
   */
  async readUntil(delimiter: number, maxLength: number): Promise<Uint8Array | null> {
    let scanned = 0;
    for (;;) {
      const i = this.position - this.bufStart;
      const stop = Math.min(this.buf.length, i + maxLength + 1);
      const at = this.buf.subarray(i, stop).indexOf(delimiter, scanned);
      if (at >= 0) {
        const line = this.buf.subarray(i, i + at);
        this.position += at + 1;
        return line;
      }
      scanned = stop - i;
      if (scanned > maxLength || this.position + scanned >= this.end) return null;
      await this.ensure(Math.min(scanned + this.chunkSize, maxLength + 1, this.maxRead));
    }
  }

  /** Move `n` bytes forward without reading them. Returns false when that passes `end`. */
  skip(n: number): boolean {
    if (n < 0 || this.position + n > this.end) {
      this.position = this.end;
      return false;
    }
    this.position += n;
    return true;
  }
}
