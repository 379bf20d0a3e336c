import type { ByteSource } from "@modelward/core";
import { HIGHEST_PROTOCOL, Op, opcodeName } from "./opcodes.js";
import type { PickleRunResult, PickleStream } from "./result.js";
import type { PickleRunOptions } from "./run-options.js";
import type { PickleValue } from "./values.js";
import { Fault, LimitStop } from "./vm-core.js";
import { VmOps } from "./vm-ops.js";

/** Result of one stream. */
type StreamEnd = { status: "stop" | "eof" } | { status: "error"; fault: Fault; firstOpcode: boolean } | { status: "limit" };

/**
 * Executes pickle opcode streams symbolically, as CPython's C unpickler would
 * (`Modules/_pickle.c`), recording every global it would resolve and every
 * call it would make. Nothing is imported or called. See {@link runPickle}.
 */
class PickleVm extends VmOps {
  /** What the last STOP returned, until its nesting is checked. */
  private lastResult: PickleValue | undefined;

  /** Runs every stream from `start`. */
  async run(): Promise<PickleRunResult> {
    let at = this.base;
    let resynced = false;
    const multi = this.o.multiStream ?? true;
    try {
      while (at < this.end) {
        if (this.r.streams.length >= this.limits.maxStreams) throw new LimitStop("maxStreams", this.limits.maxStreams, at);
        const previousComplete = this.r.streams.length > 0 && this.r.streams[this.r.streams.length - 1]!.complete;
        this.seek(at);
        const outcome = await this.runStream(resynced);
        at = this.pos;
        if (outcome.status === "stop") {
          resynced = false;
          if (!multi) break;
          continue;
        }
        if (outcome.status === "eof") break;
        if (outcome.status === "error") {
          const f = outcome.fault;
          const trailing = outcome.firstOpcode && previousComplete && f.kind === "invalid-opcode";
          this.error(trailing ? "trailing-data" : f.kind, trailing ? `data after the end of the previous pickle: ${f.message}` : f.message, f.offset);
          if (this.o.resync === false) break;
          const next = await this.resync(f.offset + 1);
          if (next < 0) break;
          at = next;
          resynced = true;
        }
      }
    } catch (e) {
      if (!(e instanceof LimitStop)) throw e;
      this.r.limitsHit.push({ limit: e.limit, max: e.max, offset: e.offset });
      this.r.unanalysedBytes = Math.max(0, this.end - Math.max(e.offset, this.r.end));
    }
    this.r.bytesRead = this.fetchedBefore + this.reader.bytesFetched;
    return this.r;
  }

  // Scans forward from `from` for something that starts a pickle stream: PROTO 2–5,
  // a protocol-0 GLOBAL line, or a SHORT_BINUNICODE name (a stream without PROTO).
  protected async resync(from: number): Promise<number> {
    const stop = Math.min(this.end, from + this.limits.maxResyncBytes);
    this.seek(from);
    while (this.pos < stop) {
      if (this.buf.length - this.i < 300 && this.pos + (this.buf.length - this.i) < this.end) await this.fill(1024 * 1024);
      const b = this.buf;
      const lim = Math.min(b.length, this.i + (stop - this.pos));
      // Nothing left to scan although the span has not ended: stop rather than spin.
      if (lim <= this.i) break;
      for (let k = this.i; k < lim; k++) {
        const c = b[k]!;
        if (c === Op.PROTO && k + 2 < b.length && b[k + 1]! >= 2 && b[k + 1]! <= HIGHEST_PROTOCOL && opcodeName(b[k + 2]!) !== undefined) return this.base + k;
        if (c === Op.GLOBAL && looksLikeGlobalLine(b, k + 1)) return this.base + k;
        if ((c === Op.SHORT_BINUNICODE || c === Op.SHORT_BINSTRING) && k + 2 < b.length && looksLikeName(b, k + 1, 1)) return this.base + k;
        if ((c === Op.BINUNICODE || c === Op.BINSTRING) && k + 5 < b.length && looksLikeName(b, k + 1, 4)) return this.base + k;
      }
      this.i = lim;
      if (lim >= b.length && this.pos >= this.end) break;
    }
    this.r.end = Math.max(this.r.end, this.pos);
    if (this.pos < this.end) {
      this.r.limitsHit.push({ limit: "maxResyncBytes", max: this.limits.maxResyncBytes, offset: this.pos });
      this.r.unanalysedBytes = this.end - this.pos;
    }
    return -1;
  }

  protected resetStream(): void {
    this.stack = [];
    this.marks = [];
    this.fence = 0;
    this.memo = new Map();
    this.proto = 0;
    this.frameEnd = -1;
    this.pendingReads = [];
  }

  protected async runStream(resynced: boolean): Promise<StreamEnd> {
    this.resetStream();
    const stream: PickleStream = { start: this.pos, end: this.pos, protocol: 0, complete: false, opcodes: 0, resynced };
    this.streamIndex = this.r.streams.length;
    this.r.streams.push(stream);
    const outcome = await this.loop(stream);
    stream.end = this.pos;
    this.checkNesting(this.lastResult, this.pos);
    this.lastResult = undefined;
    this.r.end = Math.max(this.r.end, this.pos);
    this.r.expansion.bytes += stream.end - stream.start;
    if (outcome.status === "eof" && stream.opcodes === 0) this.r.streams.pop();
    return outcome;
  }

