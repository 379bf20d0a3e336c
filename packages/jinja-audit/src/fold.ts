/**
 * Constant folding of Jinja expressions: what a string expression evaluates to
 * when every part of it is a constant. SSTI payloads hide names such as
 * `__class__` behind `~` concatenation, `|join`, `|format`, `%`, `|replace`,
 * `|reverse`, reversed slices and `dict(__cla=1, ss__=2)|join`; folding shows
 * the name the renderer would build. Nothing is rendered: only a small, pure
 * subset of Jinja is evaluated, with the size of every result bounded.
 */

/** A folded constant. `undefined` (outside this type) means "not a constant". */
export type Folded = string | number | boolean | null | Folded[];

/** AST nodes as `@huggingface/jinja` builds them; only the fields folding reads. */
export interface JNode {
  type: string;
  [key: string]: unknown;
}

/** Longest folded string kept: past it folding gives up (a template is not a string factory). */
const MAX_FOLDED = 4096;
const MAX_DEPTH = 64;

/** Constant bindings visible to folding (`{% set x = 'os' %}`). */
export type Bindings = ReadonlyMap<string, Folded>;

function isNode(v: unknown): v is JNode {
  return typeof v === "object" && v !== null && typeof (v as JNode).type === "string";
}

function bounded(s: string): string | undefined {
  return s.length <= MAX_FOLDED ? s : undefined;
}

/** Python's `str()` of a folded value, for `~`, `|string`, `%s`. */
export function pyStr(v: Folded): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (Array.isArray(v)) return "[" + v.map((x) => (typeof x === "string" ? `'${x}'` : pyStr(x))).join(", ") + "]";
  return String(v);
}

/** Python `%` formatting for the conversions payloads use (`%s`, `%c`, `%d`, `%x`, `%r`). */
function percentFormat(fmt: string, args: Folded[]): string | undefined {
  let i = 0;
  let bad = false;
  const out = fmt.replace(/%([-#0 +]*\d*(?:\.\d+)?)([sdircxXo%])/g, (_m, _flags: string, conv: string) => {
    if (conv === "%") return "%";
    const a = args[i++];
    if (a === undefined) {
      bad = true;
      return "";
    }
    switch (conv) {
      case "c":
        return typeof a === "number" && a >= 0 && a <= 0x10ffff ? String.fromCodePoint(a) : typeof a === "string" ? a : ((bad = true), "");
      case "d":
      case "i":
        return typeof a === "number" ? String(Math.trunc(a)) : ((bad = true), "");
      case "x":
        return typeof a === "number" ? Math.trunc(a).toString(16) : ((bad = true), "");
      case "X":
        return typeof a === "number" ? Math.trunc(a).toString(16).toUpperCase() : ((bad = true), "");
      case "o":
        return typeof a === "number" ? Math.trunc(a).toString(8) : ((bad = true), "");
      case "r":
        return typeof a === "string" ? `'${a}'` : pyStr(a);
      default:
        return pyStr(a);
    }
  });
  return bad ? undefined : out;
}

/** `str.format` with positional and keyword fields, no attribute lookups (those are reported elsewhere). */
function braceFormat(fmt: string, args: Folded[], kwargs: Map<string, Folded>): string | undefined {
  let auto = 0;
  let bad = false;
  const out = fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(![rsa])?(:[^{}]*)?\}/g, (m, field: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const key = field ?? "";
    let v: Folded | undefined;
    if (key === "") v = args[auto++];
    else if (/^\d+$/.test(key)) v = args[Number(key)];
    else v = kwargs.get(key);
    if (v === undefined) {
      bad = true;
      return "";
    }
    return pyStr(v);
  });
  return bad ? undefined : out;
}

