/**
 * A bounded reader of CPython `marshal` data (Python/marshal.c, format 4 as
 * Python 3.8–3.13 write it) that builds inert values: strings, numbers,
 * containers and code objects described by their fields. Nothing is
 * evaluated; a code object is a record of names and constants, its bytecode
 * kept as bytes. Every length and count is checked against the bytes left
 * before anything is built, so hostile data cannot decide an allocation.
 */

/** One decoded marshal value. Containers may share children (marshal references). */
export type MarshalValue =
  | { kind: "none" | "true" | "false" | "ellipsis" | "stopiteration" }
  | { kind: "int"; value: bigint }
  /** An int too long to be worth computing (a Lambda constant of hundreds of digits). */
  | { kind: "bigint"; digits: number }
  | { kind: "float"; value: number }
  | { kind: "complex"; real: number; imag: number }
  | { kind: "bytes"; data: Uint8Array }
  | { kind: "str"; value: string }
  | { kind: "tuple" | "list" | "set" | "frozenset"; items: MarshalValue[] }
  | { kind: "dict"; entries: Array<[MarshalValue, MarshalValue]> }
  | { kind: "slice"; parts: [MarshalValue, MarshalValue, MarshalValue] }
  | { kind: "code"; code: CodeObject };

/** Field order of a marshalled code object. */
export type CodeLayout = "3.8-3.10" | "3.11-3.13";

/** The fields of a code object that say what it uses. */
export interface CodeObject {
  layout: CodeLayout;
  argcount: number;
  flags: number;
  bytecode: Uint8Array;
  consts: MarshalValue[];
  /** `co_names`: globals, builtins, imported modules and attribute names the bytecode refers to. */
  names: string[];
  /** Arguments, locals, cell and free variables (`co_varnames` … or 3.11's `co_localsplusnames`). */
  localNames: string[];
  filename: string;
  name: string;
  /** `co_qualname` (3.11 and later). */
  qualname?: string;
  firstlineno: number;
}

/** Bounds of one read; the data's own size bounds every count too. */
export interface MarshalLimits {
  /** Nesting of containers and code objects (CPython stops at 2,000; Keras writes fewer than 10). */
  maxDepth: number;
  /** Longest int, in 15-bit digits, computed as a value. */
  maxIntDigits: number;
}

export const DEFAULT_MARSHAL_LIMITS: MarshalLimits = { maxDepth: 100, maxIntDigits: 64 };

/** Why the data is not marshal a CPython of this layout would load. */
export class MarshalError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const FLAG_REF = 0x80;
// A reserved reference slot: CPython stores None there until the object is built, and a
// reference to it is "bad marshal data (invalid reference)".
const RESERVED = Symbol("reserved");

type Slot = MarshalValue | typeof RESERVED;

/** Reads one value from `bytes` laid out as `layout`; `end` is where it stopped (loads ignores the rest). */
export function readMarshal(bytes: Uint8Array, layout: CodeLayout, limits: MarshalLimits = DEFAULT_MARSHAL_LIMITS): { value: MarshalValue; end: number } {
  const reader = new Reader(bytes, layout, limits);
  const value = reader.object(0);
  if (value === null) throw new MarshalError("NULL object at the top", 0);
  return { value, end: reader.at };
}

