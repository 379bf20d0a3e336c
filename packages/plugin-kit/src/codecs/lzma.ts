import { meteredInput, type DecodeFn } from "../zip/decode.js";

/*
 * A bounded, streaming decoder of LZMA1 in the "LZMA alone" container
 * (`.lzma`, Python's `lzma.FORMAT_ALONE`, what joblib writes for
 * `compress=('lzma', n)`), after the reference decoder of the LZMA SDK
 * (DOC/lzma-specification.txt, LzmaSpec.cpp, public domain). xz-embedded
 * (our .xz decoder) reads only LZMA2 inside .xz, and an LZMA1 stream cannot be
 * rewrapped as LZMA2 without decoding it, hence this decoder.
 *
 * Bounds: the sliding window grows with the output up to the dictionary size
 * the header declares, and never past MAX_WINDOW (a stream whose matches reach
 * further is refused, not guessed); the literal tables are at most
 * 0x300 << 12 entries (lc + lp ≤ 12 by the header's encoding). Input is pulled
 * on demand and output is yielded in OUT_CHUNK pieces, so a consumer that
 * stops early stops the work.
 */

/** Largest window held in memory (xz's preset 9 dictionary is 64 MiB). */
export const LZMA_MAX_WINDOW = 64 * 1024 * 1024;
// Yield decoded bytes in pieces of this size.
const OUT_CHUNK = 64 * 1024;
// One LZMA symbol reads at most ~60 input bytes (each bit decode normalises once).
const SYMBOL_INPUT = 64;
const INPUT_PIECE = 16 * 1024;

/** Bytes of the LZMA-alone header: properties, dictionary size, uncompressed size. */
export const LZMA_ALONE_HEADER = 13;

/** The LZMA-alone header's fields. */
export interface LzmaAloneHeader {
  lc: number;
  lp: number;
  pb: number;
  dictSize: number;
  /** Uncompressed size, or undefined when unknown (all ones: the stream ends with an end marker). */
  unpackSize: bigint | undefined;
}

/** Parses the 13-byte header, or says why it is not one. */
export function parseLzmaAloneHeader(h: Uint8Array): LzmaAloneHeader | string {
  if (h.length < LZMA_ALONE_HEADER) return "truncated LZMA header";
  let d = h[0]!;
  if (d >= 9 * 5 * 5) return `bad LZMA properties byte ${d}`;
  const lc = d % 9;
  d = Math.floor(d / 9);
  const lp = d % 5;
  const pb = Math.floor(d / 5);
  const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const dictSize = Math.max(dv.getUint32(1, true), 1 << 12);
  const size = dv.getBigUint64(5, true);
  return { lc, lp, pb, dictSize, unpackSize: size === 0xffff_ffff_ffff_ffffn ? undefined : size };
}

/** A stream the decoder refuses (corrupt, truncated, or needing more window than allowed). */
export class LzmaDataError extends Error {}

const probs = (n: number) => new Uint16Array(n).fill(1024);

/**
 * The sliding window: grows with the output until `max`, then wraps. Bytes
 * written since the last take are handed out by `take`; a wrap first queues
 * them in `pending` (so `put` never needs to yield).
 */
class Window {
  buf: Uint8Array;
  pos = 0;
  total = 0;
  flushed = 0;
  readonly pending: Uint8Array[] = [];
  private wrapped = false;
  constructor(private readonly max: number) {
    this.buf = new Uint8Array(Math.min(max, 1 << 16));
  }
  /** The byte `dist` positions back (1 = the last one). */
  get(dist: number): number {
    const i = this.pos - dist;
    return this.buf[i < 0 ? i + this.buf.length : i]!;
  }
  /** Whether a match `dist` back is inside what was written and what the window holds. */
  reaches(dist: number): boolean {
    return dist <= this.total && dist <= this.buf.length;
  }
  put(b: number): void {
    if (this.pos === this.buf.length) {
      if (!this.wrapped && this.buf.length < this.max) {
        const next = new Uint8Array(Math.min(this.max, this.buf.length * 2));
        next.set(this.buf);
        this.buf = next;
      } else {
        this.pending.push(this.take());
        this.wrapped = true;
        this.pos = 0;
        this.flushed = 0;
      }
    }
    this.buf[this.pos++] = b;
    this.total++;
  }
  /** The bytes written since the last take (a copy: the window is overwritten later). */
  take(): Uint8Array {
    const out = this.buf.slice(this.flushed, this.pos);
    this.flushed = this.pos;
    return out;
  }
}

