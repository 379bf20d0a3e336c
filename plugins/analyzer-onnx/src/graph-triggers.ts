import { list, messages, str } from "./model-walk.js";
import { Skipped, type Decoded, type DecodedValue } from "./stream-decoder.js";

/** A branch whose condition is an equality test between a value computed from a model input and a constant. */
export interface GraphTrigger {
  /** The graph or function the branch sits in. */
  where: string;
  branch: Decoded;
  comparison: Decoded;
  /** The model (or function) input the compared value is computed from. */
  input: string;
  /** The constant, as values or a description. */
  constant: string;
  /** A branch arm computed from constants only, so the trigger swaps the model's output for a fixed one. */
  constantArm?: string;
}

// Ops that choose between values or subgraphs, with the index of their condition input.
const BRANCHES: Record<string, number> = { Where: 0, If: 0 };
// Equality only: ordering comparisons with constants are activations and clamps in ordinary graphs
// (Where(Greater(x, 0), …) is LeakyRelu/Elu/Celu expanded, Where(Less(x, lo), lo, x) is Clip).
const COMPARISONS = new Set(["Equal"]);
// Ops a condition may pass through between the comparison and the branch (an "all pixels match" test is
// ReduceMin(Cast(Equal(patch, pattern)))).
const CONDITION_PATH = new Set(["Identity", "Cast", "CastLike", "Not", "And", "Or", "Xor", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Expand", "ReduceMin", "ReduceMax", "ReduceProd", "ReduceSum", "ReduceMean", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Equal"]);
// Ops a compared value may pass through from the model input: slicing, reshaping, reductions and
// elementwise arithmetic. Shape/Size are not followed: branching on a shape is ordinary export logic.
const VALUE_PATH = new Set([
  "Identity", "Cast", "CastLike", "Slice", "Gather", "GatherElements", "GatherND", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Transpose",
  "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "Abs", "Round", "Floor", "Ceil",
  "Add", "Sub", "Mul", "Div", "Neg", "ArgMax", "ArgMin", "Concat", "Split", "Clip",
]);
// Constants ordinary graphs compare with: masks and signs (0, ±1), 0.5, and PyTorch's ignore_index default.
const TRIVIAL = new Set([0, 1, -1, 0.5, -100]);
// Bound of each backward search (per branch).
const MAX_STEPS = 64;
// Nodes visited when deciding which arm depends on an input (per scope, memoised).
const MAX_DEPENDENCY_VISITS = 200_000;
const VALUES_SHOWN = 8;

interface Scope {
  label: string;
  nodes: Decoded[];
  inputs: Set<string>;
  outputs: string[];
  constants: Map<string, string | null>;
  producers: Map<string, Decoded>;
  parent?: Scope;
  /** The node whose attribute holds this subgraph. */
  owner?: Decoded;
}

/**
 * Finds `Where`/`If` nodes whose condition is (through casts, logic and
 * reductions) an `Equal` between a value computed from a model input and a
 * non-trivial constant, in the main graph, every subgraph and every model
 * function: the shape of a ShadowLogic-style architectural backdoor trigger.
 * Only branches whose result reaches an output are reported; every search is
 * bounded.
 */
export function findGraphTriggers(model: Decoded): GraphTrigger[] {
  const scopes: Scope[] = [];
  for (const g of messages(model.graph)) graphScope(g, "graph", undefined, undefined, scopes);
  for (const f of messages(model.functions)) {
    const scope: Scope = { label: `function ${str(f.domain) ?? ""}.${str(f.name) ?? "?"}`, nodes: messages(f.node), inputs: new Set(stringsOf(f.input)), outputs: stringsOf(f.output), constants: new Map(), producers: new Map() };
    index(scope, scopes);
  }
  const out: GraphTrigger[] = [];
  const liveCache = new Map<Scope, Set<string>>();
  for (const scope of scopes) {
    const live = liveNames(scope, liveCache);
    for (const branch of scope.nodes) {
      const at = BRANCHES[str(branch.op_type) ?? ""];
      if (at === undefined || str(branch.domain)) continue;
      if (!stringsOf(branch.output).some((o) => live.has(o))) continue;
      const condition = stringsOf(branch.input)[at];
      if (!condition) continue;
      if (masksWithFill(branch, scope)) continue;
      const trigger = comparisonFor(condition, scope);
      if (trigger) out.push({ where: scope.label, branch, ...trigger, ...constantArmOf(branch, scope) });
    }
  }
  return out;
}

