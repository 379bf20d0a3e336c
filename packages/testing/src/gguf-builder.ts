/** GGUF value types (gguf.h `enum gguf_type`). */
export const GGUF_TYPE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** A scalar or array value; the type says how it is written. */
export type GgufValue = number | bigint | boolean | string | GgufValue[];

/** One metadata entry. */
export interface GgufKv {
  key: string;
  /** A {@link GGUF_TYPE}; for arrays, `ARRAY` with `elementType`. Default: STRING for strings, UINT32 for numbers, BOOL for booleans. */
  type?: number;
  /** Element type of an array. */
  elementType?: number;
  value: GgufValue;
  /** Writes this array length instead of the real one (a lying count). */
  countOverride?: bigint;
  /** Writes this string length instead of the real one (a lying length). */
  lengthOverride?: bigint;
}

/** One tensor info. */
export interface GgufTensor {
  name: string;
  /** `ne[]`, innermost first, as GGUF stores them. */
  dims: Array<number | bigint>;
  /** ggml type (0 F32, 1 F16, 2 Q4_0, 8 Q8_0, 12 Q4_K …). Default 0. */
  type?: number;
  /** Offset in the data section; default: packed after the previous tensor, aligned. */
  offset?: bigint;
}

/** Options of {@link buildGguf}. */
export interface GgufOptions {
  /** 1 (32-bit counts and lengths), 2 or 3. Default 3. */
  version?: number;
  /** Byte order of every field (v3 allows big-endian). Default little. */
  bigEndian?: boolean;
  kv?: GgufKv[];
  tensors?: GgufTensor[];
  /** `general.alignment` in force for the layout (default 32; write the key yourself to declare another). */
  alignment?: number;
  /** Writes these counts instead of the real ones. */
  tensorCountOverride?: bigint;
  kvCountOverride?: bigint;
  /**
   * Bytes of tensor data to append. `"full"` (default) writes zeroes for every
   * tensor; a number writes that many; `"none"` writes nothing (for sparse files,
   * see {@link GgufBuild.dataSize}).
   */
  data?: "full" | "none" | number;
}

/** What {@link buildGguf} returns: the bytes and the layout. */
export interface GgufBuild {
  bytes: Uint8Array;
  /** Offset where the data section starts (header padded to the alignment). */
  dataOffset: number;
  /** Bytes the data section needs for the declared tensors. */
  dataSize: bigint;
}

const BLOCK: Record<number, [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 30: [1, 2],
};

/** Bytes of a tensor as ggml_nbytes computes them (types outside the builder's table count as F32). */
export function ggufTensorBytes(dims: Array<number | bigint>, type = 0): bigint {
  const [block, size] = BLOCK[type] ?? [1, 4];
  let n = 1n;
  for (const d of dims) n *= BigInt(d);
  return (n / BigInt(block)) * BigInt(size);
}

class Writer {
  private parts: Uint8Array[] = [];
  length = 0;
  constructor(private readonly be: boolean) {}
  private push(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  num(type: number, v: number | bigint | boolean) {
    const sizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    const n = sizes[type];
    // An invalid type (a hostile case) gets its type field and no value.
    if (n === undefined) return;
    const b = new Uint8Array(n);
    const dv = new DataView(b.buffer);
    const le = !this.be;
    const x = typeof v === "boolean" ? Number(v) : v;
    switch (type) {
      case 0: case 7: dv.setUint8(0, Number(x)); break;
      case 1: dv.setInt8(0, Number(x)); break;
      case 2: dv.setUint16(0, Number(x), le); break;
      case 3: dv.setInt16(0, Number(x), le); break;
      case 4: dv.setUint32(0, Number(x), le); break;
      case 5: dv.setInt32(0, Number(x), le); break;
      case 6: dv.setFloat32(0, Number(x), le); break;
      case 10: dv.setBigUint64(0, BigInt(x), le); break;
      case 11: dv.setBigInt64(0, BigInt(x), le); break;
      case 12: dv.setFloat64(0, Number(x), le); break;
    }
    this.push(b);
  }
  u32(v: number) { this.num(4, v); }
  u64(v: bigint) { this.num(10, v); }
  count(version: number, v: bigint) {
    if (version === 1) this.u32(Number(v & 0xffffffffn));
    else this.u64(v);
  }
  bytes(b: Uint8Array) { this.push(b); }
  str(version: number, s: string, lengthOverride?: bigint) {
    const b = new TextEncoder().encode(s);
    this.count(version, lengthOverride ?? BigInt(b.length));
    this.push(b);
  }
  pad(alignment: number) {
    const rem = this.length % alignment;
    if (rem !== 0) this.push(new Uint8Array(alignment - rem));
  }
  out(): Uint8Array {
    const o = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      o.set(p, at);
      at += p.length;
    }
    return o;
  }
}

function defaultType(v: GgufValue): number {
  if (typeof v === "string") return GGUF_TYPE.STRING;
  if (typeof v === "boolean") return GGUF_TYPE.BOOL;
  if (typeof v === "bigint") return GGUF_TYPE.UINT64;
  if (Array.isArray(v)) return GGUF_TYPE.ARRAY;
  return Number.isInteger(v) ? GGUF_TYPE.UINT32 : GGUF_TYPE.FLOAT32;
}

/**
 * A GGUF file laid out as gguf.cpp writes it: magic, version, tensor and KV
 * counts, the KV pairs, the tensor infos, padding to the alignment, and the
 * tensor data. Overrides write lying counts and lengths for hostile cases.
 */
export function buildGguf(o: GgufOptions = {}): GgufBuild {
  const version = o.version ?? 3;
  const w = new Writer(o.bigEndian ?? false);
  const alignment = o.alignment ?? 32;
  const kvs = o.kv ?? [];
  const tensors = o.tensors ?? [];
  w.bytes(new TextEncoder().encode("GGUF"));
  w.u32(version);
  w.count(version, o.tensorCountOverride ?? BigInt(tensors.length));
  w.count(version, o.kvCountOverride ?? BigInt(kvs.length));
  const writeValue = (type: number, v: GgufValue, kv?: GgufKv) => {
    if (type === GGUF_TYPE.STRING) w.str(version, String(v), kv?.lengthOverride);
    else if (type === GGUF_TYPE.ARRAY) {
      const items = v as GgufValue[];
      const et = kv?.elementType ?? (items.length > 0 ? defaultType(items[0] as GgufValue) : GGUF_TYPE.UINT32);
      w.u32(et);
      w.count(version, kv?.countOverride ?? BigInt(items.length));
      for (const item of items) writeValue(et, item);
    } else w.num(type, v as number | bigint | boolean);
  };
  for (const kv of kvs) {
    w.str(version, kv.key);
    const type = kv.type ?? defaultType(kv.value);
    w.u32(type);
    writeValue(type, kv.value, kv);
  }
  let next = 0n;
  const pad = (n: bigint) => ((n + BigInt(alignment) - 1n) / BigInt(alignment)) * BigInt(alignment);
  for (const t of tensors) {
    w.str(version, t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.count(version, BigInt(d));
    w.u32(t.type ?? 0);
    const offset = t.offset ?? next;
    w.u64(offset);
    next = pad(offset + ggufTensorBytes(t.dims, t.type ?? 0));
  }
  w.pad(alignment);
  const dataOffset = w.length;
  const data = o.data ?? "full";
  if (data === "full") w.bytes(new Uint8Array(Number(next)));
  else if (typeof data === "number") w.bytes(new Uint8Array(data));
  return { bytes: w.out(), dataOffset, dataSize: next };
}