/** Input bytes pulled on demand from an async source. */
class Input {
  private buf = new Uint8Array(0);
  private at = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}
  /** Ensures `n` bytes are buffered, or the source has ended. */
  async want(n: number): Promise<void> {
    while (!this.done && this.buf.length - this.at < n) {
      const { value, done } = await this.it.next();
      if (done) {
        this.done = true;
        break;
      }
      const merged = new Uint8Array(this.buf.length - this.at + value.length);
      merged.set(this.buf.subarray(this.at));
      merged.set(value, this.buf.length - this.at);
      this.buf = merged;
      this.at = 0;
    }
  }
  /** Buffered bytes not yet read. */
  get available(): number {
    return this.buf.length - this.at;
  }
  byte(): number {
    if (this.at >= this.buf.length) throw new LzmaDataError("LZMA stream is truncated");
    return this.buf[this.at++]!;
  }
  take(n: number): Uint8Array {
    if (this.available < n) throw new LzmaDataError("LZMA stream is truncated");
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  /** True when the source has ended (what is buffered is all there is). */
  get ended(): boolean {
    return this.done;
  }
  /** True when the source has ended and every byte was read. */
  get exhausted(): boolean {
    return this.done && this.at >= this.buf.length;
  }
}

/**
 * The range decoder of the LZMA SDK. Range and code live in a Uint32Array:
 * typed-array slots hold unsigned 32-bit values unboxed, where object fields
 * beyond the small-integer range would be boxed on every store (10x slower).
 */
class RangeDecoder {
  // [range, code]
  private readonly s = new Uint32Array(2);
  constructor(private readonly input: Input) {
    if (input.byte() !== 0) throw new LzmaDataError("LZMA range coder does not start with 0");
    const s = this.s;
    s[0] = 0xffff_ffff;
    for (let i = 0; i < 4; i++) s[1] = (s[1]! << 8) | input.byte();
    if (s[1] === s[0]) throw new LzmaDataError("LZMA range coder is corrupt");
  }
  get finishedOk(): boolean {
    return this.s[1] === 0;
  }
  bit(p: Uint16Array, i: number): number {
    const s = this.s;
    const v = p[i]!;
    const range = s[0]!;
    const code = s[1]!;
    const bound = (range >>> 11) * v;
    let b: number;
    if (code < bound) {
      p[i] = v + ((2048 - v) >>> 5);
      s[0] = bound;
      b = 0;
    } else {
      p[i] = v - (v >>> 5);
      s[1] = code - bound;
      s[0] = range - bound;
      b = 1;
    }
    if (s[0]! < 0x0100_0000) {
      s[0] = s[0]! << 8;
      s[1] = (s[1]! << 8) | this.input.byte();
    }
    return b;
  }
  direct(n: number): number {
    const s = this.s;
    let res = 0;
    for (let i = 0; i < n; i++) {
      s[0] = s[0]! >>> 1;
      let b = 0;
      if (s[1]! >= s[0]!) {
        s[1] = s[1]! - s[0]!;
        b = 1;
      }
      if (s[1] === s[0]) throw new LzmaDataError("LZMA range coder is corrupt");
      if (s[0]! < 0x0100_0000) {
        s[0] = s[0]! << 8;
        s[1] = (s[1]! << 8) | this.input.byte();
      }
      res = res * 2 + b;
    }
    return res;
  }
  tree(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) + this.bit(p, base + m);
    return m - (1 << bits);
  }
  reverse(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(p, base + m);
      m = (m << 1) + b;
      sym |= b << i;
    }
    return sym;
  }
}

