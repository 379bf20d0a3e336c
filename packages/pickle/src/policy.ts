import { didYouMean, type RuleCase, type Severity, type Taxonomy } from "@modelward/core";
import { validCallShapes, type CallShape } from "./call-shapes.js";

/**
 * Policy data for pickle globals, as rulesets provide it under
 * `policies.pickle`. Allow entries say why a callable is safe to resolve;
 * deny entries say what family of harm it belongs to and how severe it is.
 */
export interface PicklePolicyData {
  /** Known-safe globals, each with its reason. */
  allow?: AllowEntry[];
  /** Known-dangerous globals, each with family, severity and taxonomy. */
  deny?: DenyEntry[];
}

/**
 * How an entry's `path` matches a global (`module` + `.` + `name`):
 * - `name`: exactly this qualified name (deny: also its attributes, `builtins.eval.__call__`);
 * - `module`: the module, its submodules and every name in them;
 * - `names` (allow only): exactly `path` + `.` + each of `names` (a generated
 *   list of a module's own classes and audited functions; nothing the module
 *   merely re-exports, no submodule, no attribute of a listed name);
 * - `attribute` (deny only): any attribute segment of the name equals `path` (`x.__globals__`).
 */
export type MatchScope = "name" | "module" | "names" | "attribute";

/** A known-safe global. */
export interface AllowEntry {
  /** `collections.OrderedDict`, or a module for `scope: "module"`. */
  path: string;
  /** Default `name`. `attribute` is not allowed here. */
  scope?: "name" | "module" | "names";
  /** For `scope: "names"`: the exact names in module `path` (dotted for nested classes). */
  names?: string[];
  /** Why resolving (and calling) it is safe. */
  reason: string;
  /** Sources for the reason (library code, advisories). */
  references?: string[];
  /**
   * For a name resolver (`numpy.core._ufunc_reconstruct(module, name)` imports
   * `module` and returns its attribute `name`): the argument positions of the
   * module and the name. Calling it is then only as safe as the global it
   * resolves to, which the analyzer judges in its place; a resolver called
   * with names computed at load time is reported.
   */
  resolves?: { module: number; name: number };
  /**
   * For a reconstructor that is safe only with the arguments its library
   * pickles (`newObj(cls)` for the module's own tree classes,
   * `tzfile(None, name)`): the only call shapes judged safe. Any other call,
   * a call whose arguments cannot be seen (reached through another
   * callable), is reported as an unknown call. An empty list: the name may
   * be stored as a reference (a scorer's metric) but never called. With
   * scope `names`, the shapes hold for every listed name.
   */
  callShapes?: CallShape[];
  /**
   * For a class whose `__setstate__` runs code carried in the pickled state
   * (scipy.stats distributions `exec(self._parse_arg_template)`): the state
   * key holding that code and the only values the library itself writes.
   * Every BUILD given to an instance must carry one of them (or none); any
   * other value, or a state that cannot be read whole, is reported critical.
   */
  carriedCode?: { stateKey: string; equals: string[] };
  /** Cases: `{ input: { global: "module.name" }, fires }` (fires = judged safe by this entry). */
  cases?: RuleCase[];
}

/** A known-dangerous global. */
export interface DenyEntry {
  /** `os`, `builtins.eval`, `eval` (attribute scope). */
  path: string;
  /** Default `name`. */
  scope?: MatchScope;
  /** Harm family: code-execution, process, network, filesystem, import, nested-unpickle, code-object, gadget… */
  family: string;
  /** Severity of a finding. */
  severity: Severity;
  /** Why it is dangerous. */
  reason: string;
  /** CWE / ATLAS / OWASP ids. */
  taxonomy?: Taxonomy;
  /** Advisories and write-ups. */
  references?: string[];
  /** Cases: `{ input: { global: "module.name" }, fires }` (fires = judged dangerous by this entry). */
  cases?: RuleCase[];
}

/** The policy's judgement of a global. */
export type PolicyVerdict =
  | { verdict: "dangerous"; entry: DenyEntry; /** The part of the path that matched. */ matched: string }
  | { verdict: "safe"; entry: AllowEntry }
  | { verdict: "unknown" };

/** A problem in policy data (the entry is ignored). */
export interface PolicyProblem {
  /** `allow[3]`, `deny[12]`. */
  where: string;
  message: string;
}

// Plain builtins that only build containers and scalars: safe with or without a ruleset.
const BASELINE_SAFE = ["set", "frozenset", "dict", "list", "tuple", "slice", "range", "complex", "bytearray", "bytes", "str", "int", "float", "bool", "object"];

const SEVERITIES = new Set(["critical", "high", "medium", "low", "info"]);

