/**
 * Parsing of the newline-terminated arguments of protocol-0 opcodes exactly
 * as CPython's C unpickler does (`Modules/_pickle.c`: load_int, load_long,
 * load_float, load_string, load_unicode), not as `pickletools` does: every
 * difference is a place where a scanner stops and the loader goes on
 * (`I0x10\n` is valid to `strtol(s, &end, 0)` but not to `int(s)`).
 * Each function returns the value or an error message; the line excludes '\n'.
 */

/** A parse that failed the way the unpickler would. */
export interface ArgError { error: string }

// C strings end at the first NUL: `_Unpickler_CopyLine` hands strtol/PyLong_FromString a C string.
function cString(line: Uint8Array): string {
  const nul = line.indexOf(0);
  const bytes = nul >= 0 ? line.subarray(0, nul) : line;
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const C_SPACE = /^[ \t\n\v\f\r]*/;

// strtol(s, &end, 0): optional space, sign, 0x/0X hex, leading-0 octal, else decimal.
// Returns the value and the index where parsing stopped (0 when nothing parsed).
function strtol0(s: string): { value: bigint; end: number } {
  let i = C_SPACE.exec(s)![0].length;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") {
    neg = s[i] === "-";
    i++;
  }
  let base = 10;
  let digits = "";
  if (s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && /[0-9a-fA-F]/.test(s[i + 2] ?? "")) {
    base = 16;
    i += 2;
    while (i < s.length && /[0-9a-fA-F]/.test(s[i]!)) digits += s[i++];
  } else if (s[i] === "0") {
    base = 8;
    while (i < s.length && /[0-7]/.test(s[i]!)) digits += s[i++];
  } else {
    while (i < s.length && /[0-9]/.test(s[i]!)) digits += s[i++];
  }
  if (digits === "") return { value: 0n, end: 0 };
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "";
  const v = BigInt(prefix + digits);
  return { value: neg ? -v : v, end: i };
}

// Python int(s, base) grammar for PyLong_FromString: surrounding whitespace, sign, underscores between digits.
const PY_INT_BASE0 = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/;
const PY_INT_BASE10 = /^[ \t\n\v\f\r]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/;

function pyInt(s: string, base0: boolean): bigint | undefined {
  const m = (base0 ? PY_INT_BASE0 : PY_INT_BASE10).exec(s);
  if (!m) return undefined;
  let body = m[2]!.replace(/_/g, "");
  if (!base0) body = body.replace(/^0+(?=\d)/, "");
  else if (/^0[0-9]/.test(body)) body = "0";
  const v = BigInt(body);
  return m[1] === "-" ? -v : v;
}

function small(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** INT: `strtol(s, &end, 0)`, falling back to `int(s, 0)`; `I00`/`I01` are False/True. */
export function parseIntArg(line: Uint8Array): number | bigint | boolean | ArgError {
  if (line.length < 1) return { error: "pickle data was truncated" };
  const s = cString(line);
  // A line that starts with NUL is the empty C string: strtol leaves endptr on the NUL and succeeds with 0.
  const { value, end } = s === "" ? { value: 0n, end: 0 } : strtol0(s);
  const overflow = value < LONG_MIN || value > LONG_MAX;
  if (end === s.length && !overflow) {
    // len == 3 counts the newline: exactly two characters parsing to 0 or 1 are a bool.
    if (line.length === 2 && (value === 0n || value === 1n)) return value === 1n;
    return small(value);
  }
  const v = pyInt(s, true);
  if (v === undefined) return { error: "could not convert string to int" };
  return small(v);
}

/** LONG: a trailing `L` is dropped, then `PyLong_FromString(s, NULL, 0)`: base 0, so `L0x10` is 16. */
export function parseLongArg(line: Uint8Array): number | bigint | ArgError {
  let bytes = line;
  if (bytes.length > 0 && bytes[bytes.length - 1] === 0x4c) bytes = bytes.subarray(0, bytes.length - 1);
  const v = pyInt(cString(bytes), true);
  if (v === undefined) return { error: "invalid literal for int() with base 0" };
  return small(v);
}

const FLOAT_PREFIX = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)/i;