/** Length coder: choice bits, then 8 low, 8 mid or 256 high lengths (per position state for low/mid). */
class LenDecoder {
  private readonly choice = probs(2);
  private readonly low = probs(16 << 3);
  private readonly mid = probs(16 << 3);
  private readonly high = probs(256);
  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.choice, 0) === 0) return rc.tree(this.low, posState << 3, 3);
    if (rc.bit(this.choice, 1) === 0) return 8 + rc.tree(this.mid, posState << 3, 3);
    return 16 + rc.tree(this.high, 0, 8);
  }
}

/**
 * Decodes an LZMA-alone stream (header included) as a stream of output
 * chunks. Throws {@link LzmaDataError} on corrupt or truncated data and when
 * a match reaches past the window this decoder holds.
 */
export const unlzma: DecodeFn = async function* (encoded, meter) {
  const iterator = meteredInput(encoded, meter, INPUT_PIECE)[Symbol.asyncIterator]();
  try {
    const input = new Input(iterator);
    for (let stream = 0; ; stream++) {
      await input.want(LZMA_ALONE_HEADER + 5);
      if (stream > 0 && input.exhausted) return;
      const header = parseLzmaAloneHeader(input.take(Math.min(LZMA_ALONE_HEADER, input.available)));
      if (typeof header === "string") {
        // Python's LZMAFile decodes stream after stream and ignores trailing bytes that do not start one.
        if (stream > 0) return;
        throw new LzmaDataError(header);
      }
      yield* decodeLzma(input, header, stream > 0);
    }
  } finally {
    await iterator.return?.();
  }
};

async function* decodeLzma(input: Input, h: LzmaAloneHeader, trailing: boolean): AsyncGenerator<Uint8Array> {
  let rc: RangeDecoder;
  try {
    rc = new RangeDecoder(input);
  } catch (e) {
    if (trailing && e instanceof LzmaDataError) return; // not a further stream: trailing bytes, ignored as Python does
    throw e;
  }
  const d = new LzmaStreamDecoder(h, rc, input);
  for (;;) {
    if (input.available < SYMBOL_INPUT) await input.want(SYMBOL_INPUT);
    const ended = d.run();
    while (d.win.pending.length > 0) yield d.win.pending.shift()!;
    if (ended) break;
    if (d.win.pos - d.win.flushed >= OUT_CHUNK) yield d.win.take();
  }
  yield d.win.take();
}

/**
 * The decoder's state between runs. `run` is synchronous (so the hot loop is
 * compiled as one function) and returns to the caller whenever output is due
 * or the buffered input may not hold another symbol.
 */
class LzmaStreamDecoder {
  readonly win: Window;
  private readonly literal: Uint16Array;
  private readonly isMatch = probs(12 << 4);
  private readonly isRep = probs(12);
  private readonly isRepG0 = probs(12);
  private readonly isRepG1 = probs(12);
  private readonly isRepG2 = probs(12);
  private readonly isRep0Long = probs(12 << 4);
  private readonly posSlot = probs(4 << 6);
  private readonly posDecoders = probs(1 + 128 - 14);
  private readonly align = probs(16);
  private readonly lenDecoder = new LenDecoder();
  private readonly repLenDecoder = new LenDecoder();
  private readonly pbMask: number;
  private readonly lpMask: number;
  /** Bytes still to produce, or -1 when the size is unknown (end marker). */
  private remaining: number;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;