/** Python slice semantics on a string or list. */
function slice<T>(seq: T[], start: number | undefined, stop: number | undefined, step: number): T[] | undefined {
  if (step === 0) return undefined;
  const n = seq.length;
  const norm = (v: number | undefined, dflt: number, lo: number, hi: number) => {
    if (v === undefined) return dflt;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: T[] = [];
  if (step > 0) {
    const a = norm(start, 0, 0, n);
    const b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += step) out.push(seq[i] as T);
  } else {
    const a = norm(start, n - 1, -1, n - 1);
    const b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += step) out.push(seq[i] as T);
  }
  return out;
}

function asInt(v: Folded | undefined): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

/** Fold a keyword-argument list into a map; undefined when a value is not constant. */
function kwargsOf(args: unknown[], bindings: Bindings, depth: number): { pos: Folded[]; kw: Map<string, Folded> } | undefined {
  const pos: Folded[] = [];
  const kw = new Map<string, Folded>();
  for (const a of args) {
    if (!isNode(a)) return undefined;
    if (a.type === "KeywordArgumentExpression") {
      const key = (a.key as JNode).value as string;
      const v = fold(a.value as JNode, bindings, depth + 1);
      if (v === undefined) return undefined;
      kw.set(key, v);
    } else {
      const v = fold(a, bindings, depth + 1);
      if (v === undefined) return undefined;
      pos.push(v);
    }
  }
  return { pos, kw };
}

/** Apply a filter (or a same-named string method) to a folded value. */
function applyFilter(name: string, v: Folded, args: Folded[], kw: Map<string, Folded>): Folded | undefined {
  switch (name) {
    case "join": {
      const sep = args[0] ?? kw.get("d") ?? "";
      if (typeof sep !== "string") return undefined;
      const items = typeof v === "string" ? [...v] : Array.isArray(v) ? v : undefined;
      return items && bounded(items.map(pyStr).join(sep));
    }
    case "format":
      return typeof v === "string" ? percentFormat(v, args) : undefined;
    case "replace": {
      const [a, b] = args;
      if (typeof v !== "string" || typeof a !== "string" || typeof b !== "string") return undefined;
      return bounded(a === "" ? v : v.split(a).join(b));
    }
    case "reverse":
      return typeof v === "string" ? [...v].reverse().join("") : Array.isArray(v) ? [...v].reverse() : undefined;
    case "lower":
      return typeof v === "string" ? v.toLowerCase() : undefined;
    case "upper":
      return typeof v === "string" ? v.toUpperCase() : undefined;
    case "string":
      return bounded(pyStr(v));
    case "trim":
    case "strip":
      return typeof v === "string" ? v.trim() : undefined;
    case "first":
      return typeof v === "string" ? v.slice(0, 1) : Array.isArray(v) ? v[0] : undefined;
    case "last":
      return typeof v === "string" ? v.slice(-1) : Array.isArray(v) ? v[v.length - 1] : undefined;
    case "list":
      return typeof v === "string" ? [...v] : Array.isArray(v) ? v : undefined;
    case "sort":
      return Array.isArray(v) && v.every((x) => typeof x === "string") ? [...(v as string[])].sort() : undefined;
    case "title":
    case "capitalize":
      return typeof v === "string" ? v : undefined;
    default:
      return undefined;
  }
}

/** String methods called as `'x'.join([...])`, `'{}'.format(...)`. */
function applyMethod(name: string, v: Folded, args: Folded[], kw: Map<string, Folded>): Folded | undefined {
  if (typeof v !== "string") return undefined;
  switch (name) {
    case "join": {
      const items = args[0];
      const list = typeof items === "string" ? [...items] : Array.isArray(items) ? items : undefined;
      return list && bounded(list.map(pyStr).join(v));
    }
    case "format":
      return braceFormat(v, args, kw);
    case "replace":
    case "lower":
    case "upper":
      return applyFilter(name, v, args, kw);
    case "strip":
      return v.trim();
    case "decode":
    case "encode":
      return v;
    default:
      return undefined;
  }
}

/**
 * The constant an expression evaluates to, or `undefined` when any part of it
 * depends on data (messages, tools…) or on something folding does not model.
 */