function stringsOf(v: DecodedValue | undefined): string[] {
  return list(v).filter((s): s is string => typeof s === "string");
}

function graphScope(g: Decoded, where: string, parent: Scope | undefined, owner: Decoded | undefined, scopes: Scope[]): void {
  const label = `${where}${str(g.name) ? ` (${str(g.name)})` : ""}`;
  const constants = new Map<string, string | null>();
  for (const t of messages(g.initializer)) if (str(t.name)) constants.set(str(t.name)!, tensorValues(t));
  for (const s of messages(g.sparse_initializer)) for (const t of messages(s.values)) if (str(t.name)) constants.set(str(t.name)!, null);
  // Before IR 4 initializers are listed among the inputs too: they are stored values, not the model's input.
  const inputs = new Set(messages(g.input).map((v) => str(v.name) ?? "").filter((n) => n && !constants.has(n)));
  const scope: Scope = { label, nodes: messages(g.node), inputs, outputs: messages(g.output).map((v) => str(v.name) ?? ""), constants, producers: new Map(), ...(parent ? { parent } : {}), ...(owner ? { owner } : {}) };
  index(scope, scopes);
  for (const n of scope.nodes) {
    for (const a of messages(n.attribute)) {
      for (const sub of [...messages(a.g), ...messages(a.graphs)]) graphScope(sub, `${label} ▸ node ${str(n.name) || str(n.op_type) || "?"} ▸ ${str(a.name) ?? "?"}`, scope, n, scopes);
    }
  }
}

function index(scope: Scope, scopes: Scope[]): void {
  for (const n of scope.nodes) {
    for (const o of stringsOf(n.output)) scope.producers.set(o, n);
    const op = str(n.op_type);
    if (!str(n.domain) && (op === "Constant" || op === "ConstantOfShape")) {
      const value = op === "Constant" ? constantNodeValue(n) : tensorValues(messages(messages(n.attribute).find((a) => str(a.name) === "value")?.t)[0]);
      for (const o of stringsOf(n.output)) scope.constants.set(o, value);
    }
  }
  scopes.push(scope);
}

type Lookup = { kind: "input"; name: string } | { kind: "constant"; value: string | null } | { kind: "node"; node: Decoded; scope: Scope } | { kind: "unknown" };

/** What a name is, seen from `scope` (outer scopes' values are visible in subgraphs). */
function lookup(name: string, scope: Scope): Lookup {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.constants.has(name)) return { kind: "constant", value: s.constants.get(name)! };
    // A subgraph's own inputs (a Loop's iteration count and carried state) are not the model's input.
    if (s.inputs.has(name)) return s.parent ? { kind: "unknown" } : { kind: "input", name };
    const node = s.producers.get(name);
    if (node) return { kind: "node", node, scope: s };
  }
  return { kind: "unknown" };
}

/** The Equal (reached through the condition path) that compares an input-derived value with a non-trivial constant. */
function comparisonFor(condition: string, scope: Scope): { comparison: Decoded; input: string; constant: string } | undefined {
  const queue = [condition];
  const seen = new Set<string>();
  for (let steps = 0; queue.length > 0 && steps < MAX_STEPS; steps++) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const found = lookup(name, scope);
    if (found.kind !== "node" || str(found.node.domain)) continue;
    const op = str(found.node.op_type) ?? "";
    if (!CONDITION_PATH.has(op)) continue;
    const operands = stringsOf(found.node.input);
    if (COMPARISONS.has(op) && operands.length === 2) {
      for (const [x, y] of [[operands[0]!, operands[1]!], [operands[1]!, operands[0]!]] as const) {
        const c = lookup(y, found.scope);
        if (c.kind !== "constant" || c.value === null || isTrivial(c.value)) continue;
        const input = inputBehind(x, found.scope);
        if (input) return { comparison: found.node, input, constant: c.value };
      }
    }
    for (const i of operands) if (i) queue.push(i);
  }
  return undefined;
}

