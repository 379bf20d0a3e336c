import { DEFAULT_MARSHAL_LIMITS, MarshalError, readMarshal, type CodeLayout, type CodeObject, type MarshalLimits, type MarshalValue } from "./marshal-reader.js";

/** What a marshalled code object (and every code object nested in its constants) uses. */
export interface CodeUses {
  layout: CodeLayout;
  /** `co_names` of every code object: globals, builtins, modules and attributes, in order, deduplicated. */
  names: string[];
  /** String constants, in order, deduplicated. */
  strings: string[];
  /** Qualified names of the code objects (the lambda, then nested functions). */
  functions: string[];
  /** Bytes after the code object: `marshal.loads` ignores them, nothing Keras writes has them. */
  trailingBytes: number;
}

/** Lists kept per blob (a Lambda Keras wrote has a few dozen). */
const MAX_LISTED = 4096;

/**
 * Reads `bytes` as one marshalled code object, trying the 3.11–3.13 field
 * order, then the 3.8–3.10 one; the layouts differ in their leading int fields
 * and field types, so a blob of one fails the other's type checks.
 * Throws a MarshalError (the first layout's, when neither reads).
 */
export function readCodeUses(bytes: Uint8Array, limits: MarshalLimits = DEFAULT_MARSHAL_LIMITS): CodeUses {
  let first: MarshalError | undefined;
  for (const layout of ["3.11-3.13", "3.8-3.10"] as const) {
    try {
      const { value, end } = readMarshal(bytes, layout, limits);
      if (value.kind !== "code") throw new MarshalError(`the data is a ${value.kind}, not a code object`, 0);
      return { layout, ...collect(value.code), trailingBytes: bytes.length - end };
    } catch (e) {
      if (!(e instanceof MarshalError)) throw e;
      first ??= e;
      if (value0IsNotCode(bytes)) break; // no layout makes a non-code value a code object
    }
  }
  throw first!;
}

function value0IsNotCode(bytes: Uint8Array): boolean {
  return bytes.length === 0 || (bytes[0]! & 0x7f) !== 0x63; // 'c'
}

function collect(root: CodeObject): Omit<CodeUses, "layout" | "trailingBytes"> {
  const names = new Set<string>();
  const strings = new Set<string>();
  const functions: string[] = [];
  const seen = new Set<object>();
  // Constants share objects through marshal references, and lists or dicts can hold
  // themselves: each object is visited once, with an explicit stack (no recursion).
  const stack: Array<MarshalValue | CodeObject> = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    if ("layout" in v) {
      if (functions.length < MAX_LISTED) functions.push(v.qualname ?? v.name);
      for (const n of v.names) if (names.size < MAX_LISTED) names.add(n);
      for (let i = v.consts.length - 1; i >= 0; i--) stack.push(v.consts[i]!);
      continue;
    }
    switch (v.kind) {
      case "str": if (strings.size < MAX_LISTED) strings.add(v.value); break;
      case "code": stack.push(v.code); break;
      case "tuple": case "list": case "set": case "frozenset": for (let i = v.items.length - 1; i >= 0; i--) stack.push(v.items[i]!); break;
      case "dict": for (const [k, val] of v.entries) stack.push(val, k); break;
      case "slice": stack.push(...v.parts); break;
      default: break;
    }
  }
  return { names: [...names], strings: [...strings], functions };
}