// The keys of the data (pickle-policy.schema.json). An entry with another key is ignored, not half-read:
// a misspelt `callShapes` must not leave a bare allow entry that allows every call.
const POLICY_KEYS = ["allow", "deny", "$schema", "$comment"];
const ALLOW_KEYS = ["path", "scope", "names", "reason", "references", "resolves", "callShapes", "carriedCode", "cases"];
const DENY_KEYS = ["path", "scope", "family", "severity", "reason", "taxonomy", "references", "cases"];

/** `unknown key "x"` for each key of `value` not in `known`, with the likely intended one. */
export function unknownKeys(value: object, known: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !known.includes(k)).map((k) => `unknown key "${k}".${didYouMean(k, known) || ` Known: ${known.join(", ")}.`}`);
}

interface IndexedDeny { entry: DenyEntry; segs: string[] }

/**
 * Allow-first judgement of pickle globals from policy data. Deny wins over
 * allow except when an allow entry is strictly more specific than a deny
 * entry matching the same path from its start (an allowed class in a denied
 * package); a deny match reached through an attribute chain (`pathlib` +
 * `os.system`, `torch._utils` + `sys.modules`) always wins.
 */
export class PicklePolicy {
  private readonly denyByHead = new Map<string, IndexedDeny[]>();
  private readonly denyAttr = new Map<string, DenyEntry>();
  private readonly allowExact = new Map<string, AllowEntry>();
  private readonly allowModule = new Map<string, AllowEntry>();
  private readonly cache = new Map<string, PolicyVerdict>();
  /** Problems found in the data (those entries are ignored). */
  readonly problems: PolicyProblem[] = [];

  /** Builds a policy from the data of every loaded ruleset (merged in order). */
  static fromData(data: readonly unknown[]): PicklePolicy {
    const p = new PicklePolicy();
    data.forEach((d, n) => p.add(d, n));
    return p;
  }

  private constructor() {
    for (const n of BASELINE_SAFE) this.allowExact.set(`builtins.${n}`, { path: `builtins.${n}`, reason: "builds a plain container or scalar" });
  }