  constructor(private readonly h: LzmaAloneHeader, private readonly rc: RangeDecoder, private readonly input: Input) {
    this.win = new Window(Math.min(h.dictSize, LZMA_MAX_WINDOW));
    this.literal = probs(0x300 << (h.lc + h.lp));
    this.pbMask = (1 << h.pb) - 1;
    this.lpMask = (1 << h.lp) - 1;
    // Sizes past 2^53 are not exact as numbers; such a stream is far beyond any output bound anyway.
    this.remaining = h.unpackSize === undefined ? -1 : Number(h.unpackSize);
  }

  private distance(len: number): number {
    const rc = this.rc;
    const slot = rc.tree(this.posSlot, Math.min(len, 3) << 6, 6);
    if (slot < 4) return slot;
    const bits = (slot >>> 1) - 1;
    const dist = (2 | (slot & 1)) * 2 ** bits;
    if (slot < 14) return dist + rc.reverse(this.posDecoders, dist - slot, bits);
    return dist + rc.direct(bits - 4) * 16 + rc.reverse(this.align, 0, 4);
  }

  /** Decodes until output is due, input runs low, or the stream ends (then true). */
  run(): boolean {
    const { rc, win, literal } = this;
    const lc = this.h.lc;
    const until = win.flushed + OUT_CHUNK;
    while (win.pending.length === 0 && win.pos < until && (this.input.available >= SYMBOL_INPUT || this.input.ended)) {
      if (this.remaining === 0 && rc.finishedOk) return true;
      const posState = win.total & this.pbMask;
      const state = this.state;
      if (rc.bit(this.isMatch, (state << 4) + posState) === 0) {
        if (this.remaining === 0) throw new LzmaDataError("LZMA stream has data past its declared size");
        const prev = win.total > 0 ? win.get(1) : 0;
        const base = 0x300 * (((win.total & this.lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state >= 7) {
          let matchByte = win.reaches(this.rep0 + 1) ? win.get(this.rep0 + 1) : 0;
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const b = rc.bit(literal, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(literal, base + sym);
        win.put(sym - 0x100);
        this.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        if (this.remaining > 0) this.remaining--;
        continue;
      }
      let len: number;
      if (rc.bit(this.isRep, state) !== 0) {
        if (this.remaining === 0 || win.total === 0) throw new LzmaDataError("LZMA stream is corrupt (repeat match)");
        if (rc.bit(this.isRepG0, state) === 0) {
          if (rc.bit(this.isRep0Long, (state << 4) + posState) === 0) {
            this.state = state < 7 ? 9 : 11;
            win.put(win.get(this.rep0 + 1));
            if (this.remaining > 0) this.remaining--;
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(this.isRepG1, state) === 0) dist = this.rep1;
          else {
            if (rc.bit(this.isRepG2, state) === 0) dist = this.rep2;
            else {
              dist = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = dist;
        }
        len = this.repLenDecoder.decode(rc, posState);
        this.state = state < 7 ? 8 : 11;
      } else {
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.lenDecoder.decode(rc, posState);
        this.state = state < 7 ? 7 : 10;
        this.rep0 = this.distance(len);
        if (this.rep0 === 0xffff_ffff) {
          if (!rc.finishedOk) throw new LzmaDataError("LZMA end marker with a corrupt range coder");
          return true;
        }
        if (this.remaining === 0) throw new LzmaDataError("LZMA stream has data past its declared size");
        if (this.rep0 >= this.h.dictSize || this.rep0 + 1 > win.total) throw new LzmaDataError("LZMA match reaches before the start of the data");
      }
      const dist = this.rep0 + 1;
      if (!win.reaches(dist)) throw new LzmaDataError(`LZMA match ${dist} bytes back is outside the ${LZMA_MAX_WINDOW}-byte window this decoder holds`);
      len += 2;
      const short = this.remaining >= 0 && this.remaining < len;
      if (short) len = this.remaining;
      for (let i = 0; i < len; i++) win.put(win.get(dist));
      if (this.remaining > 0) this.remaining -= len;
      if (short) throw new LzmaDataError("LZMA match runs past the declared size");
    }
    return false;
  }
}