export function fold(node: JNode, bindings: Bindings, depth = 0): Folded | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case "StringLiteral":
    case "IntegerLiteral":
    case "FloatLiteral":
      return node.value as string | number;
    case "BooleanLiteral":
      return node.value as boolean;
    case "Identifier": {
      const name = node.value as string;
      if (name === "true" || name === "True") return true;
      if (name === "false" || name === "False") return false;
      if (name === "none" || name === "None") return null;
      return bindings.get(name);
    }
    case "ArrayLiteral":
    case "TupleLiteral": {
      const out: Folded[] = [];
      for (const item of node.value as JNode[]) {
        const v = fold(item, bindings, depth + 1);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case "BinaryExpression": {
      const op = (node.operator as { value: string }).value;
      const l = fold(node.left as JNode, bindings, depth + 1);
      if (l === undefined) return undefined;
      const r = fold(node.right as JNode, bindings, depth + 1);
      if (r === undefined) return undefined;
      if (op === "~") return bounded(pyStr(l) + pyStr(r));
      if (op === "+") {
        if (typeof l === "string" && typeof r === "string") return bounded(l + r);
        if (typeof l === "number" && typeof r === "number") return l + r;
        if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
        return undefined;
      }
      if (op === "%" && typeof l === "string") return percentFormat(l, Array.isArray(r) ? r : [r]);
      if (op === "*" && typeof l === "string" && typeof r === "number" && r >= 0 && l.length * r <= MAX_FOLDED) return l.repeat(r);
      if (typeof l === "number" && typeof r === "number") {
        if (op === "-") return l - r;
        if (op === "*") return l * r;
      }
      return undefined;
    }
    case "FilterExpression": {
      const operand = fold(node.operand as JNode, bindings, depth + 1);
      if (operand === undefined) return undefined;
      const f = node.filter as JNode;
      if (f.type === "Identifier") return applyFilter(f.value as string, operand, [], new Map());
      if (f.type === "CallExpression" && (f.callee as JNode).type === "Identifier") {
        const a = kwargsOf(f.args as unknown[], bindings, depth);
        return a && applyFilter((f.callee as JNode).value as string, operand, a.pos, a.kw);
      }
      return undefined;
    }
    case "MemberExpression": {
      if (!node.computed) return undefined;
      const obj = fold(node.object as JNode, bindings, depth + 1);
      if (obj === undefined || (typeof obj !== "string" && !Array.isArray(obj))) return undefined;
      const prop = node.property as JNode;
      const seq: Folded[] = typeof obj === "string" ? [...obj] : obj;
      if (prop.type === "SliceExpression") {
        const part = (k: string) => (prop[k] === undefined || prop[k] === null ? undefined : asInt(fold(prop[k] as JNode, bindings, depth + 1)));
        for (const k of ["start", "stop", "step"]) if (prop[k] != null && part(k) === undefined) return undefined;
        const out = slice(seq, part("start"), part("stop"), part("step") ?? 1);
        if (out === undefined) return undefined;
        return typeof obj === "string" ? out.join("") : out;
      }
      const i = asInt(fold(prop, bindings, depth + 1));
      if (i === undefined) return undefined;
      const v = seq[i < 0 ? i + seq.length : i];
      return v;
    }
    case "CallExpression": {
      const callee = node.callee as JNode;
      const a = kwargsOf(node.args as unknown[], bindings, depth);
      if (!a) return undefined;
      if (callee.type === "Identifier" && callee.value === "dict") {
        // dict(__cla=1, ss__=2)|join gives the keys: a classic filter-evasion trick.
        return [...a.kw.keys()];
      }
      if (callee.type === "MemberExpression" && !callee.computed) {
        const obj = fold(callee.object as JNode, bindings, depth + 1);
        if (obj === undefined) return undefined;
        return applyMethod((callee.property as JNode).value as string, obj, a.pos, a.kw);
      }
      return undefined;
    }
    case "Ternary":
      return undefined;
    default:
      return undefined;
  }
}

/** Every string inside a folded value (a list's items included). */
export function stringsOf(v: Folded): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(stringsOf);
  return [];
}
