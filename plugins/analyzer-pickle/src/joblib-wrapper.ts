import { dictGet, isKind, type BuildAction, type PickleValue } from "@modelward/pickle";

// Where joblib's NumpyArrayWrapper lives (joblib/numpy_pickle.py); its BUILD is followed in the
// file by the raw array bytes, or by a whole pickle for object arrays (NumpyArrayWrapper.read_array).
const WRAPPERS = new Set(["joblib.numpy_pickle.NumpyArrayWrapper", "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper"]);
// Helpers that build an instance of their argument 0 (protocol 0/1 and copyreg-based reductions).
const INSTANCE_OF_ARG0 = new Set(["copyreg._reconstructor", "copy_reg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__"]);

// numpy type codes → bytes per item when the dtype string has no size (`?`, `b`).
const DEFAULT_SIZE: Record<string, number> = { "?": 1, b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, e: 2, f: 4, d: 8, g: 16, F: 8, D: 16, G: 32, M: 8, m: 8, p: 8, P: 8 };

/**
 * Bytes per item and whether items are Python objects, from a numpy dtype
 * spec as `dtype.__reduce__` writes it (`f8`, `O8`, `U5` = 5 UCS-4
 * characters = 20 bytes, `S3`, `V7`, `M8`). `elsize`, the item size from
 * the dtype's BUILD state, wins when the pickle carries it (structured and
 * void dtypes, and what numpy itself uses).
 */
export function dtypeItem(spec: string, elsize?: number): { itemsize: number; object: boolean } | undefined {
  const m = /^[<>|=]?([a-zA-Z?])(\d*)(?:\[[a-zA-Z]+\])?$/.exec(spec);
  if (!m) return undefined;
  const [, code, digits] = m as unknown as [string, string, string];
  if (code === "O") return { itemsize: 8, object: true };
  if (elsize !== undefined && Number.isSafeInteger(elsize) && elsize >= 0) return { itemsize: elsize, object: false };
  if (digits) {
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) return undefined;
    if (code === "M" || code === "m") return { itemsize: 8, object: false };
    return { itemsize: code === "U" ? n * 4 : n, object: false };
  }
  const d = DEFAULT_SIZE[code];
  return d ? { itemsize: d, object: false } : undefined;
}

function shapeCount(v: PickleValue | undefined): bigint | undefined {
  if (!isKind(v, "tuple") || v.count !== v.items.length) return undefined;
  let n = 1n;
  for (const x of v.items) {
    if (typeof x !== "number" && typeof x !== "bigint") return undefined;
    if (BigInt(x) < 0n) return undefined;
    n *= BigInt(x);
  }
  return n;
}

/** The joblib wrapper class a BUILD target is an instance of, if it is one (directly, by NEWOBJ, or through copyreg). */
export function isWrapperInstance(target: PickleValue): boolean {
  if (!isKind(target, "call") || !isKind(target.callee, "global")) return false;
  const callee = `${target.callee.module}.${target.callee.name}`;
  if (WRAPPERS.has(callee)) return true;
  const cls = target.args[0];
  return INSTANCE_OF_ARG0.has(callee) && isKind(cls, "global") && WRAPPERS.has(`${cls.module}.${cls.name}`);
}

// The dtype's item size from its BUILD state `(version, byteorder, subarray, names, fields, elsize, alignment, flags)`.
function elsizeOf(dtype: PickleValue | undefined): number | undefined {
  if (!isKind(dtype, "call") || !isKind(dtype.state, "tuple")) return undefined;
  const v = dtype.state.items[5];
  return typeof v === "number" && v >= 0 ? v : undefined;
}

/**
 * The VM's `afterBuild` hook for joblib: after the BUILD of a
 * NumpyArrayWrapper, skip its raw array bytes (they are never unpickled) or
 * run the object-array pickle that follows; anything it cannot size is an
 * error, so the loader's and the VM's file positions never silently differ.
 * Sizes are computed as joblib's `read_array` does: `count` items of
 * `dtype.itemsize` bytes, after a one-byte padding length and the padding
 * when `numpy_array_alignment_bytes` is not None.
 */
export function joblibAfterBuild(target: PickleValue, state: PickleValue): BuildAction | undefined {
  if (!isWrapperInstance(target)) return undefined;
  if (!isKind(state, "dict")) return { error: "NumpyArrayWrapper state is not a dict" };
  const dtype = dictGet(state, "dtype");
  let spec: string | undefined;
  if (isKind(dtype, "call") && typeof dtype.args[0] === "string") spec = dtype.args[0];
  const item = spec ? dtypeItem(spec, elsizeOf(dtype)) : undefined;
  if (!item) return { error: `NumpyArrayWrapper dtype ${spec ?? "?"} cannot be sized` };
  if (item.object) return { nestedPickle: true };
  const shape = dictGet(state, "shape");
  const count = isKind(shape, "tuple") && shape.count === 0 ? 1n : shapeCount(shape);
  if (count === undefined) return { error: "NumpyArrayWrapper shape is not a tuple of ints" };
  const size = count * BigInt(item.itemsize);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) return { error: `array of ${size} bytes is larger than any file` };
  const alignment = dictGet(state, "numpy_array_alignment_bytes");
  return { skip: Number(size), alignmentPadding: alignment !== undefined && alignment !== null };
}
