import { DTYPE_BITS, USIZE_MAX } from "./dtypes.js";
import type { JsonObject, JsonValue } from "./strict-json.js";

/** What a problem means for a loader: an allocation/size overflow, data past the end, or a file the reference loader rejects. */
export type ProblemKind = "overflow" | "out-of-bounds" | "malformed";

export interface HeaderProblem {
  kind: ProblemKind;
  message: string;
  /** JSON pointer of the offending entry, when there is one. */
  jsonPointer?: string;
}

/** One tensor entry that has a known dtype, a valid shape and two offsets. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: bigint[];
  start: bigint;
  end: bigint;
  /** Element count, when it fits `usize`. */
  elements?: bigint;
}

/** The header's meaning: its tensors, its `__metadata__` strings, and every problem. */
export interface ValidatedHeader {
  tensors: TensorEntry[];
  /** `__metadata__` entries whose values are strings (non-strings are problems). */
  metadata: Array<[string, string]>;
  problems: HeaderProblem[];
  /** End of the last tensor's data in the data section (0 without tensors). */
  dataEnd: bigint;
}

const MAX_PROBLEMS = 100;
const pointerOf = (key: string) => `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
const isUsize = (v: JsonValue | undefined): v is bigint => typeof v === "bigint" && v >= 0n && v <= USIZE_MAX;

/**
 * Checks a parsed header as `SafeTensors::deserialize` + `validate` in
 * huggingface/safetensors `tensor.rs` do, collecting every violation instead
 * of stopping at the first: a top-level object; `__metadata__` a map of
 * strings to strings; each tensor a known dtype, a shape of `usize`, two
 * `usize` offsets with begin ≤ end; sorted by offsets the tensors tile the
 * data section exactly from 0 (no gap, no overlap); each span equal to
 * shape × dtype bits / 8 computed without overflow; and the file ending where
 * the last tensor does.
 *
 * @param dataSize bytes after the header (file size − 8 − header length)
 */
export function validateHeader(doc: JsonValue, dataSize: bigint): ValidatedHeader {
  const out: ValidatedHeader = { tensors: [], metadata: [], problems: [], dataEnd: 0n };
  let dropped = 0;
  const problem = (kind: ProblemKind, message: string, jsonPointer?: string) => {
    // A hostile header can repeat one fault a million times: the first ones say enough.
    if (out.problems.length >= MAX_PROBLEMS) {
      dropped++;
      return;
    }
    out.problems.push(jsonPointer === undefined ? { kind, message } : { kind, message, jsonPointer });
  };
  if (!(doc instanceof Map)) {
    problem("malformed", "the header is JSON but not an object: loaders refuse it");
    return out;
  }
  for (const [name, info] of doc as JsonObject) {
    const at = pointerOf(name);
    if (name === "__metadata__") {
      if (!(info instanceof Map)) {
        problem("malformed", "`__metadata__` is not an object of strings: the reference loader refuses the file", at);
        continue;
      }
      for (const [k, v] of info) {
        if (typeof v === "string") out.metadata.push([k, v]);
        else problem("malformed", `\`__metadata__\` key \`${k}\` holds a ${jsonType(v)}, not a string: the reference loader refuses the file, other readers keep it`, `${at}${pointerOf(k)}`);
      }
      continue;
    }
    const entry = tensorEntry(name, info, at, problem);
    if (entry) out.tensors.push(entry);
  }
  out.dataEnd = checkLayout(out.tensors, dataSize, problem);
  if (dropped > 0) out.problems.push({ kind: "malformed", message: `${dropped} further header problems were not listed (the first ${MAX_PROBLEMS} are)` });
  return out;
}

function jsonType(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof Map) return "object";
  if (typeof v === "bigint") return "number";
  return typeof v;
}

type Problem = (kind: ProblemKind, message: string, jsonPointer?: string) => void;

