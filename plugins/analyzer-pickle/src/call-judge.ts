import { dictGet, isKind, render, type CallSemantics, type CalledArgument, type PCall, type PGlobal, type PickleRunResult, type PickleValue } from "@modelward/pickle";

/** What a value used as a callable turns out to be. */
export type Resolved =
  /**
   * A global (real, or reached through getattr): `module` + `.` + `name`.
   * `instance`: an attribute looked up on an instance of the class
   * `module.name`'s owner (`getattr(Cls.__new__(Cls), 'x')`), which only an
   * exact policy entry may allow.
   */
  | { kind: "global"; module: string; name: string; instance?: boolean }
  /** Computed at load time: a call's result, an unknown value, an extension code. */
  | { kind: "dynamic" }
  /** Not callable (a str, a number, a container): calling it fails, nothing runs. */
  | { kind: "inert" };

/** A global that a call chain reaches, with the chain as evidence. */
export interface Reached {
  module: string;
  name: string;
  /** Offset of the call that starts the chain. */
  offset: number;
  /** Whether it is called (or constructed), not only looked up. */
  called: boolean;
  /** The rendered chain: `torch._tensor._rebuild_from_type_v2(…) calls os.system('echo x')`. */
  chain: string;
  /** Looked up on an instance (`getattr(obj, 'x')`, a bound method stored as data), not on the class. */
  instance?: boolean;
}

/** A global called by another callable (`_rebuild_from_type_v2(f, …, args)` calls `f(*args)`). */
export interface IndirectCall {
  module: string;
  name: string;
  /** Its positional arguments, when they can be seen. */
  args: PickleValue[] | undefined;
  offset: number;
  chain: string;
}

/** A call whose callable is computed at load time, reached through a callable's semantics. */
export interface DynamicReach {
  offset: number;
  chain: string;
}

/** Everything {@link judgeCalls} found. */
export interface CallJudgement {
  /** Globals reached through getattr/partial and called arguments, by qualified name (first chain kept). */
  reached: Map<string, Reached>;
  /** Called arguments that are computed at load time. */
  dynamic: DynamicReach[];
  /** Calls whose computed callable resolved to a global (judged as that global instead of as dynamic), with that global. */
  resolvedCalls: Map<number, { module: string; name: string }>;
  /**
   * Globals called by another callable (an argument it calls or constructs),
   * with the arguments they receive when those can be seen (undefined when
   * not: a constructed class, an argument tuple computed at load time).
   */
  indirect: IndirectCall[];
  /**
   * Globals with `returns` semantics (getattr, partial) each of whose uses is
   * a call that resolved statically: they are judged by what they resolve to.
   */
  cleared: Set<string>;
}

// Deepest chain followed (a called argument that calls an argument …).
const MAX_CHAIN = 6;
// Values visited looking for getattr/partial passed around as data; past it nothing is cleared.
const ESCAPE_BUDGET = 1_000_000;

const short = (v: PickleValue): string => render(v, { maxLength: 120, maxDepth: 2, maxItems: 4, maxString: 40 });
const argsText = (args: PickleValue[]): string => args.map(short).join(", ");

/**
 * Judges what the calls of a run call in turn, with the semantics data:
 * `getattr(A, 'x')` is `A.x`; `functools.partial(f, …)` called is `f`
 * called; an argument a callable calls or constructs
 * (`_rebuild_from_type_v2(f, …, args)` runs `f(*args)`) is judged as a call,
 * recursively, with the rendered chain as evidence.
 */
