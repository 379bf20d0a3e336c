import type { AnalyzerContext, Severity } from "@modelward/core";
import { findConditionalTriggers } from "./backdoor-check.js";
import { CHECKPOINT_OPS, FILE_READ_OPS, FILE_WRITE_OPS, NETWORK_OPS, PATH_ATTRIBUTES, PYTHON_CALLBACK_OPS } from "./op-policy.js";
import { TF_OPS } from "./op-registry.js";
import { RULES } from "./rules.js";
import type { AttrValue, GraphDef, NodeDef } from "./tf-proto.js";

// Findings of one rule per file beyond which they are summarised (a graph of 10,000 WriteFile nodes).
const MAX_FINDINGS_PER_RULE = 50;
// Identity/Cast hops followed back from an op input to the constant feeding it.
const MAX_HOPS = 8;
// Constant strings quoted as evidence, and their length.
const MAX_EVIDENCE_STRINGS = 5;
const MAX_STRING = 200;

/** What a graph check found, for `ctx.describe`. */
export interface GraphSummary {
  nodes: number;
  functions: number;
  ops: number;
}

/**
 * Checks every node of a GraphDef: the main graph AND every function of its
 * library (where `tf.function` bodies live, K12), against the op policy.
 * `where` names the file for messages.
 */
export function checkGraph(graph: GraphDef, ctx: AnalyzerContext<unknown>, where: string): GraphSummary {
  const functions = graph.library?.function ?? [];
  const functionNames = new Set(functions.map((f) => f.signature?.name ?? ""));
  const counts = new Map<string, number>();
  const unknownSeen = new Set<string>();
  const opsSeen = new Set<string>();
  let nodes = 0;
  const scopes: { label: string; nodes: NodeDef[]; inputs: Set<string> }[] = [{ label: "the main graph", nodes: graph.node ?? [], inputs: new Set() }];
  for (const f of functions)
    scopes.push({ label: `function ${JSON.stringify(f.signature?.name ?? "")}`, nodes: f.node_def ?? [], inputs: new Set((f.signature?.input_arg ?? []).map((a) => a.name ?? "")) });
  for (const scope of scopes) {
    ctx.signal.throwIfAborted();
    const byName = new Map(scope.nodes.map((n) => [n.name ?? "", n]));
    for (const node of scope.nodes) {
      nodes++;
      const op = node.op ?? "";
      opsSeen.add(op);
      const report = (ruleId: string, severity: Severity, message: string, evidence: Record<string, string | number | boolean>) => {
        const n = (counts.get(ruleId) ?? 0) + 1;
        counts.set(ruleId, n);
        if (n <= MAX_FINDINGS_PER_RULE) ctx.report({ ruleId, severity, message: `${where}: ${message} (node ${JSON.stringify(node.name ?? "")} in ${scope.label})`, evidence: { op, node: node.name ?? "", scope: scope.label, ...evidence } });
      };
      if (PYTHON_CALLBACK_OPS.has(op)) {
        ctx.recordImport({ kind: "op", name: `tensorflow/${op}`, safety: "dangerous" });
        const token = attrString(node.attr?.token);
        report(RULES.pythonCallback.id, "critical", `${op} runs the Python function registered as ${JSON.stringify(token ?? "?")} when the graph runs`, token ? { token } : {});
        continue;
      }
      const write = FILE_WRITE_OPS.has(op);
      const read = FILE_READ_OPS.has(op);
      const checkpoint = CHECKPOINT_OPS.has(op);
      if (write || read || checkpoint) {
        const strings = [...constantInputs(node, byName), ...pathAttributes(node)];
        const fixed = strings.length > 0;
        if (checkpoint && !fixed) {
          ctx.recordImport({ kind: "op", name: `tensorflow/${op}`, safety: "safe" });
          continue; // the saver's path is fed at run time by whoever loads the model
        }
        ctx.recordImport({ kind: "op", name: `tensorflow/${op}`, safety: "dangerous" });
        const writes = write || /^(Save|MergeV2)/.test(op);
        const severity: Severity = writes ? (fixed ? "critical" : "high") : fixed ? "high" : "medium";
        const shown = strings.slice(0, MAX_EVIDENCE_STRINGS).map((s) => JSON.stringify(s.slice(0, MAX_STRING)));
        report(RULES.fileOperation.id, severity, `${op} ${writes ? "writes" : "reads"} ${fixed ? shown.join(", ") : "a path computed at run time"}`, fixed ? { paths: shown.join(", ") } : {});
        continue;
      }
      if (NETWORK_OPS.has(op)) {
        // Debug ops take endpoints only as attributes (their input is the tensor watched); RPC and tf.data
        // service ops take the address as an input, often a constant.
        const urls = /^Debug/.test(op) ? pathAttributes(node) : [...constantInputs(node, byName), ...pathAttributes(node)];
        if (/^Debug/.test(op) && urls.length === 0) continue; // debug ops without endpoints only pass tensors through
        ctx.recordImport({ kind: "op", name: `tensorflow/${op}`, safety: "dangerous" });
        report(RULES.networkOperation.id, "high", `${op} connects to ${urls.length ? urls.slice(0, MAX_EVIDENCE_STRINGS).map((u) => JSON.stringify(u.slice(0, MAX_STRING))).join(", ") : "an endpoint given at run time"}`, urls.length ? { endpoints: urls.slice(0, MAX_EVIDENCE_STRINGS).join(", ") } : {});
        continue;
      }
      if (TF_OPS.has(op) || functionNames.has(op)) continue;
      if (!unknownSeen.has(op)) {
        unknownSeen.add(op);
        ctx.recordImport({ kind: "op", name: `tensorflow/${op}`, safety: "unknown" });
        report(RULES.unknownOp.id, "low", `op ${JSON.stringify(op)} is not a TensorFlow op nor a function of the library`, {});
      }
    }
    for (const t of findConditionalTriggers(scope.nodes, byName, scope.inputs)) {
      const n = (counts.get(RULES.conditionalTrigger.id) ?? 0) + 1;
      counts.set(RULES.conditionalTrigger.id, n);
      if (n <= MAX_FINDINGS_PER_RULE)
        ctx.report({
          ruleId: RULES.conditionalTrigger.id,
          message: `${where}: ${t.branch.op} ${JSON.stringify(t.branch.name ?? "")} in ${scope.label} chooses its output by ${t.comparison.op}(${JSON.stringify(t.input)}, ${t.constant}): the model behaves differently when its input matches that constant, the shape of an architectural backdoor trigger`,
          evidence: { branch: t.branch.name ?? "", op: t.branch.op ?? "", comparison: t.comparison.op ?? "", input: t.input, constant: t.constant.slice(0, 200), scope: scope.label },
        });
    }
  }
  for (const [ruleId, n] of counts) if (n > MAX_FINDINGS_PER_RULE) ctx.report({ ruleId, message: `${where}: ${n - MAX_FINDINGS_PER_RULE} more nodes of this kind not listed one by one`, evidence: { more: n - MAX_FINDINGS_PER_RULE } });
  return { nodes, functions: functions.length, ops: opsSeen.size };
}