  protected async loop(stream: PickleStream): Promise<StreamEnd> {
    const lim = this.limits;
    let opStart = this.pos;
    try {
      for (;;) {
        if (this.buf.length - this.i < 16) {
          if (this.pos >= this.end) {
            if (stream.opcodes === 0) return { status: "eof" };
            throw new Fault("truncated", "pickle data was truncated (no STOP)", this.pos);
          }
          await this.fill(16);
        }
        opStart = this.base + this.i;
        const op = this.buf[this.i++]!;
        if (++this.r.opcodes > lim.maxOpcodes) throw new LimitStop("maxOpcodes", lim.maxOpcodes, opStart);
        stream.opcodes++;
        if ((this.r.opcodes & 0xffff) === 0 && this.o.signal?.aborted) throw new LimitStop("signal", 0, opStart);
        if (op === Op.STOP) {
          this.lastResult = this.pop(opStart);
          stream.complete = true;
          return { status: "stop" };
        }
        if (!this.stepSync(op, opStart)) await this.step(op, opStart);
        if (this.stack.length > lim.maxStack) throw new LimitStop("maxStack", lim.maxStack, opStart);
        if (this.frameEnd >= 0) await this.checkFrame(opStart);
        if (this.frameEnd < 0 && this.pendingReads.length > 0) await this.applyReads(opStart);
      }
    } catch (e) {
      if (e instanceof Fault) return { status: "error", fault: e, firstOpcode: stream.opcodes <= 1 };
      if (e instanceof LimitStop) throw e;
      return { status: "error", fault: new Fault("bad-argument", String(e), opStart), firstOpcode: stream.opcodes <= 1 };
    }
  }

  protected async checkFrame(opStart: number): Promise<void> {
    const p = this.pos;
    if (p < this.frameEnd) return;
    if (p > this.frameEnd && opStart < this.frameEnd) this.r.frameViolations++;
    this.frameEnd = -1;
  }

  // What a loader reads straight from the file after the current frame (joblib arrays, in order):
  // raw bytes to skip, or a whole pickle `pickle.load(file)` runs (object arrays).
  protected async applyReads(opStart: number): Promise<void> {
    const reads = this.pendingReads;
    this.pendingReads = [];
    for (const read of reads) {
      if ("nested" in read) {
        await this.runNested();
        continue;
      }
      if (read.padded) {
        if (this.buf.length - this.i < 1 && (this.pos >= this.end || (await this.fill(1)) < 1)) throw new Fault("truncated", "array alignment padding runs past the end", opStart);
        const pad = this.buf[this.i++]!;
        this.skipRaw(pad, opStart);
      }
      this.skipRaw(read.skip, opStart);
    }
  }

  // joblib object arrays: `pickle.load(file)` runs a whole stream at the loader's file position.
  protected async runNested(): Promise<void> {
    const saved = { stack: this.stack, marks: this.marks, fence: this.fence, memo: this.memo, proto: this.proto, index: this.streamIndex };
    this.outer.push(saved);
    const outcome = await this.runStream(false).finally(() => this.outer.pop());
    if (outcome.status === "error") this.error(outcome.fault.kind, `nested pickle: ${outcome.fault.message}`, outcome.fault.offset);
    this.stack = saved.stack;
    this.marks = saved.marks;
    this.fence = saved.fence;
    this.memo = saved.memo;
    this.proto = saved.proto;
    this.streamIndex = saved.index;
    this.frameEnd = -1;
    if (outcome.status === "error") throw new Fault("bad-argument", "nested pickle failed", this.pos);
  }

}

const isIdent = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isIdentOrDot = (c: number): boolean => isIdent(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e;

// `c` + module + '\n' + name + '\n' with identifier characters only.
function looksLikeGlobalLine(b: Uint8Array, k: number): boolean {
  let lines = 0;
  let len = 0;
  for (let j = k; j < b.length && j < k + 256; j++) {
    const c = b[j]!;
    if (c === 0x0a) {
      if (len === 0) return false;
      if (++lines === 2) return true;
      len = 0;
      continue;
    }
    if (len === 0 ? !isIdent(c) : !isIdentOrDot(c)) return false;
    len++;
  }
  return false;
}

// A length-prefixed string opcode (length `width` bytes, little-endian) holding a short identifier
// (a module name), followed by another string opcode or a memo store: a STACK_GLOBAL in any spelling.
const AFTER_NAME = new Set<number>([Op.SHORT_BINUNICODE, Op.BINUNICODE, Op.SHORT_BINSTRING, Op.BINSTRING, Op.MEMOIZE, Op.BINPUT]);
function looksLikeName(b: Uint8Array, k: number, width: 1 | 4): boolean {
  const n = b[k]!;
  if (width === 4 && (b[k + 1] !== 0 || b[k + 2] !== 0 || b[k + 3] !== 0)) return false;
  const at = k + width;
  if (n < 1 || n > 64 || at + n >= b.length) return false;
  if (!isIdent(b[at]!)) return false;
  for (let j = at; j < at + n; j++) if (!isIdentOrDot(b[j]!)) return false;
  return AFTER_NAME.has(b[at + n]!);
}

/**
 * Runs the pickle VM over `source` from `options.start`: every stream
 * (concatenated pickles, and streams found past broken bytes), recording the
 * globals the C unpickler would resolve, the calls it would make (rendered as
 * Python-like expressions with offsets), where and why it would fail, limits
 * hit and expansion counters. Never imports or executes anything, never
 * throws on bad input, and reads large str/bytes arguments only as a prefix.
 */
export async function runPickle(source: ByteSource, options: PickleRunOptions = {}): Promise<PickleRunResult> {
  return new PickleVm(source, options).run();
}