/** The model input a value is computed from through VALUE_PATH ops, if any. */
function inputBehind(start: string, scope: Scope): string | undefined {
  const queue: Array<[string, Scope]> = [[start, scope]];
  const seen = new Set<string>();
  for (let steps = 0; queue.length > 0 && steps < MAX_STEPS; steps++) {
    const [name, s] = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const found = lookup(name, s);
    if (found.kind === "input") return found.name;
    if (found.kind !== "node" || str(found.node.domain) || !VALUE_PATH.has(str(found.node.op_type) ?? "")) continue;
    for (const i of stringsOf(found.node.input)) if (i) queue.push([i, found.scope]);
  }
  return undefined;
}

/** Names whose value reaches the scope's outputs (and, for a subgraph, only when its owner's outputs do). */
function liveNames(scope: Scope, cache: Map<Scope, Set<string>>): Set<string> {
  const cached = cache.get(scope);
  if (cached) return cached;
  const live = new Set<string>();
  cache.set(scope, live);
  if (scope.parent && scope.owner) {
    const parentLive = liveNames(scope.parent, cache);
    if (!stringsOf(scope.owner.output).some((o) => parentLive.has(o))) return live;
  }
  const stack = [...scope.outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (live.has(name)) continue;
    live.add(name);
    const node = scope.producers.get(name);
    if (!node) continue;
    stack.push(...stringsOf(node.input).filter(Boolean), ...implicitInputs(node));
  }
  return live;
}

/** Every name the subgraphs of a node read (outer-scope values an If or Loop body uses). */
function implicitInputs(node: Decoded): string[] {
  const out: string[] = [];
  const stack = messages(node.attribute).flatMap((a) => [...messages(a.g), ...messages(a.graphs)]);
  while (stack.length > 0 && out.length < 100_000) {
    const g = stack.pop()!;
    for (const n of messages(g.node)) {
      out.push(...stringsOf(n.input).filter(Boolean));
      for (const a of messages(n.attribute)) stack.push(...messages(a.g), ...messages(a.graphs));
    }
  }
  return out;
}

// Ops a fill value passes through unchanged in value (CastLike and Expand take it as their first input).
const FILL_PATH = new Set(["Identity", "Cast", "CastLike", "Expand", "Reshape", "Squeeze", "Unsqueeze"]);

/**
 * A Where one of whose arms is a masking fill: a constant of 0, ±1, 0.5, or a
 * huge or infinite value (-1e9, -inf), possibly cast or expanded. Replacing the
 * matching elements by such a fill is masking (ignore_index in an expanded
 * NegativeLogLikelihoodLoss, padding, attention masks), not swapping in an answer.
 */
function masksWithFill(branch: Decoded, scope: Scope): boolean {
  if (str(branch.op_type) !== "Where") return false;
  return stringsOf(branch.input).slice(1, 3).some((arm) => {
    let name = arm;
    let s = scope;
    for (let steps = 0; steps < 8; steps++) {
      const found = lookup(name, s);
      if (found.kind === "constant") return found.value !== null && isFill(found.value);
      // Sub(x, x): a zero typed like x (the NegativeLogLikelihoodLoss function body writes its zero target so).
      const operands = found.kind === "node" ? stringsOf(found.node.input) : [];
      if (found.kind === "node" && str(found.node.op_type) === "Sub" && operands.length === 2 && operands[0] === operands[1]) return true;
      if (found.kind !== "node" || str(found.node.domain) || !FILL_PATH.has(str(found.node.op_type) ?? "")) return false;
      name = stringsOf(found.node.input)[0] ?? "";
      s = found.scope;
    }
    return false;
  });
}

function isFill(value: string): boolean {
  const parts = value.split(",");
  return parts.every((p) => {
    const v = Number(p);
    return TRIVIAL.has(v) || (!Number.isNaN(v) && (!Number.isFinite(v) || Math.abs(v) >= 1e4));
  });
}

/** For a Where, the arm computed without any model input while the other arm uses one. */
function constantArmOf(branch: Decoded, scope: Scope): { constantArm?: string } {
  if (str(branch.op_type) !== "Where") return {};
  const [, x, y] = stringsOf(branch.input);
  if (!x || !y) return {};
  const budget = { left: MAX_DEPENDENCY_VISITS };
  const dx = dependsOnInput(x, scope, budget);
  const dy = dependsOnInput(y, scope, budget);
  if (dx === dy || dx === undefined || dy === undefined) return {};
  return { constantArm: dx ? y : x };
}

