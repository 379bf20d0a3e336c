import type { ByteSource } from "@modelward/core";
import { ChunkedReader } from "@modelward/plugin-kit";
import { mapPython2Name } from "./compat.js";
import { sniffEmbedded } from "./embedded.js";
import { DEFAULT_PICKLE_LIMITS, type PickleLimits } from "./limits.js";
import { render } from "./render.js";
import type { PickleErrorKind, PickleRunResult } from "./result.js";
import type { PickleRunOptions } from "./run-options.js";
import { decodeUtf8Lenient } from "./text-args.js";
import { forEachChild, isNode, nestedDeeperThan, type PickleNode } from "./object-graph.js";
import { HEAD_BYTES, isKind, weightOf, type CallKind, type PCall, type PGlobal, type PickleObject, type PickleValue } from "./values.js";

/** A point where the real unpickler raises; ends the stream. */
export class Fault {
  constructor(
    readonly kind: PickleErrorKind,
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** A VM limit was reached; ends the run. */
export class LimitStop {
  constructor(
    /** `source-changed`: the source returned fewer bytes than its size promised (the file shrank while read). */
    readonly limit: keyof PickleLimits | "signal" | "source-changed",
    readonly max: number,
    readonly offset: number,
  ) {}
}

// str values up to this many UTF-8 bytes are kept as JS strings; longer ones as a prefix + span.
export const KEEP_STRING = 4096;
const LONG_STRING_PREFIX = 256;
// LONG1/LONG4 payloads longer than this are not decoded (the value never matters for safety).
export const MAX_LONG_DECODE = 64;
export const EMPTY = new Uint8Array(0);

// Callables that unpickle their argument: the argument is a nested pickle worth scanning.
const LOADERS = new Set([
  "pickle.loads", "_pickle.loads", "pickle._loads", "dill.loads", "dill._dill.loads", "cloudpickle.loads",
  "cloudpickle.cloudpickle.loads", "joblib.numpy_pickle.load", "numpy.loads", "torch.loads",
  // torch.load(io.BytesIO(b)): what torch writes for a CPU tensor pickled with plain pickle.
  "torch.storage._load_from_bytes",
]);
// Callables that turn their (str) argument into the bytes handed to a loader.
const DECODERS: Record<string, "latin1" | "base64" | "hex"> = {
  "_codecs.encode": "latin1", "codecs.encode": "latin1", "base64.b64decode": "base64", "base64.decodebytes": "base64",
  "binascii.a2b_base64": "base64", "binascii.unhexlify": "hex", "binascii.a2b_hex": "hex", "builtins.bytes.fromhex": "hex",
};

/**
 * State, input and records of the pickle VM: the buffered reader over the
 * source, the stack/mark/memo primitives with `_pickle.c`'s underflow rules,
 * argument readers, and how globals, calls and embedded pickles are recorded.
 * Opcode semantics live in {@link VmOps}, stream handling in `PickleVm`.
 */
export abstract class VmCore {
  protected readonly limits: PickleLimits;
  protected readonly end: number;
  protected reader: ChunkedReader;
  protected readerFloor: number;
  protected fetchedBefore = 0;
  protected buf: Uint8Array = EMPTY;
  protected base: number;
  protected i = 0;
  protected readonly r: PickleRunResult;
  // Per-stream state.
  protected stack: PickleValue[] = [];
  protected marks: number[] = [];
  protected fence = 0;
  protected memo = new Map<number, PickleValue>();
  protected proto = 0;
  protected frameEnd = -1;
  /** What the loader reads from the file after the current frame, in order (joblib arrays, several per frame). */
  protected pendingReads: ({ skip: number; padded: boolean } | { nested: true })[] = [];
  protected streamIndex = 0;
  /** Stacks and memos of the streams a nested joblib pickle interrupted: still alive. */
  protected outer: { stack: PickleValue[]; memo: Map<number, PickleValue> }[] = [];
  // Objects pushed since the last census, and how many more may be pushed before the next one.
  private pushedObjects = 0;
  private censusNumber = 0;
  private nextCensus: number;

  constructor(
    protected readonly source: ByteSource,
    protected readonly o: PickleRunOptions,
  ) {
    this.limits = { ...DEFAULT_PICKLE_LIMITS, ...o.limits };
    const start = Math.max(0, o.start ?? 0);
    this.end = Math.min(o.end ?? source.size, source.size);
    this.base = start;
    this.readerFloor = start;
    this.reader = this.newReader(start);
    this.nextCensus = this.limits.maxObjects;
    this.r = {
      streams: [], globals: [], calls: [], errors: [], droppedErrors: 0, droppedRecords: 0, limitsHit: [],
      expansion: { puts: 0, gets: 0, dups: 0, maxWeight: 0, bytes: 0 }, opcodes: 0, frameViolations: 0,
      extensions: [], persistentIds: 0, outOfBandBuffers: 0, bytesRead: 0, bytesSkipped: 0, end: start,
      unanalysedBytes: 0, embedded: [],
    };
  }

  protected newReader(start: number): ChunkedReader {
    const chunkSize = this.o.chunkSize ?? 1024 * 1024;
    return new ChunkedReader(this.source, {
      start, end: this.end, chunkSize,
      maxRead: Math.max(this.limits.keepBytes, this.limits.maxLineBytes) + chunkSize + 16,
    });
  }

  protected get pos(): number {
    return this.base + this.i;
  }

  // Makes at least `n` bytes from `pos` available in `buf` (fewer only at the end of the span).
  protected async fill(n: number): Promise<number> {
    const at = this.pos;
    if (at < this.readerFloor) {
      this.fetchedBefore += this.reader.bytesFetched;
      this.reader = this.newReader(at);
    }
    this.reader.position = at;
    this.readerFloor = at;
    const want = Math.max(0, Math.min(n, this.end - at));
    await this.reader.ensure(want);
    this.buf = this.reader.readSync(this.reader.available);
    this.base = at;
    this.i = 0;
    // Fewer bytes than the size promised: the file shrank while read. Stop rather than spin on an empty buffer.
    if (this.buf.length < want) throw new LimitStop("source-changed", this.end, at + this.buf.length);
    return this.buf.length;
  }

  protected seek(to: number): void {
    if (to >= this.base && to <= this.base + this.buf.length) this.i = to - this.base;
    else {
      this.base = to;
      this.buf = EMPTY;
      this.i = 0;
    }
  }

  protected error(kind: PickleErrorKind, message: string, offset: number): void {
    if (this.r.errors.length >= this.limits.maxErrors) this.r.droppedErrors++;
    else this.r.errors.push({ kind, message, offset, stream: this.streamIndex });
  }

  protected skipRaw(n: number, opStart: number): void {
    if (n > this.end - this.pos) throw new Fault("truncated", `raw data of ${n} bytes runs past the end`, opStart);
    const inBuf = this.buf.length - this.i;
    if (n > inBuf) this.r.bytesSkipped += n - inBuf;
    this.seek(this.pos + n);
  }

  // ---- stack primitives (Pdata_pop / marker semantics) ----

  protected push(v: PickleValue): void {
    this.stack.push(v);
    if (typeof v === "object" && v !== null && ++this.pushedObjects >= this.nextCensus) this.census(this.pos);
  }

  /**
   * Counts the objects alive (reachable from the stacks, memos and call
   * records) and stops the run past `maxObjects`. Run after as many pushes as
   * the budget has room for (at least a quarter of it), so the count is
   * never far behind and the cost stays linear in the opcodes.
   */
  protected census(at: number): void {
    const max = this.limits.maxObjects;
    const epoch = ++this.censusNumber;
    let count = 0;
    const todo: PickleNode[] = [];
    // Containers and calls are counted (leaves hang off them, at most KEEP_ITEMS each), once per census.
    const visit = (v: PickleValue | undefined): void => {
      if (!isNode(v) || v.mark === epoch) return;
      v.mark = epoch;
      count++;
      todo.push(v);
    };
    const roots = [{ stack: this.stack, memo: this.memo }, ...this.outer];
    for (const { stack, memo } of roots) {
      for (const v of stack) visit(v);
      for (const v of memo.values()) visit(v);
    }
    for (const c of this.r.calls) {
      for (const a of c.args) visit(a);
      visit(c.target);
      visit(c.kwargs);
    }
    while (todo.length > 0) {
      if (count > max) throw new LimitStop("maxObjects", max, at);
      forEachChild(todo.pop()!, visit);
    }
    if (count > max) throw new LimitStop("maxObjects", max, at);
    this.pushedObjects = 0;
    this.nextCensus = Math.max(max - count, max >> 3, 1);
  }

  /**
   * Stops the run when the objects a stream built (its result, stack and memo)
   * nest deeper than `maxNesting`: no pickler writes that (CPython's recurses
   * once per level and stops near 1,000), and every consumer that walks the
   * result recursively fails on it. Linear in the stream's objects.
   */
  protected checkNesting(result: PickleValue | undefined, at: number): void {
    const max = this.limits.maxNesting;
    if (nestedDeeperThan([result, ...this.stack, ...this.memo.values()], max)) throw new LimitStop("maxNesting", max, at);
  }

  protected pop(at: number): PickleValue {
    if (this.stack.length <= this.fence) throw new Fault("stack-underflow", "unpickling stack underflow", at);
    return this.stack.pop()!;
  }

  protected top(at: number): PickleValue {
    if (this.stack.length <= this.fence) throw new Fault("stack-underflow", "unpickling stack underflow", at);
    return this.stack[this.stack.length - 1]!;
  }

  protected marker(at: number): number {
    if (this.marks.length === 0) throw new Fault("stack-underflow", "could not find MARK", at);
    const k = this.marks.pop()!;
    this.fence = this.marks.length ? this.marks[this.marks.length - 1]! : 0;
    return k;
  }

  protected popMark(at: number): PickleValue[] {
    const k = this.marker(at);
    return this.stack.splice(k);
  }

  // ---- argument readers ----

  protected need(n: number, at: number): void {
    if (this.buf.length - this.i < n) throw new Fault("truncated", "pickle data was truncated", at);
  }

  protected u32(): number {
    const b = this.buf, i = this.i;
    this.i += 4;
    return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + b[i + 3]! * 0x1000000;
  }

  // 64-bit little-endian size: checked in BigInt against what is left of the span.
  protected size8(at: number, what: string): number {
    this.need(8, at);
    const lo = this.u32();
    const hi = this.u32();
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    if (v > BigInt(this.end - this.pos)) throw new Fault("truncated", `${what} of ${v} bytes runs past the end of the data`, at);
    return Number(v);
  }

  protected async line(at: number): Promise<Uint8Array> {
    const max = this.limits.maxLineBytes;
    for (;;) {
      const nl = this.buf.indexOf(0x0a, this.i);
      if (nl >= 0 && nl - this.i <= max) {
        const s = this.buf.subarray(this.i, nl);
        this.i = nl + 1;
        return s;
      }
      const have = this.buf.length - this.i;
      if (have > max) throw new LimitStop("maxLineBytes", max, at);
      if (this.pos + have >= this.end) throw new Fault("truncated", "pickle data was truncated (line without newline)", at);
      await this.fill(Math.min(max + 1, have + 1024 * 1024));
    }
  }

  // Reads `n` bytes fully (n ≤ keepBytes): a view valid until the next fill.
  protected async take(n: number, at: number): Promise<Uint8Array> {
    if (n > this.end - this.pos) throw new Fault("truncated", "pickle data was truncated", at);
    if (this.buf.length - this.i < n) await this.fill(n);
    const v = this.buf.subarray(this.i, this.i + n);
    this.i += n;
    return v;
  }

  protected async bytesValue(n: number, at: number, type: "bytes" | "bytearray"): Promise<PickleValue> {
    if (n > this.end - this.pos) throw new Fault("truncated", "pickle data was truncated", at);
    const offset = this.pos;
    const h = Math.min(n, HEAD_BYTES);
    if (this.buf.length - this.i < h) await this.fill(h);
    const head = this.buf.slice(this.i, this.i + h);
    this.skipRaw(n, at);
    const enc = sniffEmbedded(head, n, false);
    if (enc) this.embed({ offset, length: n, encoding: enc, isStr: false });
    return { kind: "bytes", type, offset, length: n, head, weight: 1 };
  }

  protected async strValue(n: number, at: number): Promise<PickleValue> {
    if (n > this.end - this.pos) throw new Fault("truncated", "pickle data was truncated", at);
    const offset = this.pos;
    if (n <= KEEP_STRING) {
      const s = decodeUtf8Lenient(await this.take(n, at));
      if (n >= 8) {
        const enc = sniffEmbedded(codes(s), n, true);
        if (enc) this.embed({ offset, length: n, encoding: enc, isStr: true, text: s });
      }
      return s;
    }
    const h = Math.min(n, LONG_STRING_PREFIX);
    if (this.buf.length - this.i < h) await this.fill(h);
    const prefix = decodeUtf8Lenient(this.buf.subarray(this.i, this.i + h));
    this.skipRaw(n, at);
    const enc = sniffEmbedded(codes(prefix), n, true);
    if (enc) this.embed({ offset, length: n, encoding: enc, isStr: true });
    return { kind: "longstr", offset, byteLength: n, prefix, weight: 1 };
  }

  protected embed(e: PickleRunResult["embedded"][number]): void {
    if (this.r.embedded.length < this.limits.maxRecords) this.r.embedded.push(e);
    else this.r.droppedRecords++;
  }

  // ---- records ----

  protected global(module: string, name: string, opcode: "GLOBAL" | "STACK_GLOBAL" | "INST", at: number, resolved: boolean): PGlobal {
    let m = module, n = name;
    if (resolved && this.proto < 3) [m, n] = mapPython2Name(module, name);
    const index = this.r.globals.length;
    if (index < this.limits.maxRecords) {
      this.r.globals.push({ module: m, name: n, ...(m !== module ? { writtenModule: module } : {}), opcode, offset: at, stream: this.streamIndex, resolved });
    } else this.r.droppedRecords++;
    return { kind: "global", module: m, name: n, offset: at, index, weight: 1 };
  }

  protected call(kind: CallKind, callee: PickleValue, args: PickleValue[], at: number, kwargs?: PickleValue, method?: string): PCall {
    let weight = 1;
    for (const a of args) weight += weightOf(a);
    const c: PCall = {
      kind: "call", callKind: kind, callee, args, offset: at, index: this.r.calls.length, weight, mark: 0,
      ...(kwargs !== undefined ? { kwargs } : {}), ...(method !== undefined ? { method } : {}),
    };
    if (this.r.calls.length < this.limits.maxRecords) {
      // A method call on a class or module object is a call of its attribute, not of the global itself.
      const g = isKind(callee, "global") && kind !== "method" ? callee : undefined;
      const calleeText = render(callee, { maxLength: 160 });
      this.r.calls.push({
        kind, ...(g ? { global: g.index } : {}), callee: calleeText, expression: render(c), offset: at,
        stream: this.streamIndex, args, target: callee, ...(kwargs !== undefined ? { kwargs } : {}), ...(method !== undefined ? { method } : {}),
        dynamic: !g && kind !== "method" && !(kind === "build" && isKind(callee, "call")),
      });
      if (g) this.checkLoader(`${g.module}.${g.name}`, args, c.index);
    } else this.r.droppedRecords++;
    return c;
  }

  // A value handed to pickle.loads (possibly through codecs.encode / b64decode) is a nested pickle.
  protected checkLoader(qualified: string, args: PickleValue[], callIndex: number): void {
    if (!LOADERS.has(qualified)) return;
    let arg = args[0];
    let encoding: "raw" | "latin1" | "base64" | "hex" = "raw";
    if (isKind(arg, "call") && isKind(arg.callee, "global")) {
      const dec = DECODERS[`${arg.callee.module}.${arg.callee.name}`];
      if (dec) {
        encoding = dec;
        arg = arg.args[0];
      }
    }
    if (typeof arg === "string") {
      this.embed({ offset: -1, length: arg.length, encoding: encoding === "raw" ? "latin1" : encoding, isStr: true, text: arg, loaderCall: callIndex });
    } else if (isKind(arg, "longstr")) {
      this.embed({ offset: arg.offset, length: arg.byteLength, encoding: encoding === "raw" ? "latin1" : encoding, isStr: true, loaderCall: callIndex });
    } else if (isKind(arg, "bytes")) {
      this.embed({ offset: arg.offset, length: arg.length, encoding, isStr: false, loaderCall: callIndex });
    }
  }

  protected memoPut(idx: number, at: number): void {
    const v = this.top(at);
    if (idx > this.limits.maxMemoIndex && !this.r.hugeMemoIndex) this.r.hugeMemoIndex = { index: idx, offset: at };
    if (!this.memo.has(idx) && this.memo.size >= this.limits.maxMemo) throw new LimitStop("maxMemo", this.limits.maxMemo, at);
    this.memo.set(idx, v);
    this.r.expansion.puts++;
  }

  protected memoGet(idx: number, at: number): void {
    const v = this.memo.get(idx);
    if (v === undefined) throw new Fault("memo-missing", `Memo value not found at index ${idx}`, at);
    this.r.expansion.gets++;
    this.push(v);
  }

  protected noteWeight(w: number): void {
    if (w > this.r.expansion.maxWeight) this.r.expansion.maxWeight = w;
  }

}

export function plain(v: PickleValue): string {
  return typeof v === "string" ? v : `<${render(v, { maxLength: 80 })}>`;
}

export function codes(s: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < 4 && k < s.length; k++) out.push(s.charCodeAt(k));
  return out;
}

export function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
}

