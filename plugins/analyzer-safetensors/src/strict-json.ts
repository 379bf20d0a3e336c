/**
 * A strict RFC 8259 JSON reader for safetensors headers. `JSON.parse` would
 * do for validity, but it silently keeps the last of duplicate keys and rounds
 * integers past 2^53; the reference loader (serde_json into `usize`) reads
 * offsets and dimensions exactly, and other readers disagree on duplicates.
 * So integers without fraction or exponent come back as `bigint`, and every
 * duplicate key is recorded with its JSON pointer.
 */

/** A parsed value: integers as bigint, other numbers as number. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
/** An object keeps its entries in order; `Map` so `__proto__` is an ordinary key. */
export type JsonObject = Map<string, JsonValue>;

/** A duplicate key and where it is. */
export interface JsonDuplicate {
  pointer: string;
  key: string;
}

export type StrictJsonResult =
  | { ok: true; value: JsonValue; duplicates: JsonDuplicate[]; trailing: number }
  | { ok: false; message: string; offset: number };

// Real headers are two levels deep (name -> info -> shape); 64 is generous and keeps recursion bounded.
const MAX_DEPTH = 64;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Parses `text` strictly. Trailing whitespace is allowed (safetensors writers
 * pad the header with spaces to align the data); `trailing` counts it.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let i = 0;
  const duplicates: JsonDuplicate[] = [];
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, i);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail("unterminated string");
      if (c === 0x22) break;
      if (c < 0x20) fail("control character in a string");
      if (c === 0x5c) i++;
      i++;
    }
    i++;
    // The slice is a complete, control-free string literal: JSON.parse decodes its escapes (and rejects bad ones).
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail("invalid escape in a string");
    }
  };
  const num = (): number | bigint => {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("invalid number");
    i += m[0].length;
    return m[1] === undefined && m[2] === undefined ? BigInt(m[0]) : Number(m[0]);
  };
  const value = (pointer: string, depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: JsonObject = new Map();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a string key");
        const key = str();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        const child = `${pointer}/${escapePointer(key)}`;
        const v = value(child, depth + 1);
        if (obj.has(key)) duplicates.push({ pointer: child, key });
        obj.set(key, v);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${pointer}/${arr.length}`, depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return num();
    return fail(c === undefined ? "unexpected end of the header" : `unexpected character ${JSON.stringify(c)}`);
  };
  try {
    const v = value("", 0);
    const end = i;
    ws();
    if (i < text.length) fail("data after the JSON value");
    return { ok: true, value: v, duplicates, trailing: i - end };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}
