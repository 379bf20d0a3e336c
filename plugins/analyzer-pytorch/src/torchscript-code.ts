import type { Severity } from "@modelward/core";
import type { PicklePolicy } from "@modelward/pickle";
import { codeNames, type CodeName } from "./torchscript-tokens.js";

/** One dangerous construct found in a TorchScript source. */
export interface ScriptHit {
  /** What it is: `file-io`, `custom-op`, `python-escape`. */
  family: "file-io" | "custom-op" | "python-escape";
  /** The name as written (`torch.save`, `ops.mylib.run`, `os.system`). */
  call: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  severity: Severity;
  /** Why it matters. */
  why: string;
}

// Operator namespaces torch itself registers (aten, prim, quantized…, torch/csrc/jit and
// aten/src/ATen/native/*/library.cpp); anything else is a custom op from a native library.
const TORCH_NAMESPACES = new Set([
  "aten", "prim", "quantized", "_quantized", "prepacked", "profiler", "cuda", "_caffe2", "_test", "onednn", "mkldnn",
  "mkl", "fbgemm", "xnnpack", "quantized_decomposed", "_c10d_functional", "c10d", "c10d_functional", "_dtensor", "higher_order", "inductor",
]);

// TorchScript builtins with file-system effects: aten::save writes, from_file and the loaders read.
const FILE_WRITE = new Set(["torch.save", "ops.aten.save", "torch.ops.aten.save"]);
const FILE_READ = new Set(["torch.load", "torch.from_file", "ops.aten.from_file", "torch.ops.aten.from_file", "torch.jit.load"]);
const LOAD_LIBRARY = new Set(["torch.ops.load_library", "torch.classes.load_library", "ops.load_library"]);
// Python builtins the TorchScript compiler never emits as calls: their presence means hand-edited code.
const ESCAPES = new Set(["__import__", "exec", "eval", "compile", "globals", "locals", "vars", "__builtins__", "breakpoint"]);

// Judged without a pickle policy loaded (no ruleset): system modules no TorchScript names.
const SYSTEM_MODULES = new Set(["os", "subprocess", "sys", "importlib", "builtins", "socket", "shutil", "ctypes", "pty", "posix", "nt"]);

const MAX_HITS = 50;

/**
 * Judges one TorchScript source. Only code counts: strings (the messages and
 * exception class names of `ops.prim.RaiseException("…", "builtins.ValueError")`)
 * and comments are skipped by the tokenizer. `__torch__.*` names are the archive's
 * own compiled classes; `ops.<namespace>.<op>` outside torch's namespaces is a
 * custom native op; file IO builtins and Python escapes are reported; other
 * `torch.*` names are builtins and ops; every other dotted name (TorchScript
 * cannot call Python, so one is hand-edited code) is judged against the pickle
 * policy (the same deny entries: `os.system`, `builtins.eval`, `subprocess`…),
 * reporting what it denies.
 */
export function scanTorchScriptSource(text: string, policy?: PicklePolicy): ScriptHit[] {
  const hits: ScriptHit[] = [];
  for (const name of codeNames(text)) {
    if (hits.length >= MAX_HITS) break;
    const hit = judgeName(name, policy);
    if (hit) hits.push({ ...hit, call: name.text, line: name.line, column: name.column });
  }
  return hits;
}

type Judgement = Omit<ScriptHit, "call" | "line" | "column">;

function judgeName(name: CodeName, policy: PicklePolicy | undefined): Judgement | undefined {
  const t = name.text;
  if (name.attribute) return undefined;
  if (t === "__torch__" || t.startsWith("__torch__.")) return undefined;
  if (name.called && FILE_WRITE.has(t)) return { family: "file-io", severity: "high", why: "writes a file (aten::save) when the model runs" };
  if (name.called && FILE_READ.has(t)) return { family: "file-io", severity: "high", why: "reads a file chosen by the model when it runs" };
  if (LOAD_LIBRARY.has(t)) return { family: "custom-op", severity: "critical", why: "loads a native library" };
  const op = /^(?:torch\.)?ops\.([^.]+)\.([^.]+)$/.exec(t);
  if (op) {
    if (TORCH_NAMESPACES.has(op[1]!)) return undefined;
    return { family: "custom-op", severity: "medium", why: `calls operator ${op[1]}::${op[2]} from a custom native library, which runs whatever that library does` };
  }
  // Every other torch.* name compiles to a registered builtin or op (torch.jit._fork, torch.relu):
  // TorchScript has no Python to reach, so only the file and library builtins above matter.
  if (t.startsWith("torch.")) return undefined;
  if (!t.includes(".")) {
    if (name.called && t === "open") return { family: "file-io", severity: "high", why: "opens a file (not a TorchScript builtin: hand-edited code)" };
    if (ESCAPES.has(t) && (name.called || t === "__builtins__")) return { family: "python-escape", severity: "critical", why: "a Python escape hatch the TorchScript compiler never emits" };
    return undefined;
  }
  if (!policy) {
    const root = t.slice(0, t.indexOf("."));
    return SYSTEM_MODULES.has(root) ? { family: "python-escape", severity: "critical", why: `names the Python module ${root}, which TorchScript never emits (hand-edited code)` } : undefined;
  }
  const dot = t.lastIndexOf(".");
  const verdict = policy.evaluate(t.slice(0, dot), t.slice(dot + 1));
  if (verdict.verdict !== "dangerous") return undefined;
  return {
    family: "python-escape",
    severity: verdict.entry.severity,
    why: `${name.called ? "calls" : "names"} ${verdict.matched}, which TorchScript never emits (hand-edited code): ${verdict.entry.reason}`,
  };
}
