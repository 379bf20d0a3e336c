import { unknownKeys, type PolicyProblem } from "./policy.js";

// The keys of the data (pickle-call-semantics.schema.json); an entry with another key is ignored.
const SEMANTICS_KEYS = ["callables", "generatedFrom", "$schema", "$comment"];
const CALLABLE_KEYS = ["path", "reason", "calls", "constructs", "returns", "cases"];

/**
 * Which argument of a call is itself called or constructed, and with which
 * arguments (for the rendered chain and for judging it in turn):
 * `argsFrom` names an argument holding the argument tuple (`func(*args)`),
 * `argsList` the argument positions passed along.
 */
export interface CalledArgument {
  /** Position of the called argument. */
  arg?: number;
  /** Keyword of the called argument (`sorted(…, key=f)`). */
  kwarg?: string;
  /** Position of the tuple whose items are the arguments of the call. */
  argsFrom?: number;
  /** Positions of the arguments passed to the call. */
  argsList?: number[];
  /** The arguments from this position on are passed to the call (`cls.__new__(cls, *args)`). */
  argsRest?: number;
}

/** What calling the callable returns, when that is itself a callable the pickle may call next. */
export type CallReturns =
  /** `functools.partial(f, …)`: calling the result calls argument `partial`. */
  | { partial: number }
  /** `getattr(obj, name)`: the attribute `name` of `obj`. */
  | { attribute: { object: number; name: number } };

/** One callable's semantics, with the reason from its source. */
export interface CallSemanticsEntry {
  /** Exact qualified name (`torch._tensor._rebuild_from_type_v2`). */
  path: string;
  /** Where in the library's source the call happens. */
  reason: string;
  /** Arguments it calls. */
  calls?: CalledArgument[];
  /** Arguments it constructs (calls `cls.__new__` / `__init__`). */
  constructs?: CalledArgument[];
  /** What its result resolves to when called. */
  returns?: CallReturns;
  /** Cases the analyzer's tests run: `{ input: { call, args: { position: global } }, fires }`. */
  cases?: unknown[];
}

/** Data of the `pickle-calls` policy namespace. */
export interface CallSemanticsData {
  callables?: CallSemanticsEntry[];
}

const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 64;

function validArgument(a: unknown): a is CalledArgument {
  if (typeof a !== "object" || a === null) return false;
  const c = a as CalledArgument;
  if ((c.arg === undefined) === (c.kwarg === undefined)) return false;
  if (c.arg !== undefined && !isIndex(c.arg)) return false;
  if (c.kwarg !== undefined && typeof c.kwarg !== "string") return false;
  if (c.argsFrom !== undefined && !isIndex(c.argsFrom)) return false;
  if (c.argsRest !== undefined && !isIndex(c.argsRest)) return false;
  if (c.argsList !== undefined && !(Array.isArray(c.argsList) && c.argsList.every(isIndex))) return false;
  return true;
}

function validReturns(r: unknown): r is CallReturns {
  if (typeof r !== "object" || r === null) return false;
  if ("partial" in r) return isIndex((r as { partial: unknown }).partial);
  if ("attribute" in r) {
    const a = (r as { attribute: { object?: unknown; name?: unknown } }).attribute;
    return typeof a === "object" && a !== null && isIndex(a.object) && isIndex(a.name);
  }
  return false;
}

/**
 * The call semantics of every loaded ruleset, by exact qualified name. Only
 * exact names: a module never vouches for what its attributes call.
 */
export class CallSemantics {
  private readonly byPath = new Map<string, CallSemanticsEntry>();
  /** Problems found in the data (those entries are ignored). */
  readonly problems: PolicyProblem[] = [];

  /** Builds the semantics from the `pickle-calls` data of every loaded ruleset (later ones win). */
  static fromData(data: readonly unknown[]): CallSemantics {
    const s = new CallSemantics();
    data.forEach((d, n) => s.add(d, n));
    return s;
  }

  private add(data: unknown, n: number): void {
    const list = (data as CallSemanticsData | null)?.callables;
    if (!Array.isArray(list)) {
      this.problems.push({ where: `pickle-calls[${n}]`, message: "must be an object with a callables array" });
      return;
    }
    for (const message of unknownKeys(data as object, SEMANTICS_KEYS)) this.problems.push({ where: `pickle-calls[${n}]`, message });
    list.forEach((e, i) => {
      const where = `pickle-calls[${n}].callables[${i}]`;
      const unknown = e && typeof e === "object" ? unknownKeys(e, CALLABLE_KEYS) : [];
      if (unknown.length > 0) {
        for (const message of unknown) this.problems.push({ where, message });
        return;
      }
      const ok =
        e && typeof e.path === "string" && e.path.includes(".") && typeof e.reason === "string" && e.reason !== "" &&
        (e.calls === undefined || (Array.isArray(e.calls) && e.calls.every(validArgument))) &&
        (e.constructs === undefined || (Array.isArray(e.constructs) && e.constructs.every(validArgument))) &&
        (e.returns === undefined || validReturns(e.returns)) &&
        (e.calls !== undefined || e.constructs !== undefined || e.returns !== undefined);
      if (!ok) {
        this.problems.push({ where, message: "needs an exact dotted path, a reason and calls/constructs/returns in the documented shape" });
        return;
      }
      this.byPath.set(e.path, e);
    });
  }

  /** The semantics of the callable `module` + `.` + `name`, if any. */
  get(module: string, name: string): CallSemanticsEntry | undefined {
    return this.byPath.get(`${module}.${name}`);
  }

  /** Number of callables described. */
  get size(): number {
    return this.byPath.size;
  }
}