export function judgeCalls(r: PickleRunResult, sem: CallSemantics): CallJudgement {
  const out: CallJudgement = { reached: new Map(), dynamic: [], resolvedCalls: new Map(), indirect: [], cleared: new Set() };
  const staticUse = new Map<string, boolean>();

  const reach = (res: { module: string; name: string; instance?: boolean }, called: boolean, offset: number, chain: string): void => {
    const key = `${res.module}.${res.name}`;
    const had = out.reached.get(key);
    const instance = res.instance ? { instance: true } : {};
    if (!had) out.reached.set(key, { module: res.module, name: res.name, offset, called, chain, ...instance });
    else if (called && !had.called) out.reached.set(key, { ...had, called, offset, chain, ...instance });
  };

  // What calling `v` calls. `depth` bounds getattr-of-getattr and partial-of-partial.
  const resolve = (v: PickleValue | undefined, depth = 0): Resolved => {
    if (v === undefined || v === null || typeof v !== "object") return { kind: "inert" };
    switch (v.kind) {
      case "global":
        return { kind: "global", module: v.module, name: v.name };
      case "call": {
        if (depth >= MAX_CHAIN || !isKind(v.callee, "global")) return { kind: "dynamic" };
        const e = sem.get(v.callee.module, v.callee.name);
        if (!e?.returns || (v.callKind !== "reduce" && v.callKind !== "newobj" && v.callKind !== "obj" && v.callKind !== "inst")) return { kind: "dynamic" };
        if ("partial" in e.returns) {
          // partial.__setstate__((func, args, kwds, dict)) replaces the function a BUILD gives it.
          const fromState = isKind(v.state, "tuple") ? v.state.items[0] : undefined;
          return resolve(fromState ?? v.args[e.returns.partial], depth + 1);
        }
        const name = v.args[e.returns.attribute.name];
        if (typeof name !== "string") return { kind: "dynamic" };
        const object = v.args[e.returns.attribute.object];
        const owner = isKind(object, "call") && isKind(object.callee, "global") && (object.callKind === "newobj" || object.callKind === "newobj_ex") ? attributeOfInstance(object, name, depth) : resolve(object, depth + 1);
        if (owner.kind !== "global") return owner;
        return owner.instance ? owner : { kind: "global", module: owner.module, name: `${owner.name}.${name}` };
      }
      case "unknown":
      case "extension":
      case "persistent":
      case "buffer":
        return { kind: "dynamic" };
      default:
        return { kind: "inert" };
    }
  };

  // `getattr(obj, name)` on `obj = Cls.__new__(Cls)` (NEWOBJ, then BUILD): an instance attribute its
  // state sets wins (judged as that value), else the class's own attribute, `Cls.name` (a bound method
  // stored as data: OneCycleLR's anneal_func). A state the VM cannot read whole is not guessed at.
  const attributeOfInstance = (object: PCall, name: string, depth: number): Resolved => {
    const cls = object.callee as PGlobal;
    const state = object.state;
    if (state !== undefined && state !== null) {
      if (!isKind(state, "dict") || state.count !== state.keys.length) return { kind: "dynamic" };
      const planted = dictGet(state, name);
      if (planted !== undefined) return resolve(planted, depth + 1);
    }
    return { kind: "global", module: cls.module, name: `${cls.name}.${name}`, instance: true };
  };

  const argumentOf = (a: CalledArgument, args: PickleValue[], kwargs: PickleValue | undefined): PickleValue | undefined =>
    a.arg !== undefined ? args[a.arg] : isKind(kwargs, "dict") && a.kwarg !== undefined ? dictGet(kwargs, a.kwarg) : undefined;

  // The arguments `a` passes when every one of them can be seen, else undefined.
  const visibleArgs = (a: CalledArgument, args: PickleValue[], verb: "calls" | "constructs"): PickleValue[] | undefined => {
    if (verb === "constructs") return undefined; // `cls.__new__(cls, …)`: the class is constructed, not called with these
    if (a.argsFrom !== undefined) {
      const t = args[a.argsFrom];
      return isKind(t, "tuple") && t.count === t.items.length ? t.items : undefined;
    }
    if (a.argsList) return a.argsList.every((i) => i < args.length) ? a.argsList.map((i) => args[i]!) : undefined;
    if (a.argsRest !== undefined) return args.slice(a.argsRest);
    return undefined;
  };

  const innerArgs = (a: CalledArgument, args: PickleValue[]): PickleValue[] => {
    if (a.argsFrom !== undefined) {
      const t = args[a.argsFrom];
      return isKind(t, "tuple") ? t.items : [];
    }
    if (a.argsList) return a.argsList.map((i) => args[i] ?? null);
    if (a.argsRest !== undefined) return args.slice(a.argsRest);
    return [];
  };

  // The arguments `callee(args)` calls or constructs, judged as calls, recursively.
  const follow = (callee: { module: string; name: string }, args: PickleValue[], kwargs: PickleValue | undefined, offset: number, chain: string, depth: number): void => {
    const e = sem.get(callee.module, callee.name);
    if (!e || depth >= MAX_CHAIN) return;
    const specs = [...(e.calls ?? []).map((a) => [a, "calls"] as const), ...(e.constructs ?? []).map((a) => [a, "constructs"] as const)];
    for (const [spec, verb] of specs) {
      const v = argumentOf(spec, args, kwargs);
      const res = resolve(v);
      if (res.kind === "inert") continue;
      const inner = innerArgs(spec, args);
      const link = `${chain} ${verb} ${short(v ?? null)}(${argsText(inner)})`;
      if (res.kind === "dynamic") out.dynamic.push({ offset, chain: link });
      else {
        reach(res, true, offset, link);
        out.indirect.push({ module: res.module, name: res.name, args: visibleArgs(spec, args, verb), offset, chain: link });
        follow(res, inner, undefined, offset, link, depth + 1);
      }
    }
  };

  r.calls.forEach((c, index) => {
    if (c.kind === "build" || c.kind === "persistent_load") return;
    if (c.kind === "method") {
      // `obj.append(x)` on an instance runs a method of its class; on a class or module, its attribute.
      const owner = isKind(c.target, "call") ? resolve(c.target.callee) : resolve(c.target);
      if (owner.kind === "global") {
        const res = isKind(c.target, "global") ? { module: owner.module, name: `${owner.name}.${c.method ?? "?"}` } : owner;
        reach(res, true, c.offset, c.expression);
      } else if (owner.kind === "dynamic") out.dynamic.push({ offset: c.offset, chain: c.expression });
      return;
    }
    const res = resolve(c.target);
    if (res.kind !== "global") return;
    if (c.dynamic || c.kind === "planted") {
      out.resolvedCalls.set(index, res);
      reach(res, true, c.offset, c.expression);
    }
    if (isKind(c.target, "global")) {
      const e = sem.get(c.target.module, c.target.name);
      if (e?.returns) {
        const key = `${c.target.module}.${c.target.name}`;
        const value = { kind: "call" as const, callKind: c.kind, callee: c.target, args: c.args, offset: c.offset, index, weight: 1 };
        const target = resolve(value);
        staticUse.set(key, (staticUse.get(key) ?? true) && target.kind === "global");
        // getattr(A, 'x') looks A.x up (judged as that global, not called unless the result is).
        if (target.kind === "global" && "attribute" in e.returns) reach(target, false, c.offset, c.expression);
      }
    }
    follow(res, c.args, c.kwargs, c.offset, c.expression, 0);
  });

  // getattr/partial themselves passed around as data (map(getattr, …), a state holding partial) are not cleared.
  const escaped = escapes(r, new Set(staticUse.keys()));
  for (const [key, ok] of staticUse) if (ok && escaped !== "unknown" && !escaped.has(key)) out.cleared.add(key);
  return out;
}

