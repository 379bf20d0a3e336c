/**
 * A writer of CPython `marshal` data (Python/marshal.c, format 4) for
 * fixtures: Keras Lambda code of Python versions the machine has no
 * interpreter for, and hostile shapes (bad references, deep nesting, counts
 * the data cannot hold). Each method appends exactly what it says; nothing is
 * validated, so malformed streams are built on purpose.
 */
export class MarshalBuilder {
  private readonly parts: number[] = [];
  private flagNext = false;

  /** Appends raw bytes. */
  raw(bytes: Uint8Array | readonly number[]): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  /** Sets FLAG_REF on the next type code: the object takes the next reference index. */
  ref(): this {
    this.flagNext = true;
    return this;
  }

  private type(code: string): this {
    this.parts.push(code.charCodeAt(0) | (this.flagNext ? 0x80 : 0));
    this.flagNext = false;
    return this;
  }

  /** A little-endian int32 with no type code (a size or a code object's int field). */
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v | 0);
    return this.raw(b);
  }

  none(): this { return this.type("N"); }
  true_(): this { return this.type("T"); }
  false_(): this { return this.type("F"); }
  ellipsis(): this { return this.type("."); }
  /** TYPE_NULL: the end of a dict (anywhere else, bad data). */
  null_(): this { return this.type("0"); }
  /** TYPE_REF to reference index `index`. */
  backref(index: number): this { return this.type("r").int32(index); }
  /** TYPE_INT. */
  int(v: number): this { return this.type("i").int32(v); }

  /** TYPE_LONG from a bigint, in 15-bit digits. */
  long(v: bigint): this {
    const digits: number[] = [];
    for (let m = v < 0n ? -v : v; m > 0n; m >>= 15n) digits.push(Number(m & 0x7fffn));
    this.type("l").int32(v < 0n ? -digits.length : digits.length);
    for (const d of digits) this.raw([d & 0xff, d >> 8]);
    return this;
  }

  /** TYPE_BINARY_FLOAT. */
  float(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.type("g").raw(b);
  }

  /** TYPE_STRING (Python bytes). */
  bytes(data: Uint8Array | string): this {
    const b = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    return this.type("s").int32(b.length).raw(b);
  }

  /** A str as CPython writes it: short ASCII, ASCII, or UTF-8 (`interned` picks the interned codes). */
  str(s: string, interned = true): this {
    const utf8 = Buffer.from(s, "utf8");
    if (!/^[\x00-\x7f]*$/.test(s)) return this.type(interned ? "t" : "u").int32(utf8.length).raw(utf8);
    if (utf8.length < 256) return this.type(interned ? "Z" : "z").raw([utf8.length]).raw(utf8);
    return this.type(interned ? "A" : "a").int32(utf8.length).raw(utf8);
  }

  /** A tuple header (small form under 256 items unless `long`); write its items after. */
  tuple(count: number, long = false): this {
    return count < 256 && !long ? this.type(")").raw([count]) : this.type("(").int32(count);
  }

  /** A list, set or frozenset header; write its items after. */
  collection(kind: "list" | "set" | "frozenset", count: number): this {
    return this.type(kind === "list" ? "[" : kind === "set" ? "<" : ">").int32(count);
  }

  /** A dict header; write key, value pairs, then `null_()`. */
  dict(): this { return this.type("{"); }

  /** A tuple of strs. */
  strs(items: readonly string[]): this {
    this.tuple(items.length);
    for (const s of items) this.str(s);
    return this;
  }

  /**
   * A code object in the field order of `layout` (3.8–3.10 or 3.11–3.13).
   * Constants are written by `consts`, which must write exactly `constCount` values.
   */
  code(layout: "3.8" | "3.11", spec: MarshalCodeSpec): this {
    const s = { argcount: 1, flags: 0x43, stacksize: 4, bytecode: [0x64, 0x00, 0x53, 0x00], filename: "<fixture>", name: "<lambda>", firstlineno: 1, locals: ["x"], ...spec };
    this.type("c").int32(s.argcount).int32(0).int32(0);
    if (layout === "3.8") this.int32(s.locals.length);
    this.int32(s.stacksize).int32(s.flags);
    this.bytes(Uint8Array.from(s.bytecode));
    this.tuple(s.constCount);
    s.consts(this);
    this.strs(s.names);
    if (layout === "3.8") {
      this.strs(s.locals).strs([]).strs([]);
      this.str(s.filename).str(s.name).int32(s.firstlineno).bytes("");
    } else {
      this.strs(s.locals).bytes(Uint8Array.from(s.locals.map(() => 0x20)));
      this.str(s.filename).str(s.name).str(s.qualname ?? s.name).int32(s.firstlineno).bytes("").bytes("");
    }
    return this;
  }

  /** The bytes written. */
  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  /** The bytes as Keras' `func_dump` stores them (base64 with newlines every 76 characters). */
  base64(): string {
    return (Buffer.from(this.build()).toString("base64").match(/.{1,76}/g) ?? []).join("\n") + "\n";
  }
}

/** Fields of a code object for `MarshalBuilder.code` (defaults: a one-argument `<lambda>`). */
export interface MarshalCodeSpec {
  /** `co_names`. */
  names: readonly string[];
  /** How many constants `consts` writes. */
  constCount: number;
  consts: (b: MarshalBuilder) => void;
  locals?: readonly string[];
  argcount?: number;
  flags?: number;
  stacksize?: number;
  bytecode?: readonly number[];
  filename?: string;
  name?: string;
  qualname?: string;
  firstlineno?: number;
}

/** A new marshal writer. */
export function marshal(): MarshalBuilder {
  return new MarshalBuilder();
}
