import { unescapeJsonString } from "./json-string.js";

/** A JSON syntax error or a structural limit, with the byte offset where it was seen. */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    /** Absolute byte offset in the input. */
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "JsonStreamError";
  }
}

/** What a bounded string read returned. */
export interface BoundedString {
  /** The decoded text (a prefix when `truncated`). */
  text: string;
  /** Bytes of the raw (still escaped) string in the input. */
  rawBytes: number;
  /** True when the string was longer than the bound: only its prefix was kept. */
  truncated: boolean;
}

/** Counters a caller can assert memory and I/O behaviour with. */
export interface JsonStreamStats {
  /** Bytes consumed from the input. */
  bytesRead: number;
  /** Bytes of values passed over with `skipValue` without being materialised. */
  bytesSkipped: number;
  /** Largest number of raw string bytes held at once while reading one string. */
  peakStringBytes: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * A pull reader over a JSON document that arrives as chunks (a file's
 * `stream()`): the caller walks the structure it expects (`beginObject`,
 * `nextKey`, `nextElement`, `readString`) and passes over what it does not
 * want with `skipValue`, which never materialises the value. Memory held is
 * one chunk plus the strings the caller asks for, each bounded by the caller.
 *
 * Strings are decoded leniently, as Python's `json` would accept them with
 * `strict=False` (raw control characters allowed); everything else is strict.
 */
export class JsonStream {
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  /** Absolute offset of `chunk[0]`. */
  private base = 0;
  private ended = false;
  private readonly it: AsyncIterator<Uint8Array>;
  readonly stats: JsonStreamStats = { bytesRead: 0, bytesSkipped: 0, peakStringBytes: 0 };