// Globals of `keys` that appear as values inside call arguments, kwargs or states (not as the called object).
function escapes(r: PickleRunResult, keys: Set<string>): Set<string> | "unknown" {
  const found = new Set<string>();
  if (keys.size === 0) return found;
  const seen = new Set<object>();
  const todo: PickleValue[] = [];
  for (const c of r.calls) {
    todo.push(...c.args);
    if (c.kwargs !== undefined) todo.push(c.kwargs);
    // A call whose callable is a call result: getattr/partial used as the object of another call are uses, not escapes.
    if (isKind(c.target, "call")) todo.push(c.target);
  }
  let budget = ESCAPE_BUDGET;
  while (todo.length > 0) {
    if (--budget < 0) return "unknown";
    const v = todo.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    switch (v.kind) {
      case "global": {
        const key = `${v.module}.${v.name}`;
        if (keys.has(key)) found.add(key);
        break;
      }
      case "tuple":
      case "list":
      case "set":
        todo.push(...v.items);
        break;
      case "dict":
        todo.push(...v.keys, ...v.values);
        break;
      case "call":
        // Its callee is a use as a callable; a call result as callee is followed.
        if (!isKind(v.callee, "global")) todo.push(v.callee);
        todo.push(...v.args);
        if (v.kwargs !== undefined) todo.push(v.kwargs);
        if (v.state !== undefined) todo.push(v.state);
        break;
      case "persistent":
        todo.push(v.pid);
        break;
      default:
        break;
    }
  }
  return found;
}
