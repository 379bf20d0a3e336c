/**
 * Symbolic values of the pickle VM. Nothing here is a Python object: the VM
 * only tracks what the real unpickler would build, so it can say what it
 * would import and call. Scalars are plain JS values (None is `null`, str is
 * `string`, small int is `number`, big int is `bigint`); everything else is a
 * tagged object. Containers keep only their first {@link KEEP_ITEMS} items
 * (enough to render and to read wrapper states) and count the rest, so a
 * hostile pickle cannot make the VM hold millions of values.
 */
export type PickleValue = null | boolean | number | bigint | string | PickleObject;

/** Every non-scalar symbolic value. */
export type PickleObject =
  | PFloat
  | PBytes
  | PLongStr
  | PTuple
  | PList
  | PDict
  | PSet
  | PGlobal
  | PCall
  | PPersistent
  | PExtension
  | PBuffer
  | PUnknown;

/** How many items a container keeps for rendering and inspection; the rest are counted only. */
export const KEEP_ITEMS = 32;

/** Logical size saturates here so weights stay exact-enough numbers. */
const WEIGHT_CAP = 1e15;

/** A Python float (kept apart from int so it renders as `1.0`). */
export interface PFloat { kind: "float"; value: number; weight: 1 }

/** A bytes/bytearray value: its span in the stream and, when small, its content. */
export interface PBytes {
  kind: "bytes";
  /** `bytearray` for BYTEARRAY8. */
  type: "bytes" | "bytearray";
  /** Absolute offset of the first byte in the source. */
  offset: number;
  /** Length in bytes. */
  length: number;
  /** The first bytes (at most {@link HEAD_BYTES}), for rendering and sniffing; the rest is re-read by offset when needed. */
  head: Uint8Array;
  weight: 1;
}

/**
 * A str too long to keep as a JS string (over the VM's `keepString`):
 * its UTF-8 span in the source and a prefix. Re-read by offset when needed.
 */
export interface PLongStr { kind: "longstr"; offset: number; byteLength: number; prefix: string; weight: 1 }

/** Bytes of a bytes value kept for rendering and sniffing. */
export const HEAD_BYTES = 64;

/**
 * The VM's census of live objects stamps each value it has counted with the
 * census number (cheaper than a Set over millions of objects). Values made
 * outside the VM may leave it out.
 */
interface Censused { mark?: number }

/** A tuple. */
export interface PTuple extends Censused { kind: "tuple"; items: PickleValue[]; count: number; weight: number }
/** A list (also the target of APPEND/APPENDS). */
export interface PList extends Censused { kind: "list"; items: PickleValue[]; count: number; weight: number }
/** A dict (also the target of SETITEM/SETITEMS). */
export interface PDict extends Censused { kind: "dict"; keys: PickleValue[]; values: PickleValue[]; count: number; weight: number }
/** A set or frozenset. */
export interface PSet extends Censused { kind: "set"; frozen: boolean; items: PickleValue[]; count: number; weight: number }

/** The object `find_class(module, name)` would return. */
export interface PGlobal {
  kind: "global";
  /** Module as written in the stream (after Python 2 name mapping when it applies). */
  module: string;
  /** Attribute path as written (may be dotted: `os.system`). */
  name: string;
  /** Offset of the opcode that resolved it. */
  offset: number;
  /** Index into the run result's `globals`. */
  index: number;
  weight: 1;
}

/** What kind of call the unpickler would make. */
export type CallKind =
  | "reduce"
  | "newobj"
  | "newobj_ex"
  | "obj"
  | "inst"
  | "build"
  | "persistent_load"
  /** BUILD/APPEND calling an instance attribute (`__setstate__`, `append`…) planted by an earlier BUILD: the callee is the planted value. */
  | "planted"
  /** APPEND(S)/ADDITEMS/SETITEM(S) on an object that is not a built-in container: its `method` is called. */
  | "method";

/** The result of a call the unpickler would make (REDUCE, NEWOBJ, OBJ, INST, BUILD…). */
export interface PCall extends Censused {
  kind: "call";
  callKind: CallKind;
  /** The callable (a global, another call's result, or something unresolvable). */
  callee: PickleValue;
  /** Positional arguments. */
  args: PickleValue[];
  /** Keyword arguments (NEWOBJ_EX), as a dict value. */
  kwargs?: PickleValue;
  /** Offset of the opcode that made the call. */
  offset: number;
  /** Index into the run result's `calls`. */
  index: number;
  /** BUILD state applied to this object after creation (the last one). */
  state?: PickleValue;
  /** For `method` calls: the method called on the callee (`append`, `extend`, `add`, `__setitem__`). */
  method?: string;
  /**
   * Instance attributes an earlier BUILD set that the unpickler itself looks
   * up on the instance (`__setstate__`, `append`, `extend`, `add`): a later
   * BUILD/APPEND calls them.
   */
  planted?: Record<string, PickleValue>;
  weight: number;
}