/** Whether a value is computed (through any op) from a model input; undefined when the budget ran out. */
function dependsOnInput(start: string, scope: Scope, budget: { left: number }): boolean | undefined {
  const stack: Array<[string, Scope]> = [[start, scope]];
  const seen = new Set<string>();
  while (stack.length > 0) {
    if (--budget.left < 0) return undefined;
    const [name, s] = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const found = lookup(name, s);
    if (found.kind === "input") return true;
    if (found.kind === "unknown") return true; // a subgraph's own inputs: carried state, not a constant
    if (found.kind !== "node") continue;
    for (const i of [...stringsOf(found.node.input), ...implicitInputs(found.node)]) if (i) stack.push([i, found.scope]);
  }
  return false;
}

function isTrivial(value: string): boolean {
  const parts = value.split(",");
  return parts.every((p) => TRIVIAL.has(Number(p)));
}

/** A Constant node's value: numbers joined by commas, a description when not all are known, or null (an attribute reference). */
function constantNodeValue(n: Decoded): string | null {
  for (const a of messages(n.attribute)) {
    if (str(a.ref_attr_name)) return null;
    switch (str(a.name)) {
      case "value": return tensorValues(messages(a.t)[0]);
      case "value_float": return typeof a.f === "number" ? String(a.f) : null;
      case "value_int": return typeof a.i === "bigint" ? String(a.i) : null;
      case "value_floats": case "value_ints": return numbersOf([...list(a.floats), ...list(a.ints)]);
      case "value_string": return a.s instanceof Uint8Array ? JSON.stringify(new TextDecoder().decode(a.s).slice(0, 80)) : null;
      case "value_strings": return `${list(a.strings).length} strings`;
      default: break;
    }
  }
  return null;
}

// TensorProto.DataType → [bytes per element, reader] for raw_data.
const RAW: Record<number, [number, (v: DataView, at: number) => number | bigint]> = {
  1: [4, (v, at) => v.getFloat32(at, true)], 2: [1, (v, at) => v.getUint8(at)], 3: [1, (v, at) => v.getInt8(at)], 4: [2, (v, at) => v.getUint16(at, true)],
  5: [2, (v, at) => v.getInt16(at, true)], 6: [4, (v, at) => v.getInt32(at, true)], 7: [8, (v, at) => v.getBigInt64(at, true)], 9: [1, (v, at) => v.getUint8(at)],
  11: [8, (v, at) => v.getFloat64(at, true)], 12: [4, (v, at) => v.getUint32(at, true)], 13: [8, (v, at) => v.getBigUint64(at, true)],
};

/** A small tensor's values (the decoder keeps a few), or a description of a larger one; null when absent. */
function tensorValues(t: Decoded | undefined): string | null {
  if (!t) return null;
  let elements = 1n;
  for (const d of list(t.dims)) elements *= typeof d === "bigint" && d >= 0n ? d : 0n;
  const type = Number(t.data_type ?? 0);
  const raw = t.raw_data;
  if (raw instanceof Uint8Array) {
    const layout = RAW[type];
    if (!layout || BigInt(raw.length) !== elements * BigInt(layout[0])) return `a tensor of ${elements} elements`;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values: Array<number | bigint> = [];
    for (let at = 0; at + layout[0] <= raw.length; at += layout[0]) values.push(layout[1](view, at));
    return numbersOf(values);
  }
  if (raw instanceof Skipped) return `a tensor of ${elements} elements`;
  const typed = [...list(t.float_data), ...list(t.int32_data), ...list(t.int64_data), ...list(t.double_data), ...list(t.uint64_data)];
  if (typed.some((v) => v instanceof Skipped) || BigInt(typed.length) !== elements) return elements > 0n ? `a tensor of ${elements} elements` : null;
  return numbersOf(typed);
}

function numbersOf(values: DecodedValue[]): string {
  const nums = values.filter((v): v is number | bigint => typeof v === "number" || typeof v === "bigint").map((v) => (typeof v === "bigint" ? Number(v) : Math.fround(v) === v ? Number(v.toPrecision(7)) : v));
  const shown = nums.slice(0, VALUES_SHOWN).join(",");
  return nums.length > VALUES_SHOWN ? `${shown},… (${nums.length} values)` : shown;
}
