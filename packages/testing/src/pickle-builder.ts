/**
 * An opcode-level pickle writer for fixtures. Every method appends one
 * opcode (with its argument) exactly as written; nothing is validated, so
 * tests can build malformed and evasive streams on purpose. Opcode bytes
 * follow CPython `Lib/pickle.py`.
 */
export class PickleBuilder {
  private readonly parts: number[] = [];

  /** Appends raw bytes (junk, a hand-written opcode, another pickle). */
  raw(bytes: Uint8Array | readonly number[] | string): this {
    if (typeof bytes === "string") for (let i = 0; i < bytes.length; i++) this.parts.push(bytes.charCodeAt(i) & 0xff);
    else for (const b of bytes) this.parts.push(b);
    return this;
  }

  private op(code: number, ...args: number[]): this {
    this.parts.push(code, ...args);
    return this;
  }

  private le(value: number | bigint, size: number): number[] {
    let v = BigInt(value);
    if (v < 0n) v += 1n << BigInt(size * 8);
    const out: number[] = [];
    for (let i = 0; i < size; i++) {
      out.push(Number(v & 0xffn));
      v >>= 8n;
    }
    return out;
  }

  private utf8(s: string): Uint8Array {
    return new TextEncoder().encode(s);
  }

  /** PROTO n. */
  proto(n: number): this { return this.op(0x80, n); }
  /** FRAME with an explicit length (no check that it is right). */
  frame(length: number | bigint): this { return this.op(0x95, ...this.le(length, 8)); }
  /** STOP. */
  stop(): this { return this.op(0x2e); }
  /** MARK. */
  mark(): this { return this.op(0x28); }
  /** POP. */
  pop(): this { return this.op(0x30); }
  /** POP_MARK. */
  popMark(): this { return this.op(0x31); }
  /** DUP. */
  dup(): this { return this.op(0x32); }
  /** NONE. */
  none(): this { return this.op(0x4e); }
  /** NEWTRUE / NEWFALSE. */
  bool(v: boolean): this { return this.op(v ? 0x88 : 0x89); }
  /** GLOBAL module\nname\n (protocol 0). */
  global(module: string, name: string): this { return this.op(0x63).raw(this.utf8(`${module}\n${name}\n`)); }
  /** INST module\nname\n (pops to MARK for the arguments). */
  inst(module: string, name: string): this { return this.op(0x69).raw(this.utf8(`${module}\n${name}\n`)); }
  /** STACK_GLOBAL (operands from the stack). */
  stackGlobal(): this { return this.op(0x93); }
  /** SHORT_BINUNICODE + module, SHORT_BINUNICODE + name, STACK_GLOBAL. */
  stackGlobalOf(module: string, name: string): this { return this.shortBinUnicode(module).shortBinUnicode(name).stackGlobal(); }
  /** SHORT_BINUNICODE (length < 256 bytes of UTF-8). */
  shortBinUnicode(s: string): this { const b = this.utf8(s); return this.op(0x8c, b.length).raw(b); }
  /** BINUNICODE (4-byte length). */
  binUnicode(s: string): this { const b = this.utf8(s); return this.op(0x58, ...this.le(b.length, 4)).raw(b); }
  /** BINUNICODE8 (8-byte length). */
  binUnicode8(s: string): this { const b = this.utf8(s); return this.op(0x8d, ...this.le(b.length, 8)).raw(b); }
  /** UNICODE (protocol 0, raw-unicode-escape text). */
  unicode(s: string): this { return this.raw("V").raw(s).raw("\n"); }
  /** STRING with the given quoted text as written, e.g. `'os'`. */
  string(quoted: string): this { return this.raw("S").raw(quoted).raw("\n"); }
  /** SHORT_BINSTRING. */
  shortBinString(s: string): this { return this.op(0x55, s.length).raw(s); }
  /** BINSTRING. */
  binString(s: string): this { return this.op(0x54, ...this.le(s.length, 4)).raw(s); }
  /** SHORT_BINBYTES / BINBYTES / BINBYTES8, picked by length unless forced. */
  bytes(data: Uint8Array | readonly number[], form?: "short" | "4" | "8"): this {
    const n = data.length;
    const f = form ?? (n < 256 ? "short" : n < 2 ** 32 ? "4" : "8");
    if (f === "short") this.op(0x43, n);
    else if (f === "4") this.op(0x42, ...this.le(n, 4));
    else this.op(0x8e, ...this.le(n, 8));
    return this.raw(data);
  }
  /** BINBYTES8 header only, declaring `length` bytes that the caller writes separately. */
  binBytes8Header(length: number | bigint): this { return this.op(0x8e, ...this.le(length, 8)); }
  /** BYTEARRAY8. */
  byteArray8(data: Uint8Array | readonly number[]): this { return this.op(0x96, ...this.le(data.length, 8)).raw(data); }
  /** BININT1 / BININT2 / BININT, picked by value. */
  binInt(v: number): this {
    if (v >= 0 && v < 256) return this.op(0x4b, v);
    if (v >= 0 && v < 65536) return this.op(0x4d, ...this.le(v, 2));
    return this.op(0x4a, ...this.le(v, 4));
  }
  /** INT with the text as written (`0x10`, `01`). */
  int(text: string): this { return this.raw("I").raw(text).raw("\n"); }
  /** LONG with the text as written. */
  long(text: string): this { return this.raw("L").raw(text).raw("\n"); }
  /** LONG1. */
  long1(v: bigint): this { const b = this.le(v, 8); return this.op(0x8a, b.length, ...b); }
  /** BINFLOAT. */
  binFloat(v: number): this { const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, v, false); return this.op(0x47, ...new Uint8Array(dv.buffer)); }
  /** FLOAT text. */
  float(text: string): this { return this.raw("F").raw(text).raw("\n"); }
  /** EMPTY_TUPLE. */
  emptyTuple(): this { return this.op(0x29); }
  /** TUPLE (to MARK). */
  tuple(): this { return this.op(0x74); }
  /** TUPLE1/2/3. */
  tupleN(n: 1 | 2 | 3): this { return this.op(0x84 + n); }
  /** EMPTY_LIST. */
  emptyList(): this { return this.op(0x5d); }
  /** LIST (to MARK). */
  list(): this { return this.op(0x6c); }
  /** APPEND. */
  append(): this { return this.op(0x61); }
  /** APPENDS (to MARK). */
  appends(): this { return this.op(0x65); }
  /** EMPTY_DICT. */
  emptyDict(): this { return this.op(0x7d); }
  /** DICT (to MARK). */
  dict(): this { return this.op(0x64); }
  /** SETITEM. */
  setItem(): this { return this.op(0x73); }
  /** SETITEMS (to MARK). */
  setItems(): this { return this.op(0x75); }
  /** EMPTY_SET. */
  emptySet(): this { return this.op(0x8f); }
  /** ADDITEMS. */
  addItems(): this { return this.op(0x90); }
  /** FROZENSET. */
  frozenSet(): this { return this.op(0x91); }
  /** REDUCE. */
  reduce(): this { return this.op(0x52); }
  /** BUILD (`__setstate__`, or an update of the instance dict). Named apart from {@link toBytes}, the terminal call. */
  buildOp(): this { return this.op(0x62); }
  /** NEWOBJ. */
  newObj(): this { return this.op(0x81); }
  /** NEWOBJ_EX. */
  newObjEx(): this { return this.op(0x92); }
  /** OBJ. */
  obj(): this { return this.op(0x6f); }
  /** MEMOIZE. */
  memoize(): this { return this.op(0x94); }
  /** BINPUT / LONG_BINPUT by index. */
  put(i: number): this { return i < 256 ? this.op(0x71, i) : this.op(0x72, ...this.le(i, 4)); }
  /** BINGET / LONG_BINGET by index. */
  get(i: number): this { return i < 256 ? this.op(0x68, i) : this.op(0x6a, ...this.le(i, 4)); }
  /** PUT (text). */
  putText(i: number | string): this { return this.raw(`p${i}\n`); }
  /** GET (text). */
  getText(i: number | string): this { return this.raw(`g${i}\n`); }
  /** PERSID (text). */
  persId(pid: string): this { return this.raw(`P${pid}\n`); }
  /** BINPERSID. */
  binPersId(): this { return this.op(0x51); }
  /** EXT1/EXT2/EXT4 by code size. */
  ext(code: number): this { return code < 256 ? this.op(0x82, code) : code < 65536 ? this.op(0x83, ...this.le(code, 2)) : this.op(0x84, ...this.le(code, 4)); }
  /** NEXT_BUFFER. */
  nextBuffer(): this { return this.op(0x97); }
  /** READONLY_BUFFER. */
  readonlyBuffer(): this { return this.op(0x98); }

  /** `module.name(arg)` as protocol-2+ `STACK_GLOBAL` + one str argument + REDUCE. */
  callStr(module: string, name: string, arg: string): this {
    return this.stackGlobalOf(module, name).shortBinUnicode(arg).tupleN(1).reduce();
  }

  /** The bytes written so far: the terminal call (`.stop().toBytes()`). */
  toBytes(): Uint8Array { return Uint8Array.from(this.parts); }
  /** @deprecated Use {@link toBytes}; kept one release for code written before the rename. */
  build_(): Uint8Array { return this.toBytes(); }
  /** @deprecated Use {@link toBytes}. */
  bytes_(): Uint8Array { return this.toBytes(); }
  /** Bytes written so far. */
  get length(): number { return this.parts.length; }
}

/** Starts a pickle: `pickle().proto(4).callStr("os", "system", "echo hi").stop().toBytes()`. */
export function pickle(): PickleBuilder {
  return new PickleBuilder();
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
