import { dictGet, isKind, type BuildAction, type PickleValue } from "@modelward/pickle";

// Where joblib's NumpyArrayWrapper lives (joblib/numpy_pickle.py); its BUILD is followed in the
// file by the raw array bytes, or by a whole pickle for object arrays (NumpyArrayWrapper.read_array).
const WRAPPERS = new Set(["joblib.numpy_pickle.NumpyArrayWrapper", "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper"]);

// numpy type codes → bytes per item when the dtype string has no size (`?`, `b`).
const DEFAULT_SIZE: Record<string, number> = { "?": 1, b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, e: 2, f: 4, d: 8, g: 16, F: 8, D: 16, G: 32 };

/** Bytes per item and whether items are Python objects, from a numpy dtype spec (`<f4`, `O8`, `U20`). */
export function dtypeItem(spec: string): { itemsize: number; object: boolean } | undefined {
  const m = /^[<>|=]?([a-zA-Z?])(\d*)$/.exec(spec);
  if (!m) return undefined;
  const [, code, digits] = m as unknown as [string, string, string];
  if (code === "O") return { itemsize: 8, object: true };
  if (digits) {
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) return undefined;
    // numpy dtype reductions give byte sizes (`U20` = 5 UCS-4 chars); a plain `<U5` spec counts chars.
    return { itemsize: code === "U" && !/^[a-zA-Z]/.test(spec[0] ?? "") ? n * 4 : n, object: false };
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

/**
 * The VM's `afterBuild` hook for joblib: after the BUILD of a
 * NumpyArrayWrapper, skip its raw array bytes (they are never unpickled) or
 * run the object-array pickle that follows; anything it cannot size is an
 * error, so the loader's and the VM's file positions never silently differ.
 */
export function joblibAfterBuild(target: PickleValue, state: PickleValue): BuildAction | undefined {
  if (!isKind(target, "call") || !isKind(target.callee, "global")) return undefined;
  if (!WRAPPERS.has(`${target.callee.module}.${target.callee.name}`)) return undefined;
  if (!isKind(state, "dict")) return { error: "NumpyArrayWrapper state is not a dict" };
  const dtype = dictGet(state, "dtype");
  let spec: string | undefined;
  if (isKind(dtype, "call") && typeof dtype.args[0] === "string") spec = dtype.args[0];
  const item = spec ? dtypeItem(spec) : undefined;
  if (!item) return { error: `NumpyArrayWrapper dtype ${spec ?? "?"} cannot be sized` };
  if (item.object) return { nestedPickle: true };
  const count = shapeCount(dictGet(state, "shape"));
  if (count === undefined) return { error: "NumpyArrayWrapper shape is not a tuple of ints" };
  const size = count * BigInt(item.itemsize);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) return { error: `array of ${size} bytes is larger than any file` };
  return { skip: Number(size), alignmentPadding: dictGet(state, "numpy_array_alignment_bytes") !== undefined };
}
