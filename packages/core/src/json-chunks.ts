/**
 * `JSON.stringify(value, null, indent)` as a sequence of chunks, for outputs
 * too large for one string (V8 caps a string near 512 MB: a report of a zip
 * with thousands of 60 KB member names passes it). The text is identical to
 * `JSON.stringify`'s. Containers down to `splitDepth` are written piece by
 * piece; anything deeper is stringified whole, so each chunk stays as small
 * as one file entry or one result.
 */
export function* jsonChunks(value: unknown, indent = 2, splitDepth = 3): Generator<string> {
  yield* chunksOf(value, indent, 0, splitDepth, "");
}

function* chunksOf(value: unknown, indent: number, depth: number, splitDepth: number, key: string): Generator<string> {
  const v = toJsonValue(value, key);
  const pad = indent > 0 ? "\n" + " ".repeat(indent * depth) : "";
  const inner = indent > 0 ? "\n" + " ".repeat(indent * (depth + 1)) : "";
  const sep = indent > 0 ? ": " : ":";
  if (depth >= splitDepth || v === null || typeof v !== "object") {
    const text = JSON.stringify(v, null, indent);
    // Re-indent a subtree stringified at depth 0 to where it sits. JSON strings hold no raw newline.
    yield indent > 0 && depth > 0 ? text.replace(/\n/g, pad) : text;
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return yield "[]";
    yield "[";
    for (let i = 0; i < v.length; i++) {
      yield (i ? "," : "") + inner;
      const item = toJsonValue(v[i], String(i));
      yield* chunksOf(item === undefined || typeof item === "function" || typeof item === "symbol" ? null : item, indent, depth + 1, splitDepth, String(i));
    }
    yield pad + "]";
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => [k, toJsonValue(x, k)] as const)
    .filter(([, x]) => x !== undefined && typeof x !== "function" && typeof x !== "symbol");
  if (entries.length === 0) return yield "{}";
  yield "{";
  let first = true;
  for (const [k, x] of entries) {
    const head = (first ? "" : ",") + inner + JSON.stringify(k) + sep;
    first = false;
    // Scalars and empty containers (most fields of a file entry) need no generator of their own.
    if (isAtom(x)) yield head + JSON.stringify(x);
    else {
      yield head;
      yield* chunksOf(x, indent, depth + 1, splitDepth, k);
    }
  }
  yield pad + "}";
}

/** A value whose JSON text is the same at any depth: a scalar, `[]` or `{}` (already through toJSON). */
function isAtom(x: unknown): boolean {
  if (x === null || typeof x !== "object") return true;
  if (typeof (x as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(x)) return x.length === 0;
  for (const _ in x) return false;
  return true;
}

function toJsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function")
    return (value as { toJSON(k: string): unknown }).toJSON(key);
  return value;
}