/** The graph's input name `name:0`, `^name`, or `name:output:0` (function bodies) as the node name. */
export function inputNode(input: string): string {
  return input.replace(/^\^/, "").split(":")[0]!;
}

// The inputs that are paths: the first (filename, prefix, pattern, filenames) and, for
// MergeV2Checkpoints, the destination prefix. Other inputs (SaveV2's tensor_names…) are data.
const PATH_INPUTS: Record<string, number> = { MergeV2Checkpoints: 2 };

/** String constants that reach the node's path inputs (through Identity-like hops). */
function constantInputs(node: NodeDef, byName: ReadonlyMap<string, NodeDef>): string[] {
  const out: string[] = [];
  const data = (node.input ?? []).filter((i) => !i.startsWith("^"));
  for (const input of data.slice(0, PATH_INPUTS[node.op ?? ""] ?? 1)) {
    let at = byName.get(inputNode(input));
    for (let hop = 0; at && hop < MAX_HOPS && /^(Identity|Snapshot|StopGradient|PreventGradient)$/.test(at.op ?? ""); hop++) at = byName.get(inputNode(at.input?.[0] ?? ""));
    if (at?.op === "Const") out.push(...tensorStrings(at.attr?.value));
  }
  return out;
}

function tensorStrings(value: AttrValue | undefined): string[] {
  return (value?.tensor?.string_val ?? []).map((b) => new TextDecoder().decode(b));
}

function attrString(value: AttrValue | undefined): string | undefined {
  return value?.s ? new TextDecoder().decode(value.s) : undefined;
}

function pathAttributes(node: NodeDef): string[] {
  const out: string[] = [];
  for (const key of PATH_ATTRIBUTES) {
    const a = node.attr?.[key];
    if (!a) continue;
    const s = attrString(a);
    if (s && s !== "local://") out.push(s);
    for (const item of a.list?.s ?? []) out.push(new TextDecoder().decode(item));
  }
  return out.filter((s) => s.length > 0);
}
