import type { NodeDef, TensorProto } from "./tf-proto.js";

// Ops that pick between values or branches on a condition (the condition's input index).
const BRANCHES: Record<string, number> = { Switch: 1, RefSwitch: 1, If: 0, StatelessIf: 0, Select: 0, SelectV2: 0, Case: 0, StatelessCase: 0 };
const COMPARISONS = new Set(["Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual", "ApproximateEqual"]);
// Ops a condition may pass through between the comparison and the branch.
const CONDITION_PATH = new Set(["Identity", "Cast", "LogicalAnd", "LogicalOr", "LogicalNot", "All", "Any", "Reshape", "Squeeze", "ExpandDims", "StopGradient"]);
// Ops a compared value may pass through from the model input (slicing, reductions, arithmetic).
const VALUE_PATH = new Set(["Identity", "Cast", "StridedSlice", "Slice", "GatherV2", "Gather", "Reshape", "Squeeze", "ExpandDims", "Sum", "Mean", "Max", "Min", "Prod", "ReadVariableOp", "Round", "Floor", "Abs", "Mul", "Add", "AddV2", "Sub"]);
const INPUT_OPS = new Set(["Placeholder", "PlaceholderV2", "PlaceholderWithDefault", "_Arg"]);
// Bounds of the backward searches (per branch node).
const MAX_STEPS = 64;
// Constants ordinary models compare with (padding masks, signs, thresholds at 0.5): not a trigger.
const TRIVIAL = new Set([0, 1, -1, 0.5]);

/** A branch whose condition compares a model input with a constant. */
export interface ConditionalTrigger {
  branch: NodeDef;
  comparison: NodeDef;
  input: string;
  constant: string;
}

const nodeOf = (input: string) => input.replace(/^\^/, "").split(":")[0]!;

/**
 * Finds `Switch`/`If`/`Select` nodes whose condition is (through logical ops)
 * a comparison between a value derived from a graph input (`Placeholder`, or a
 * function `_Arg`/signature input) and a non-trivial constant: the shape of an
 * architectural backdoor's trigger (ShadowLogic). Bounded per branch.
 */
export function findConditionalTriggers(nodes: readonly NodeDef[], byName: ReadonlyMap<string, NodeDef>, functionInputs: ReadonlySet<string> = new Set()): ConditionalTrigger[] {
  const out: ConditionalTrigger[] = [];
  for (const branch of nodes) {
    const at = BRANCHES[branch.op ?? ""];
    if (at === undefined) continue;
    const condition = branch.input?.[at];
    if (!condition) continue;
    const comparison = walkBack(nodeOf(condition), byName, CONDITION_PATH, (n) => COMPARISONS.has(n.op ?? ""));
    if (!comparison || typeof comparison === "string") continue;
    const [a, b] = (comparison.input ?? []).map(nodeOf);
    if (!a || !b) continue;
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const constant = constantValue(byName.get(y));
      if (constant === undefined) continue;
      const source = walkBack(x, byName, VALUE_PATH, (n) => INPUT_OPS.has(n.op ?? ""), functionInputs);
      if (source) {
        out.push({ branch, comparison, input: typeof source === "string" ? source : source.name ?? "", constant });
        break;
      }
    }
  }
  return out;
}

function walkBack(start: string, byName: ReadonlyMap<string, NodeDef>, through: ReadonlySet<string>, found: (n: NodeDef) => boolean, functionInputs?: ReadonlySet<string>): NodeDef | string | undefined {
  const queue = [start];
  const seen = new Set<string>();
  for (let steps = 0; queue.length > 0 && steps < MAX_STEPS; steps++) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    if (functionInputs?.has(name)) return name;
    const node = byName.get(name);
    if (!node) continue;
    if (found(node)) return node;
    if (!through.has(node.op ?? "")) continue;
    for (const i of node.input ?? []) if (!i.startsWith("^")) queue.push(nodeOf(i));
  }
  return undefined;
}

function constantValue(node: NodeDef | undefined): string | undefined {
  if (node?.op !== "Const") return undefined;
  const t: TensorProto | undefined = node.attr?.value?.tensor;
  const numbers = [...(t?.float_val ?? []), ...(t?.int_val ?? []), ...(t?.int64_val ?? []).map(Number)];
  if (numbers.length > 0) return numbers.every((v) => TRIVIAL.has(v)) ? undefined : numbers.slice(0, 8).join(",");
  const strings = (t?.string_val ?? []).map((s) => new TextDecoder().decode(s)).filter((s) => s.length > 0);
  return strings.length ? strings.slice(0, 4).join(",") : undefined;
}