  constructor(
    chunks: AsyncIterable<Uint8Array>,
    private readonly maxDepth = 128,
  ) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Make at least one byte available; false at the end of input. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.it.next();
      if (next.done) {
        this.ended = true;
        this.base += this.chunk.length;
        this.chunk = EMPTY;
        this.pos = 0;
        return false;
      }
      this.base += this.chunk.length;
      this.chunk = next.value;
      this.pos = 0;
      this.stats.bytesRead += next.value.length;
    }
    return true;
  }

  /** Next non-whitespace byte without consuming it, or -1 at the end of input. */
  async peek(): Promise<number> {
    for (;;) {
      if (!(await this.fill())) return -1;
      const c = this.chunk;
      while (this.pos < c.length) {
        const b = c[this.pos]!;
        if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
        this.pos++;
      }
    }
  }

  private async expect(byte: number, what: string): Promise<void> {
    const b = await this.peek();
    if (b !== byte) throw this.error(`expected ${what}, found ${describe(b)}`);
    this.pos++;
  }

  /** An error at the current offset (for callers that find a structural problem). */
  error(message: string): JsonStreamError {
    return new JsonStreamError(message, this.offset);
  }

  /** Consume `{`. */
  async beginObject(): Promise<void> {
    await this.expect(0x7b, "'{'");
  }

  /**
   * The next key of the object being read (consuming the key and its `:`), or
   * null when the object closes (consuming the `}`). `first` must be true for
   * the first call after `beginObject`. Keys longer than `maxKeyBytes` are an error.
   */
  async nextKey(first: boolean, maxKeyBytes = 4096): Promise<string | null> {
    let b = await this.peek();
    if (b === 0x7d) {
      this.pos++;
      return null;
    }
    if (!first) {
      if (b !== 0x2c) throw this.error(`expected ',' or '}', found ${describe(b)}`);
      this.pos++;
      b = await this.peek();
    }
    if (b !== QUOTE) throw this.error(`expected a key, found ${describe(b)}`);
    const key = await this.readString(maxKeyBytes);
    if (key.truncated) throw this.error(`object key longer than ${maxKeyBytes} bytes`);
    await this.expect(0x3a, "':'");
    return key.text;
  }

  /** Consume `[`. */
  async beginArray(): Promise<void> {
    await this.expect(0x5b, "'['");
  }

  /**
   * True when another element follows (consuming a `,` between elements),
   * false when the array closes (consuming the `]`). `first` as for `nextKey`.
   */
  async nextElement(first: boolean): Promise<boolean> {
    const b = await this.peek();
    if (b === 0x5d) {
      this.pos++;
      return false;
    }
    if (first) return true;
    if (b !== 0x2c) throw this.error(`expected ',' or ']', found ${describe(b)}`);
    this.pos++;
    return true;
  }

  /**
   * Read a string value, keeping at most `maxBytes` raw bytes of it; the rest
   * is passed over without being held.
   */
  async readString(maxBytes: number): Promise<BoundedString> {
    await this.expect(QUOTE, "a string");
    const parts: Uint8Array[] = [];
    let kept = 0;
    let total = 0;
    let escapeNext = false;
    for (;;) {
      if (!(await this.fill())) throw this.error("unterminated string");
      const c = this.chunk;
      const start = this.pos;
      let i = start;
      if (escapeNext) {
        i++;
        escapeNext = false;
      }
      let end = -1;
      for (;;) {
        const q = c.indexOf(QUOTE, i);
        if (q < 0) {
          if (trailingBackslashes(c, i, c.length) % 2 === 1) escapeNext = true;
          break;
        }
        if (trailingBackslashes(c, i, q) % 2 === 0) {
          end = q;
          break;
        }
        i = q + 1;
      }
      const stop = end < 0 ? c.length : end;
      const span = stop - start;
      total += span;
      if (kept < maxBytes) {
        const take = Math.min(span, maxBytes - kept);
        parts.push(c.slice(start, start + take));
        kept += take;
        if (kept > this.stats.peakStringBytes) this.stats.peakStringBytes = kept;
      }
      if (end >= 0) {
        this.pos = end + 1;
        break;
      }
      this.pos = c.length;
    }
    const raw = concat(parts, kept);
    const truncated = total > kept;
    return { text: unescapeJsonString(decodeRaw(raw)), rawBytes: total, truncated };
  }

  /** Read a number, `true`, `false` or `null` (bounded to 64 bytes). */
  async readScalar(): Promise<number | boolean | null> {
    const b = await this.peek();
    let word = "";
    for (;;) {
      if (!(await this.fill())) break;
      const x = this.chunk[this.pos]!;
      if (!isScalarByte(x)) break;
      word += String.fromCharCode(x);
      this.pos++;
      if (word.length > 64) throw this.error("scalar longer than 64 bytes");
    }
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(word)) return Number(word);
    // Python's json also accepts NaN / Infinity / -Infinity, which Jupyter writes for float outputs.
    if (word === "NaN") return Number.NaN;
    if (word === "Infinity") return Number.POSITIVE_INFINITY;
    if (word === "-Infinity") return Number.NEGATIVE_INFINITY;
    throw new JsonStreamError(`invalid value ${JSON.stringify(word || String.fromCharCode(b))}`, this.offset - word.length);
  }

  /** A scalar when the next value is one; otherwise the value is skipped and undefined returned. */
  async readScalarOrSkip(): Promise<number | boolean | null | undefined> {
    const b = await this.peek();
    if (b === QUOTE || b === 0x7b || b === 0x5b) {
      await this.skipValue();
      return undefined;
    }
    return this.readScalar();
  }

  /** Pass over the next value, whatever its size, holding none of it. */
  async skipValue(): Promise<void> {
    const from = this.offset;
    await this.skipInner(0);
    this.stats.bytesSkipped += this.offset - from;
  }

  private async skipInner(depth: number): Promise<void> {
    if (depth > this.maxDepth) throw this.error(`nesting deeper than ${this.maxDepth}`);
    const b = await this.peek();
    if (b === QUOTE) {
      await this.readString(0);
    } else if (b === 0x7b) {
      await this.beginObject();
      for (let first = true; (await this.nextKey(first)) !== null; first = false) await this.skipInner(depth + 1);
    } else if (b === 0x5b) {
      await this.beginArray();
      for (let first = true; await this.nextElement(first); first = false) await this.skipInner(depth + 1);
    } else {
      await this.readScalar();
    }
  }

  /**
   * Read any value as plain JS data, keeping at most `budget.bytes` raw bytes
   * of strings in total (longer strings are cut, later ones emptied) and
   * recording whether anything was cut in `budget.truncated`.
   */
  async readValue(budget: { bytes: number; truncated: boolean }, depth = 0): Promise<unknown> {
    if (depth > this.maxDepth) throw this.error(`nesting deeper than ${this.maxDepth}`);
    const b = await this.peek();
    if (b === QUOTE) {
      const s = await this.readString(Math.max(0, budget.bytes));
      budget.bytes -= s.rawBytes;
      if (s.truncated) budget.truncated = true;
      return s.text;
    }
    if (b === 0x7b) {
      await this.beginObject();
      const out: Record<string, unknown> = {};
      for (let first = true; ; first = false) {
        const key = await this.nextKey(first);
        if (key === null) break;
        budget.bytes -= key.length;
        const v = await this.readValue(budget, depth + 1);
        if (budget.bytes > 0) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else budget.truncated = true;
      }
      return out;
    }
    if (b === 0x5b) {
      await this.beginArray();
      const out: unknown[] = [];
      for (let first = true; await this.nextElement(first); first = false) {
        const v = await this.readValue(budget, depth + 1);
        if (budget.bytes > 0) out.push(v);
        else budget.truncated = true;
      }
      return out;
    }
    budget.bytes -= 8;
    return this.readScalar();
  }

  /** True when only whitespace remains. */
  async atEnd(): Promise<boolean> {
    return (await this.peek()) === -1;
  }
}

function trailingBackslashes(c: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = to - 1; k >= from && c[k] === BACKSLASH; k--) n++;
  return n;
}

function isScalarByte(x: number): boolean {
  return (x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a) || x === 0x2d || x === 0x2b || x === 0x2e;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** UTF-8 decode of raw string bytes (a cut prefix may end in a partial escape, which unescaping drops). */
function decodeRaw(raw: Uint8Array): string {
  return decoder.decode(raw);
}

function describe(b: number): string {
  return b < 0 ? "end of input" : JSON.stringify(String.fromCharCode(b));
}
