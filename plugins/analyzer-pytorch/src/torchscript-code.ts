import type { Severity } from "@modelward/core";

/** One dangerous construct found in a TorchScript source. */
export interface ScriptHit {
  /** What it is: `file-io`, `custom-op`, `python-escape`. */
  family: "file-io" | "custom-op" | "python-escape";
  /** The matched text (`torch.save`, `ops.mylib.run`). */
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

interface Pattern {
  re: RegExp;
  family: ScriptHit["family"];
  severity: Severity;
  why: string;
}

// TorchScript builtins with file-system effects (aten::save writes, aten::from_file and torch.load read),
// and Python names the TorchScript compiler never emits: their presence means hand-edited code.
const PATTERNS: Pattern[] = [
  { re: /\b(?:torch\.save|ops\.aten\.save|aten::save)\s*\(/g, family: "file-io", severity: "high", why: "writes a file (aten::save) when the model runs" },
  { re: /\b(?:torch\.load|torch\.from_file|ops\.aten\.from_file|aten::from_file|torch\.jit\.load)\s*\(/g, family: "file-io", severity: "high", why: "reads a file chosen by the model when it runs" },
  { re: /(?<![\w.])open\s*\(/g, family: "file-io", severity: "high", why: "opens a file (not a TorchScript builtin: hand-edited code)" },
  { re: /(?<![\w.])(?:__import__|exec|eval|compile|globals|locals|__builtins__)\s*\(/g, family: "python-escape", severity: "critical", why: "a Python escape hatch the TorchScript compiler never emits" },
  { re: /(?<![\w.])(?:os|subprocess|sys|importlib|builtins|socket|shutil|ctypes|pty|posix)\.[A-Za-z_]\w*/g, family: "python-escape", severity: "critical", why: "names a Python system module the TorchScript compiler never emits" },
  { re: /\btorch\.ops\.load_library\b|\btorch\.classes\.load_library\b/g, family: "custom-op", severity: "critical", why: "loads a native library" },
];

const CUSTOM_OP = /(?<![\w])(?:torch\.)?ops\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)/g;
const MAX_HITS = 50;

/** Scans one TorchScript source for dangerous calls. Comments and strings are not skipped: hand-written payloads are what we look for. */
export function scanTorchScriptSource(text: string): ScriptHit[] {
  const hits: ScriptHit[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (index: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - lineStarts[lo]! + 1 };
  };
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (hits.length >= MAX_HITS) return hits;
      hits.push({ family: p.family, call: m[0].replace(/\s*\($/, ""), severity: p.severity, why: p.why, ...position(m.index) });
    }
  }
  for (const m of text.matchAll(CUSTOM_OP)) {
    if (hits.length >= MAX_HITS) break;
    if (TORCH_NAMESPACES.has(m[1]!)) continue;
    hits.push({ family: "custom-op", call: m[0], severity: "medium", why: `calls operator ${m[1]}::${m[2]} from a custom native library, which runs whatever that library does`, ...position(m.index) });
  }
  return hits.sort((a, b) => a.line - b.line || a.column - b.column);
}