function tensorEntry(name: string, info: JsonValue, at: string, problem: Problem): TensorEntry | undefined {
  if (!(info instanceof Map)) {
    problem("malformed", `tensor \`${name}\` is a ${jsonType(info)}, not an object with dtype, shape and data_offsets`, at);
    return undefined;
  }
  const dtype = info.get("dtype");
  const shape = info.get("shape");
  const offsets = info.get("data_offsets");
  let ok = true;
  if (typeof dtype !== "string" || !DTYPE_BITS.has(dtype)) {
    problem("malformed", `tensor \`${name}\` has the unknown dtype ${typeof dtype === "string" ? `\`${dtype.slice(0, 40)}\`` : jsonType(dtype ?? null)}: the reference loader refuses the file`, `${at}/dtype`);
    ok = false;
  }
  if (!Array.isArray(shape) || !shape.every(isUsize)) {
    problem("malformed", `tensor \`${name}\` has a shape that is not a list of non-negative 64-bit integers`, `${at}/shape`);
    ok = false;
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isUsize)) {
    problem("malformed", `tensor \`${name}\` has data_offsets that are not two non-negative 64-bit integers`, `${at}/data_offsets`);
    ok = false;
  }
  if (!ok) return undefined;
  const [start, end] = offsets as [bigint, bigint];
  const dims = shape as bigint[];
  const entry: TensorEntry = { name, dtype: dtype as string, shape: dims, start, end };
  let elements = 1n;
  for (const d of dims) {
    elements *= d;
    if (elements > USIZE_MAX) {
      problem("overflow", `tensor \`${name}\` has the shape [${dims.join(", ")}], whose element count overflows 64 bits: size arithmetic in loaders wraps`, `${at}/shape`);
      return entry;
    }
  }
  entry.elements = elements;
  const bits = elements * BigInt(DTYPE_BITS.get(entry.dtype) ?? 8);
  if (bits > USIZE_MAX) {
    problem("overflow", `tensor \`${name}\` (${entry.dtype}, [${dims.join(", ")}]) needs ${bits} bits, past 64 bits: size arithmetic in loaders wraps`, `${at}/shape`);
  } else if (bits % 8n !== 0n) {
    problem("malformed", `tensor \`${name}\` (${entry.dtype}, [${dims.join(", ")}]) is ${bits} bits, not a whole number of bytes`, `${at}/shape`);
  } else if (end >= start && bits / 8n !== end - start) {
    problem("malformed", `tensor \`${name}\` (${entry.dtype}, [${dims.join(", ")}]) needs ${bits / 8n} bytes but its data_offsets span ${end - start}: loaders refuse it or read another tensor's bytes`, `${at}/data_offsets`);
  }
  return entry;
}

/** Sorted by offsets, tensors must tile [0, dataSize) exactly. */
function checkLayout(tensors: TensorEntry[], dataSize: bigint, problem: Problem): bigint {
  const sorted = [...tensors].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
  let cursor = 0n;
  let reportedGap = false;
  let reportedOverlap = false;
  const outside: TensorEntry[] = [];
  for (const t of sorted) {
    const at = `${pointerOf(t.name)}/data_offsets`;
    if (t.end < t.start) {
      problem("malformed", `tensor \`${t.name}\` has data_offsets [${t.start}, ${t.end}] that end before they begin`, at);
      continue;
    }
    if (t.end > dataSize) outside.push(t);
    if (t.start > cursor && !reportedGap) {
      problem("malformed", `${t.start - cursor} data bytes before tensor \`${t.name}\` (offset ${cursor}) belong to no tensor: the reference loader refuses the file, and the gap can carry a hidden payload`, at);
      reportedGap = true;
    } else if (t.start < cursor && !reportedOverlap) {
      problem("malformed", `tensor \`${t.name}\` starts at ${t.start}, inside the previous tensor (which ends at ${cursor}): overlapping tensors alias each other's data; the reference loader refuses the file`, at);
      reportedOverlap = true;
    }
    if (t.end > cursor) cursor = t.end;
  }
  const first = outside[0];
  if (first) {
    problem(
      "out-of-bounds",
      `tensor \`${first.name}\` spans data bytes ${first.start}–${first.end} but the data section has ${dataSize < 0n ? 0n : dataSize}${outside.length > 1 ? `, and ${outside.length - 1} more tensors lie past it` : ""}: loaders that map it read past the end of the file`,
      `${pointerOf(first.name)}/data_offsets`,
    );
  } else if (cursor < dataSize) {
    problem("malformed", `${dataSize - cursor} bytes follow the last tensor's data: the reference loader refuses the file (MetadataIncompleteBuffer), and trailing bytes can carry a hidden payload`);
  }
  return cursor;
}