  private add(data: unknown, n: number): void {
    if (typeof data !== "object" || data === null) {
      this.problems.push({ where: `policy[${n}]`, message: "pickle policy must be an object with allow/deny arrays" });
      return;
    }
    const { allow = [], deny = [] } = data as PicklePolicyData;
    if (!Array.isArray(allow) || !Array.isArray(deny)) {
      this.problems.push({ where: `policy[${n}]`, message: "allow and deny must be arrays" });
      return;
    }
    for (const message of unknownKeys(data, POLICY_KEYS)) this.problems.push({ where: `policy[${n}]`, message });
    allow.forEach((e, i) => {
      const unknown = e && typeof e === "object" ? unknownKeys(e, ALLOW_KEYS) : [];
      if (unknown.length > 0) {
        for (const message of unknown) this.problems.push({ where: `policy[${n}].allow[${i}]`, message });
        return;
      }
      if (!e || typeof e.path !== "string" || !e.path || typeof e.reason !== "string" || !e.reason || (e.scope !== undefined && e.scope !== "name" && e.scope !== "module" && e.scope !== "names")) {
        this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "needs path, reason and scope name|module|names" });
        return;
      }
      if (e.callShapes !== undefined && (e.scope === "module" || !validCallShapes(e.callShapes))) {
        this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "callShapes needs scope name or names and a list of { args: [{ type: global|none|str|scalar|bytes|dict|any, … }] }" });
        return;
      }
      if (e.carriedCode !== undefined && (e.scope === "module" || !validCarriedCode(e.carriedCode))) {
        this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "carriedCode needs scope name or names and { stateKey: str, equals: [str, …] }" });
        return;
      }
      if (e.scope === "names") {
        if (!Array.isArray(e.names) || e.names.length === 0 || !e.names.every((x) => typeof x === "string" && x.length > 0)) {
          this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "scope names needs a non-empty names array of strings" });
          return;
        }
        // An entry written by hand for one of these names keeps its own reason.
        for (const x of e.names) if (!this.allowExact.has(`${e.path}.${x}`)) this.allowExact.set(`${e.path}.${x}`, e);
        return;
      }
      if (e.names !== undefined) {
        this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "names is only for scope names" });
        return;
      }
      if (e.resolves !== undefined && !(isArgIndex(e.resolves?.module) && isArgIndex(e.resolves?.name))) {
        this.problems.push({ where: `policy[${n}].allow[${i}]`, message: "resolves needs argument positions { module, name } (whole numbers from 0)" });
        return;
      }
      (e.scope === "module" ? this.allowModule : this.allowExact).set(e.path, e);
    });
    deny.forEach((e, i) => {
      const unknown = e && typeof e === "object" ? unknownKeys(e, DENY_KEYS) : [];
      if (unknown.length > 0) {
        for (const message of unknown) this.problems.push({ where: `policy[${n}].deny[${i}]`, message });
        return;
      }
      if (!e || typeof e.path !== "string" || !e.path || typeof e.reason !== "string" || typeof e.family !== "string" || !SEVERITIES.has(e.severity)) {
        this.problems.push({ where: `policy[${n}].deny[${i}]`, message: "needs path, family, severity and reason" });
        return;
      }
      if (e.scope === "attribute") {
        this.denyAttr.set(e.path, e);
        return;
      }
      const segs = e.path.split(".");
      const list = this.denyByHead.get(segs[0]!) ?? [];
      list.push({ entry: e, segs });
      this.denyByHead.set(segs[0]!, list);
    });
  }

  /** Judges the global `module` + `name` (name may be dotted). */
  evaluate(module: string, name: string): PolicyVerdict {
    const key = `${module}\n${name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const v = this.judge(module, name);
    if (this.cache.size < 100_000) this.cache.set(key, v);
    return v;
  }

  private judge(module: string, name: string): PolicyVerdict {
    const q = `${module}.${name}`;
    const segs = q.split(".");
    // Deny: the path itself, or any tail of it starting at a segment (dotted-name traversal).
    let deny: { entry: DenyEntry; at: number; len: number } | undefined;
    // Tails may start anywhere (sys.modules aliases such as six.moves.builtins live inside module
    // paths), except inside a prefix an allow entry vouches for (numpy.random._pickle is not _pickle).
    const allow = this.allowFor(module, name, q);
    const trusted = allow ? allow.len : 1;
    for (let at = 0; at < segs.length && !deny; at = at === 0 ? Math.max(1, trusted) : at + 1) {
      for (const d of this.denyByHead.get(segs[at]!) ?? []) {
        if (d.segs.length > segs.length - at) continue;
        let ok = true;
        for (let k = 1; k < d.segs.length; k++) if (d.segs[k] !== segs[at + k]) { ok = false; break; }
        if (!ok) continue;
        if (d.entry.scope === "module" || d.entry.scope === undefined || d.entry.scope === "name") {
          if (!deny || d.segs.length > deny.len) deny = { entry: d.entry, at, len: d.segs.length };
        }
      }
    }
    if (!deny) {
      // Attribute entries last: a module or name entry says more about what is reached.
      for (const s of name.split(".")) {
        const e = this.denyAttr.get(s);
        if (e) return { verdict: "dangerous", entry: e, matched: s };
      }
    }
    if (deny) {
      if (deny.at > 0 || !allow || allow.len <= deny.len) return { verdict: "dangerous", entry: deny.entry, matched: segs.slice(deny.at, deny.at + deny.len).join(".") };
    }
    return allow ? { verdict: "safe", entry: allow.entry } : { verdict: "unknown" };
  }

  /**
   * Judges attribute `attr` looked up on `module.owner` (getattr on an
   * allowed class: an Enum member, a constant): dangerous when a deny entry
   * names the attribute itself (`system`, `__globals__`, a denied top-level
   * name), else the owner's own verdict. The caller decides which lookups
   * (public names, not calls) this applies to.
   */
  evaluateAttribute(module: string, owner: string, attr: string): PolicyVerdict {
    const byAttr = this.denyAttr.get(attr);
    if (byAttr) return { verdict: "dangerous", entry: byAttr, matched: attr };
    const head = this.denyByHead.get(attr)?.find((d) => d.segs.length === 1);
    if (head) return { verdict: "dangerous", entry: head.entry, matched: attr };
    return this.evaluate(module, owner);
  }

  private allowFor(module: string, name: string, q: string): { entry: AllowEntry; len: number } | undefined {
    const exact = this.allowExact.get(q);
    if (exact) return { entry: exact, len: q.split(".").length };
    if (name.includes(".")) return undefined;
    // Module scope: a plain attribute of the module or of one of its submodules.
    let m = module;
    for (;;) {
      const e = this.allowModule.get(m);
      if (e) return { entry: e, len: m.split(".").length };
      const dot = m.lastIndexOf(".");
      if (dot < 0) return undefined;
      m = m.slice(0, dot);
    }
  }
}

function validCarriedCode(c: unknown): c is { stateKey: string; equals: string[] } {
  if (typeof c !== "object" || c === null) return false;
  const { stateKey, equals } = c as { stateKey?: unknown; equals?: unknown };
  return typeof stateKey === "string" && stateKey.length > 0 && Array.isArray(equals) && equals.length > 0 && equals.every((x) => typeof x === "string");
}

function isArgIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 16;
}