/** FLOAT: `PyOS_string_to_double`, which must stop at the newline or a NUL. */
export function parseFloatArg(line: Uint8Array): number | ArgError {
  const s = cString(line);
  const m = FLOAT_PREFIX.exec(s);
  if (!m || m[0].length !== s.length) return { error: "could not convert string to float" };
  const t = m[0].toLowerCase().replace(/^([+-]?)inf(inity)?$/, "$1Infinity");
  if (/nan$/.test(t)) return NaN;
  const v = Number(t);
  // A finite literal that overflows a double raises OverflowError (PyOS_string_to_double with an exception).
  if (!Number.isFinite(v) && !/infinity$/i.test(t)) return { error: "value too large to convert to float" };
  return v;
}

/** Long-form little-endian two's-complement integer (LONG1/LONG4), bounded by the caller. */
export function decodeLongBytes(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return small(v);
}

/**
 * STRING: the argument must be wrapped in matching quotes (`'…'` or `"…"`),
 * then escapes are decoded like `PyBytes_DecodeEscape`. Returned as latin-1
 * text (the default `encoding='ASCII'` would make non-ASCII fail; the VM is
 * lenient there, which can only over-report).
 */
export function parseStringArg(line: Uint8Array): string | ArgError {
  if (line.length < 2 || line[0] !== line[line.length - 1] || (line[0] !== 0x27 && line[0] !== 0x22)) {
    return { error: "the STRING opcode argument must be quoted" };
  }
  const body = line.subarray(1, line.length - 1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    if (++i >= body.length) return { error: "Trailing \\ in string" };
    const e = String.fromCharCode(body[i]!);
    const simple: Record<string, string> = { "\n": "", "\\": "\\", "'": "'", '"': '"', b: "\b", f: "\f", t: "\t", n: "\n", r: "\r", v: "\v", a: "\x07" };
    if (e in simple) out += simple[e];
    else if (e >= "0" && e <= "7") {
      let oct = e;
      while (oct.length < 3 && i + 1 < body.length && body[i + 1]! >= 0x30 && body[i + 1]! <= 0x37) oct += String.fromCharCode(body[++i]!);
      out += String.fromCharCode(parseInt(oct, 8) & 0xff);
    } else if (e === "x") {
      const hex = String.fromCharCode(body[i + 1] ?? 0, body[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `invalid \\x escape at position ${i - 1}` };
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += "\\" + e;
  }
  return out;
}

/** UNICODE: raw-unicode-escape (`\uXXXX`, `\UXXXXXXXX`; every other byte is latin-1). */
export function parseUnicodeArg(line: Uint8Array): string | ArgError {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === 0x5c && (line[i + 1] === 0x75 || line[i + 1] === 0x55)) {
      // Only an odd run of backslashes escapes (raw-unicode-escape decoder).
      let run = 1;
      while (i - run >= 0 && line[i - run] === 0x5c) run++;
      if (run % 2 === 1) {
        const n = line[i + 1] === 0x75 ? 4 : 8;
        let hex = "";
        for (let k = 0; k < n; k++) hex += String.fromCharCode(line[i + 2 + k] ?? 0);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return { error: `truncated \\${n === 4 ? "uXXXX" : "UXXXXXXXX"} escape` };
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) return { error: "\\Uxxxxxxxx out of range" };
        out += String.fromCodePoint(cp);
        i += 1 + n;
        continue;
      }
    }
    out += String.fromCharCode(c);
  }
  return out;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const LENIENT_UTF8 = new TextDecoder("utf-8", { fatal: false });

/** Strict UTF-8 (GLOBAL/INST names: `PyUnicode_DecodeUTF8(…, "strict")`). */
export function decodeUtf8Strict(bytes: Uint8Array): string | ArgError {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return { error: "'utf-8' codec can't decode the name" };
  }
}

/** BINUNICODE family (`surrogatepass`): never fails here, so the VM never stops where CPython goes on. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
  if (ascii) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return LENIENT_UTF8.decode(bytes);
}

/** True when a parse result is an error. */
export function isArgError(v: unknown): v is ArgError {
  return typeof v === "object" && v !== null && "error" in v;
}

/** Parses a decimal memo index of PUT/GET as `int(s, 10)` does. */
export function parseMemoIndex(line: Uint8Array): number | ArgError {
  const v = pyInt(cString(line), false);
  if (v === undefined) return { error: "invalid literal for int() with base 10" };
  if (v < 0n) return { error: "negative PUT argument" };
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return { error: "memo index too large" };
  return Number(v);
}