class Reader {
  at = 0;
  private readonly refs: Slot[] = [];
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly layout: CodeLayout, private readonly limits: MarshalLimits) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(message: string, at = this.at): never {
    throw new MarshalError(message, at);
  }

  private need(n: number): void {
    if (n > this.bytes.length - this.at) this.fail(`${n} bytes needed, ${this.bytes.length - this.at} left`);
  }

  private byte(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  private int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.at, true);
    this.at += 4;
    return v;
  }

  /** A size field: non-negative and, as every element takes at least `unit` bytes, no more than the data left allows. */
  private size(what: string, unit: number): number {
    const at = this.at;
    const n = this.int32();
    if (n < 0 || n * unit > this.bytes.length - this.at) this.fail(`${what} size ${n} does not fit the ${this.bytes.length - this.at} bytes left`, at);
    return n;
  }

  private take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  private float64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  private floatText(): number {
    const n = this.byte();
    const text = Buffer.from(this.take(n)).toString("latin1");
    const v = Number(text);
    if (Number.isNaN(v) && !/^[+-]?nan$/i.test(text.trim())) this.fail(`float text ${JSON.stringify(text.slice(0, 32))} is not a number`);
    return v;
  }

  private reserve(flag: boolean): number {
    if (!flag) return -1;
    this.refs.push(RESERVED);
    return this.refs.length - 1;
  }

  private fill<T extends MarshalValue>(index: number, value: T): T {
    if (index >= 0) this.refs[index] = value;
    return value;
  }

  /** A value that may not be NULL. */
  private item(depth: number, what: string): MarshalValue {
    const at = this.at;
    const v = this.object(depth);
    if (v === null) this.fail(`NULL object in marshal data for ${what}`, at);
    return v;
  }

  /** One object, or null for TYPE_NULL (the end of a dict). */
  object(depth: number): MarshalValue | null {
    if (depth > this.limits.maxDepth) this.fail(`nested deeper than ${this.limits.maxDepth}`);
    const start = this.at;
    const code = this.byte();
    const flag = (code & FLAG_REF) !== 0;
    const type = String.fromCharCode(code & ~FLAG_REF);
    switch (type) {
      case "0": return null;
      case "N": return { kind: "none" };
      case "T": return { kind: "true" };
      case "F": return { kind: "false" };
      case ".": return { kind: "ellipsis" };
      case "S": return { kind: "stopiteration" };
      case "r": {
        const index = this.int32();
        const target = index >= 0 && index < this.refs.length ? this.refs[index] : undefined;
        if (target === undefined || target === RESERVED) this.fail(`invalid reference ${index}`, start);
        return target;
      }
      case "i": return this.fill(this.reserve(flag), { kind: "int", value: BigInt(this.int32()) });
      case "I": {
        this.need(8);
        const value = this.view.getBigInt64(this.at, true);
        this.at += 8;
        return this.fill(this.reserve(flag), { kind: "int", value });
      }
      case "l": return this.fill(this.reserve(flag), this.long());
      case "g": return this.fill(this.reserve(flag), { kind: "float", value: this.float64() });
      case "f": return this.fill(this.reserve(flag), { kind: "float", value: this.floatText() });
      case "y": return this.fill(this.reserve(flag), { kind: "complex", real: this.float64(), imag: this.float64() });
      case "x": return this.fill(this.reserve(flag), { kind: "complex", real: this.floatText(), imag: this.floatText() });
      case "s": return this.fill(this.reserve(flag), { kind: "bytes", data: this.take(this.size("bytes", 1)) });
      case "z": case "Z": return this.fill(this.reserve(flag), { kind: "str", value: Buffer.from(this.take(this.byte())).toString("latin1") });
      case "a": case "A": return this.fill(this.reserve(flag), { kind: "str", value: Buffer.from(this.take(this.size("string", 1))).toString("latin1") });
      case "u": case "t": return this.fill(this.reserve(flag), { kind: "str", value: Buffer.from(this.take(this.size("string", 1))).toString("utf8") });
      case ")": return this.sequence("tuple", this.byte(), flag, depth);
      case "(": return this.sequence("tuple", this.size("tuple", 1), flag, depth);
      case "[": return this.sequence("list", this.size("list", 1), flag, depth);
      case "<": return this.sequence("set", this.size("set", 1), flag, depth);
      case ">": return this.sequence("frozenset", this.size("frozenset", 1), flag, depth);
      case "{": {
        const dict: MarshalValue = { kind: "dict", entries: [] };
        this.fill(this.reserve(flag), dict);
        for (;;) {
          const key = this.object(depth + 1);
          if (key === null) break;
          dict.entries.push([key, this.item(depth + 1, "dict")]);
        }
        return dict;
      }
      case ":": {
        const index = this.reserve(flag);
        const parts: [MarshalValue, MarshalValue, MarshalValue] = [this.item(depth + 1, "slice"), this.item(depth + 1, "slice"), this.item(depth + 1, "slice")];
        return this.fill(index, { kind: "slice", parts });
      }
      case "c": {
        const index = this.reserve(flag);
        return this.fill(index, { kind: "code", code: this.code(depth) });
      }
      default:
        return this.fail(`unknown type code 0x${code.toString(16).padStart(2, "0")}`, start);
    }
  }

  private long(): MarshalValue {
    const at = this.at;
    const n = this.int32();
    const digits = Math.abs(n);
    if (n === -0x80000000 || digits * 2 > this.bytes.length - this.at) this.fail(`long of ${n} digits does not fit the data`, at);
    let value = 0n;
    for (let i = 0; i < digits; i++) {
      const d = this.view.getUint16(this.at, true);
      this.at += 2;
      if (d >= 0x8000) this.fail("digit out of range in long", this.at - 2);
      if (i === digits - 1 && d === 0) this.fail("unnormalized long data", this.at - 2);
      if (digits <= this.limits.maxIntDigits) value |= BigInt(d) << BigInt(15 * i);
    }
    if (digits > this.limits.maxIntDigits) return { kind: "bigint", digits };
    return { kind: "int", value: n < 0 ? -value : value };
  }

  private sequence(kind: "tuple" | "list" | "set" | "frozenset", n: number, flag: boolean, depth: number): MarshalValue {
    const value: MarshalValue = { kind, items: [] };
    // Tuples, lists and sets are registered before their items (a self-reference is legal);
    // frozensets after them, as CPython does.
    const index = this.reserve(flag);
    if (kind !== "frozenset") this.fill(index, value);
    for (let i = 0; i < n; i++) value.items.push(this.item(depth + 1, kind));
    return this.fill(index, value);
  }

  private code(depth: number): CodeObject {
    const modern = this.layout === "3.11-3.13";
    const argcount = this.int32();
    this.int32(); // posonlyargcount
    this.int32(); // kwonlyargcount
    if (!modern) this.int32(); // nlocals
    this.int32(); // stacksize
    const flags = this.int32();
    const bytecode = this.bytesField(depth, "co_code");
    const consts = this.tupleField(depth, "co_consts");
    const names = this.stringsField(depth, "co_names");
    let localNames: string[];
    if (modern) {
      localNames = this.stringsField(depth, "co_localsplusnames");
      this.bytesField(depth, "co_localspluskinds");
    } else {
      localNames = [...this.stringsField(depth, "co_varnames"), ...this.stringsField(depth, "co_freevars"), ...this.stringsField(depth, "co_cellvars")];
    }
    const filename = this.stringField(depth, "co_filename");
    const name = this.stringField(depth, "co_name");
    const qualname = modern ? this.stringField(depth, "co_qualname") : undefined;
    const firstlineno = this.int32();
    this.bytesField(depth, modern ? "co_linetable" : "co_lnotab");
    if (modern) this.bytesField(depth, "co_exceptiontable");
    return { layout: this.layout, argcount, flags, bytecode, consts, names, localNames, filename, name, ...(qualname !== undefined ? { qualname } : {}), firstlineno };
  }

  // Field types as CPython's code constructor checks them (_PyCode_Validate, code_new).
  private field(depth: number, what: string): { value: MarshalValue; at: number } {
    const at = this.at;
    return { value: this.item(depth + 1, what), at };
  }

  private bytesField(depth: number, what: string): Uint8Array {
    const { value, at } = this.field(depth, what);
    if (value.kind !== "bytes") this.fail(`${what} is a ${value.kind}, not bytes`, at);
    return value.data;
  }

  private tupleField(depth: number, what: string): MarshalValue[] {
    const { value, at } = this.field(depth, what);
    if (value.kind !== "tuple") this.fail(`${what} is a ${value.kind}, not a tuple`, at);
    return value.items;
  }

  private stringsField(depth: number, what: string): string[] {
    const { value, at } = this.field(depth, what);
    if (value.kind !== "tuple" || value.items.some((i) => i.kind !== "str")) this.fail(`${what} is not a tuple of strings`, at);
    return value.items.map((i) => (i as { value: string }).value);
  }

  private stringField(depth: number, what: string): string {
    const { value, at } = this.field(depth, what);
    if (value.kind !== "str") this.fail(`${what} is a ${value.kind}, not a string`, at);
    return value.value;
  }
}