/** Whatever `persistent_load(pid)` returns (PERSID/BINPERSID). */
export interface PPersistent extends Censused { kind: "persistent"; pid: PickleValue; offset: number; replacement?: PickleValue; weight: number }
/** An object fetched from the copyreg extension registry (EXT1/2/4). */
export interface PExtension { kind: "extension"; code: number; offset: number; weight: 1 }
/** An out-of-band buffer (NEXT_BUFFER). */
export interface PBuffer { kind: "buffer"; offset: number; readonly: boolean; weight: 1 }
/** A value the VM cannot know (e.g. after an error was recovered from). */
export interface PUnknown { kind: "unknown"; why: string; weight: 1 }

/** Logical size of a value: 1 for scalars, 1 + the items' sizes for containers. */
export function weightOf(v: PickleValue): number {
  return typeof v === "object" && v !== null ? v.weight : 1;
}

/** Adds two weights, saturating. */
export function addWeight(a: number, b: number): number {
  const s = a + b;
  return s > WEIGHT_CAP ? WEIGHT_CAP : s;
}

/** A tuple over `items` (kept up to {@link KEEP_ITEMS}). */
export function makeTuple(items: PickleValue[]): PTuple {
  let weight = 1;
  for (const it of items) weight = addWeight(weight, weightOf(it));
  const kept = items.length > KEEP_ITEMS ? items.slice(0, KEEP_ITEMS) : items;
  return { kind: "tuple", items: kept, count: items.length, weight, mark: 0 };
}

/** A list over `items`. */
export function makeList(items: PickleValue[]): PList {
  const t = makeTuple(items);
  return { kind: "list", items: t.items, count: t.count, weight: t.weight, mark: 0 };
}

/** Appends items to a list or set, keeping at most {@link KEEP_ITEMS}. */
export function appendItems(target: PList | PSet, items: PickleValue[], from = 0): void {
  for (let i = from; i < items.length; i++) {
    const it = items[i]!;
    if (target.items.length < KEEP_ITEMS) target.items.push(it);
    target.count++;
    target.weight = addWeight(target.weight, weightOf(it));
  }
}

/**
 * str keys kept in a dict past {@link KEEP_ITEMS}: attributes the unpickler
 * itself calls when a BUILD state plants them on an instance, so hiding one
 * behind 32 decoys must not hide it from the VM.
 */
export const PLANTABLE = new Set(["__setstate__", "append", "extend", "add"]);

/**
 * str keys a dict keeps past {@link KEEP_ITEMS} (up to a bounded budget):
 * the {@link PLANTABLE} attributes, and state keys whose value a class's
 * `__setstate__` runs as code (scipy.stats `_parse_arg_template`), so 32
 * decoys cannot hide a second, later value of one.
 */
export const KEPT_KEYS: ReadonlySet<string> = new Set([...PLANTABLE, "_parse_arg_template"]);
const KEPT_KEYS_BUDGET = KEEP_ITEMS + 4 * KEPT_KEYS.size;

/**
 * `key` in a BUILD state as `self.__dict__.update(state)` sees it: its value
 * (the last of repeated keys), undefined when the state has none (None, or a
 * dict without it), or `"unreadable"` when the VM cannot tell: not a dict, or
 * a dict with entries it did not keep among which the key could hide.
 */
export function stateLookup(state: PickleValue, key: string): PickleValue | undefined | "unreadable" {
  if (state === null) return undefined;
  if (!isKind(state, "dict")) return "unreadable";
  const whole = state.count === state.keys.length || (KEPT_KEYS.has(key) && state.keys.length < KEPT_KEYS_BUDGET);
  return whole ? dictGet(state, key) : "unreadable";
}

/** Sets pairs `items[from], items[from+1], …` into a dict (a repeated key keeps both; lookups take the last). */
export function setDictItems(target: PDict, items: PickleValue[], from = 0): void {
  for (let i = from; i + 1 < items.length; i += 2) {
    const k = items[i]!;
    const v = items[i + 1]!;
    if (target.keys.length < KEEP_ITEMS || (typeof k === "string" && KEPT_KEYS.has(k) && target.keys.length < KEPT_KEYS_BUDGET)) {
      target.keys.push(k);
      target.values.push(v);
    }
    target.count++;
    target.weight = addWeight(target.weight, addWeight(weightOf(k), weightOf(v)));
  }
}

/** An empty dict. */
export function makeDict(): PDict {
  return { kind: "dict", keys: [], values: [], count: 0, weight: 1, mark: 0 };
}

/** An empty set or frozenset. */
export function makeSet(frozen: boolean): PSet {
  return { kind: "set", frozen, items: [], count: 0, weight: 1, mark: 0 };
}

/** An unknowable value. */
export function unknown(why: string): PUnknown {
  return { kind: "unknown", why, weight: 1 };
}

/** Looks a str key up in a symbolic dict's kept entries; the last of repeated keys wins, as in a dict display. */
export function dictGet(d: PDict, key: string): PickleValue | undefined {
  const i = d.keys.lastIndexOf(key);
  return i >= 0 ? d.values[i] : undefined;
}

/** True when `v` is a tagged object of `kind`. */
export function isKind<K extends PickleObject["kind"]>(v: PickleValue | undefined, kind: K): v is Extract<PickleObject, { kind: K }> {
  return typeof v === "object" && v !== null && v.kind === kind;
}
