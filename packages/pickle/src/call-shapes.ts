import { isKind, type PickleValue } from "./values.js";

/**
 * One argument of an audited call shape. A reconstructor such as
 * `sklearn.neighbors._kd_tree.newObj(cls)` (`cls.__new__(cls)`) or
 * `dateutil.tz.tz.tzfile(None, name)` is harmless only with the arguments the
 * library itself pickles; the same name with other arguments is a gadget
 * (`tzfile('/etc/shadow')` opens the path). Values an argument holds are
 * still judged on their own (a dict's values, a global's policy verdict).
 */
export type ArgPattern =
  /** Exactly one of these globals (`module.name`). */
  | { type: "global"; names: string[] }
  /** A global defined directly in this module (`module.Name`, not a dotted attribute): a module's own classes. */
  | { type: "global"; module: string }
  /** `None`. */
  | { type: "none" }
  /** A str. */
  | { type: "str" }
  /** A plain value: None, a bool, an int, a float or a str (an Enum's value: `HTTPStatus(200)`). */
  | { type: "scalar" }
  /** A plain dict built by the pickle (not a call result); with `keys`, only str keys from that list. */
  | { type: "dict"; keys?: string[] }
  /**
   * A bytes constant written in the stream: BINBYTES/SHORT_BINBYTES/BINBYTES8, or the
   * `_codecs.encode(str, 'latin1')` protocols 0–2 write for bytes under Python 3 (never a bytearray
   * or a value computed by any other call).
   */
  | { type: "bytes" }
  /** Anything (judged on its own). */
  | { type: "any" };

/** The positional arguments of one safe call, exactly (no more, no fewer, no keywords). */
export interface CallShape {
  args: ArgPattern[];
}

/** True when `p` has the documented shape (policy data is validated before use). */
export function validArgPattern(p: unknown): p is ArgPattern {
  if (typeof p !== "object" || p === null) return false;
  const a = p as Record<string, unknown>;
  switch (a.type) {
    case "global":
      if (a.names !== undefined) return a.module === undefined && Array.isArray(a.names) && a.names.length > 0 && a.names.every((n) => typeof n === "string" && n.includes("."));
      return typeof a.module === "string" && a.module.length > 0;
    case "dict":
      return a.keys === undefined || (Array.isArray(a.keys) && a.keys.every((k) => typeof k === "string"));
    case "none":
    case "str":
    case "scalar":
    case "bytes":
    case "any":
      return true;
    default:
      return false;
  }
}

/** True when `s` is a list of call shapes (an empty list: the name may be referenced, never called). */
export function validCallShapes(s: unknown): s is CallShape[] {
  return Array.isArray(s) && s.every((c) => typeof c === "object" && c !== null && Array.isArray((c as CallShape).args) && (c as CallShape).args.length <= 16 && (c as CallShape).args.every(validArgPattern));
}

function matchesArg(v: PickleValue, p: ArgPattern): boolean {
  switch (p.type) {
    case "any":
      return true;
    case "none":
      return v === null;
    case "str":
      return typeof v === "string" || isKind(v, "longstr");
    case "scalar":
      return v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" || typeof v === "string" || isKind(v, "float") || isKind(v, "longstr");
    case "bytes":
      if (isKind(v, "bytes")) return v.type === "bytes";
      return (
        isKind(v, "call") &&
        isKind(v.callee, "global") &&
        v.callee.module === "_codecs" &&
        v.callee.name === "encode" &&
        v.args.length === 2 &&
        (typeof v.args[0] === "string" || isKind(v.args[0]!, "longstr")) &&
        v.args[1] === "latin1" &&
        (v.kwargs === undefined || (isKind(v.kwargs, "dict") && v.kwargs.count === 0))
      );
    case "dict":
      if (!isKind(v, "dict")) return false;
      return p.keys === undefined || (v.count === v.keys.length && v.keys.every((k) => typeof k === "string" && p.keys!.includes(k)));
    case "global":
      if (!isKind(v, "global")) return false;
      if ("names" in p) return p.names.includes(`${v.module}.${v.name}`);
      return v.module === p.module && !v.name.includes(".");
  }
}

/**
 * True when the call `args` (positional, as the VM recorded them) with
 * keywords `kwargs` matches one of `shapes`. Keywords never match (no audited
 * shape takes any); an argument the VM could not see (a tuple longer than it
 * keeps) is an unknown value and matches only `any`.
 */
export function matchesCallShape(shapes: readonly CallShape[], args: readonly PickleValue[], kwargs?: PickleValue): boolean {
  if (kwargs !== undefined && !(isKind(kwargs, "dict") && kwargs.count === 0)) return false;
  return shapes.some((s) => s.args.length === args.length && s.args.every((p, i) => matchesArg(args[i]!, p)));
}

/** `KDTree`, `None`, `a str`…: a shape as people read it, for messages. */
export function describeCallShapes(path: string, shapes: readonly CallShape[]): string {
  if (shapes.length === 0) return `${path} is allowed as a stored reference only, never called`;
  const arg = (p: ArgPattern): string => {
    switch (p.type) {
      case "global":
        return "names" in p ? p.names.join(" | ") : `a class of ${p.module}`;
      case "none":
        return "None";
      case "str":
        return "a str";
      case "scalar":
        return "a plain value";
      case "dict":
        return p.keys ? `a dict of ${p.keys.join("/")}` : "a dict";
      case "bytes":
        return "a bytes constant";
      case "any":
        return "any value";
    }
  };
  return `${path} is allowed only as ${shapes.map((s) => `${path}(${s.args.map(arg).join(", ")})`).join(" or ")}`;
}
