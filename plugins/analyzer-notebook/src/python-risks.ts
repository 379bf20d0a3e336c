import type { EvidenceValue, RuleMeta, Severity } from "@modelward/core";
import { FetchedNames, lastName, MAY_FETCH, type Fetched } from "./python-fetch.js";
import { ProgramFlow } from "./python-flow.js";
import { ImportBindings, stringLiteralValue } from "./python-names.js";
import { MAX_PARSED_CHARS, nodesOfTypes, parsePython, type PythonNode, type PythonTree } from "./python-parser.js";
import { RULES } from "./rules.js";
import { commandLineRisks } from "./shell-risks.js";

/** One piece of Python: a `.py` file, or a notebook code cell with its IPython escapes blanked. */
export interface PythonUnit {
  source: string;
  /** Notebook cell index and execution count; absent for a file. */
  cell?: number;
  executionCount?: number | null;
  jsonPointer?: string;
}

/** A runtime risk found in a unit. */
export interface PythonRisk {
  rule: RuleMeta;
  severity: Severity;
  unit: number;
  /** 1-based line (in the cell, for notebooks) and column (UTF-16 code units). */
  line: number;
  column: number;
  message: string;
  evidence: Record<string, EvidenceValue>;
}

/** What {@link pythonRisks} found, and what it could not read. */
export interface PythonAnalysis {
  risks: PythonRisk[];
  /** Why parts of the code were not checked (too large to parse, unparsable around a risky name). */
  unchecked: string[];
  /** Units parsed (0 when no unit mentions anything the rules look for). */
  parsedUnits: number;
  /** Units whose parse had syntax errors (tree-sitter recovers around them). */
  syntaxErrorUnits: number;
}

/**
 * Names without which no rule can fire: a program that mentions none is not
 * parsed at all (most files of a repository), so the parser is not even loaded.
 */
const TRIGGER = /\b(?:load|loads|load_url|load_state_dict_from_url|read_pickle|Unpickler|trust_remote_code|safe_mode|enable_unsafe_deserialization|exec|eval|compile|run_path|system|popen|Popen|spawn\w*|exec[lv]p?e?|subprocess|getoutput|getstatusoutput)\b/;
/** The same names, looked for in regions the parser could not make sense of. */
const RISKY_NAMES = /\b(?:load|loads|load_url|load_state_dict_from_url|read_pickle|Unpickler|trust_remote_code|safe_mode|enable_unsafe_deserialization|exec|eval|run_path|system|popen|Popen|check_output|check_call)\b/g;

const TORCH_LOADS = new Set(["torch.load", "torch.hub.load_state_dict_from_url", "torch.utils.model_zoo.load_url"]);
const TORCH_FROM_URL = new Set(["torch.hub.load_state_dict_from_url", "torch.utils.model_zoo.load_url"]);
const PICKLE_LOADS = new Set([
  "pickle.load", "pickle.loads", "pickle.Unpickler", "joblib.load", "dill.load", "dill.loads", "dill.Unpickler", "cloudpickle.load", "cloudpickle.loads",
  "pandas.read_pickle", "numpy.load",
]);
/** Keyword names of the file or data argument of the loaders. */
const PATH_KEYWORDS = ["f", "file", "filename", "filepath", "filepath_or_buffer", "fid", "data", "url", "path", "filepath_or_url"];
const KERAS_LOADERS = new Set(["load_model", "model_from_json", "model_from_config", "model_from_yaml", "deserialize_keras_object", "from_config", "deserialize", "load"]);
const EXECS = new Set(["builtins.exec", "builtins.eval", "builtins.compile", "runpy.run_path"]);
const COMMANDS = new Set([
  "os.system", "os.popen", "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe", "os.spawnl",
  "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe", "os.posix_spawn", "os.posix_spawnp",
  "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen", "subprocess.getoutput",
  "subprocess.getstatusoutput", "commands.getoutput", "pty.spawn",
]);
/** Command functions whose string argument is a shell command line (subprocess's only with `shell=True`). */
const SHELL_STRING = new Set(["os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput"]);
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh"]);
const COMMIT = /^[0-9a-f]{40}$/i;

const IMPORT_NODES = new Set(["import_statement", "import_from_statement"]);
const WALKED_NODES = new Set(["call", "assignment", "augmented_assignment", "named_expression", "with_item", "ERROR"]);

/**
 * Runtime risks of Python code, read with tree-sitter's Python grammar (so
 * strings, comments and docstrings are never calls): `torch.load` without
 * `weights_only=True`, pickle-based loaders, `trust_remote_code=True`, Keras
 * `safe_mode=False`, `exec`/`eval` of fetched content, commands built from
 * downloads, and shell command strings that pipe a download into a shell.
 * Units are one program, read in order: imports anywhere bind names for
 * every unit (`import torch as t` in cell 1 serves cell 5), assignments of
 * fetched values (`r = requests.get(u)`) carry to later units, and values
 * that cross the program's functions (returned, passed as arguments,
 * module-level variables, `self.` attributes) are followed by `ProgramFlow`.
 */
export async function pythonRisks(units: readonly PythonUnit[], signal?: AbortSignal): Promise<PythonAnalysis> {
  const out: PythonAnalysis = { risks: [], unchecked: [], parsedUnits: 0, syntaxErrorUnits: 0 };
  if (!units.some((u) => TRIGGER.test(u.source))) return out;
  const trees: (PythonTree | undefined)[] = [];
  try {
    for (const [i, unit] of units.entries()) {
      if (signal?.aborted) return out;
      if (unit.source.length > MAX_PARSED_CHARS) {
        trees.push(undefined);
        out.unchecked.push(`${where(unit, 1)}: ${unit.source.length} characters of Python, over the ${MAX_PARSED_CHARS} the parser reads, not checked for runtime risks`);
        continue;
      }
      trees.push(await parsePython(unit.source));
      out.parsedUnits++;
      if (trees[i]!.rootNode.hasError) out.syntaxErrorUnits++;
    }
    const bindings = new ImportBindings();
    for (const tree of trees) if (tree) for (const node of nodesOfTypes(tree, IMPORT_NODES)) bindings.add(node);
    // Values that cross functions (returned, passed, module-level, `self.` attributes): only a program that
    // defines functions and may fetch something needs them worked out.
    const flow = units.some((u) => MAY_FETCH.test(u.source)) && units.some((u) => /\bdef\s/.test(u.source)) ? new ProgramFlow(trees, bindings) : undefined;
    const program = new ProgramChecks(bindings, out, flow);
    trees.forEach((tree, i) => {
      if (!tree) return;
      if (flow) flow.unit = i;
      program.check(tree, units[i]!, i);
    });
  } finally {
    for (const t of trees) t?.delete();
  }
  return out;
}

/** The checks of one program (its units in order), with the names bound so far. */
class ProgramChecks {
  private readonly fetchedNames: FetchedNames;
  /** Files shell commands of the program downloaded (`wget x.sh` … `bash x.sh`). */
  private readonly downloaded = new Map<string, string>();

  constructor(
    private readonly bindings: ImportBindings,
    private readonly out: PythonAnalysis,
    flow: ProgramFlow | undefined,
  ) {
    this.fetchedNames = new FetchedNames(bindings, flow);
  }

  check(tree: PythonTree, unit: PythonUnit, index: number): void {
    const errors: PythonNode[] = [];
    for (const node of nodesOfTypes(tree, WALKED_NODES)) {
      if (node.type === "call") this.call(node, unit, index);
      else if (node.type === "ERROR") {
        if (!errors.some((e) => node.startIndex >= e.startIndex && node.endIndex <= e.endIndex)) errors.push(node);
      } else this.fetchedNames.bind(node);
    }
    // Fail closed where the parser gave up on code that names what the rules look for outside any call, string or comment.
    for (const e of errors) {
      const read = readRegions(e);
      for (const m of e.text.matchAll(RISKY_NAMES)) {
        const at = e.startIndex + m.index;
        if (read.some(([s, end]) => at >= s && at < end)) continue;
        this.out.unchecked.push(`${where(unit, e.startPosition.row + 1)}: Python the parser could not read mentions \`${m[0]}\`, not checked for runtime risks`);
        break;
      }
    }
  }

  private call(node: PythonNode, unit: PythonUnit, index: number): void {
    const fn = node.childForFieldName("function");
    const names = this.bindings.qualify(fn);
    const args = readArguments(node);
    const report = (rule: RuleMeta, severity: Severity, what: string, evidence: Record<string, EvidenceValue>, at: PythonNode = node) => {
      const line = at.startPosition.row + 1;
      this.out.risks.push({
        rule,
        severity,
        unit: index,
        line,
        column: at.startPosition.column + 1,
        message: `${what} in ${where(unit, line)}`,
        evidence: { ...evidence, ...(unit.executionCount != null ? { executionCount: unit.executionCount } : {}) },
      });
    };
    const called = names[0] ?? (fn ? fn.text.slice(0, 80) : "?");

    const trust = args.keywords.get("trust_remote_code");
    if (trust) {
      const first = args.positional[0];
      const local = first ? /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(stringLiteralValue(first) ?? "") : false;
      const revision = args.keywords.get("revision");
      const pinned = revision ? COMMIT.test(stringLiteralValue(revision) ?? "") : false;
      if (trust.type === "true") {
        const sev: Severity = pinned || local ? "medium" : "high";
        report(RULES.trustRemoteCode, sev, `${called}(trust_remote_code=True) imports the model repository's Python${pinned ? " (revision pinned to a commit)" : local ? " (local path)" : ", revision not pinned to a commit"}`, { call: called, pinned, local }, trust);
      } else if (trust.type !== "false" && trust.type !== "none") {
        report(RULES.trustRemoteCode, "low", `${called}(trust_remote_code=${trust.text.slice(0, 40)}) may import the model repository's Python (the value is decided at run time)`, { call: called, value: "expression" }, trust);
      }
    }

    const torch = names.find((q) => TORCH_LOADS.has(q));
    if (torch) {
      const source = TORCH_FROM_URL.has(torch) ? ({ kind: "url", via: torch } satisfies Fetched) : this.source(args);
      const wo = args.keywords.get("weights_only");
      const weightsOnly = !wo ? "absent" : wo.type === "true" ? "true" : wo.type === "false" ? "false" : "expression";
      if (weightsOnly !== "true") {
        const sev: Severity = weightsOnly === "false" ? (source ? "high" : "medium") : source ? "medium" : "low";
        const how = weightsOnly === "false" ? "with weights_only=False" : weightsOnly === "absent" ? "without weights_only (unpickles on torch < 2.6)" : `with weights_only=${wo!.text.slice(0, 40)} (decided at run time)`;
        report(RULES.torchLoad, sev, `${torch} ${how} of ${describeSource(source)}`, { call: torch, weightsOnly, ...sourceEvidence(source) });
      }
    }

    const pickle = names.find((q) => PICKLE_LOADS.has(q));
    if (pickle && (pickle !== "numpy.load" || args.keywords.get("allow_pickle")?.type === "true")) {
      const source = this.source(args);
      report(RULES.pickleLoad, source ? "high" : "medium", `${pickle}${pickle === "numpy.load" ? "(allow_pickle=True)" : ""} unpickles ${describeSource(source)}`, { call: pickle, ...sourceEvidence(source) });
    }

    if (fn && lastName(fn) === "enable_unsafe_deserialization") {
      report(RULES.kerasUnsafe, "medium", `${called}() turns Keras safe mode off for every later load`, { call: called });
    }
    const safeMode = args.keywords.get("safe_mode");
    if (safeMode?.type === "false" && fn && (names.some((q) => q.startsWith("keras.")) || KERAS_LOADERS.has(lastName(fn)))) {
      const source = this.source(args);
      report(RULES.kerasUnsafe, source ? "high" : "medium", `${called}(safe_mode=False) loads ${describeSource(source)} with its Lambda code`, { call: called, ...sourceEvidence(source) }, safeMode);
    }

    const exec = names.find((q) => EXECS.has(q));
    if (exec && args.positional[0]) {
      const fetched = this.fetchedNames.fetched(args.positional[0], false);
      if (fetched) report(RULES.execFetched, "high", `${exec.replace(/^builtins\./, "")}() runs content fetched by ${fetched.via}`, { call: exec, via: fetched.via });
    }

    const command = names.find((q) => COMMANDS.has(q));
    if (command) this.command(command, node, args, report);
  }

  private command(command: string, node: PythonNode, args: Arguments, report: (rule: RuleMeta, severity: Severity, what: string, evidence: Record<string, EvidenceValue>, at?: PythonNode) => void): void {
    const argList = node.childForFieldName("arguments");
    const fetched = argList ? this.fetchedNames.fetched(argList, false) : undefined;
    if (fetched) {
      report(RULES.commandFetched, "high", `${command}() runs a command built from content fetched by ${fetched.via}`, { call: command, via: fetched.via });
      return;
    }
    const first = args.positional[0];
    if (!first) return;
    const shellTrue = args.keywords.get("shell")?.type === "true";
    let script: string | undefined;
    if (first.type === "list" || first.type === "tuple") {
      const words = first.namedChildren.map((c) => (c ? stringLiteralValue(c) : undefined));
      if (words.length === 0 || words.some((w) => w === undefined)) return;
      const w = words as string[];
      const exe = w[0]!.replace(/^.*\//, "");
      script = SHELLS.has(exe) && w[1] === "-c" && w[2] !== undefined ? w[2] : w.map((x) => (/[\s|;&<>()$`"']/.test(x) ? `'${x.replace(/'/g, "'\\''")}'` : x)).join(" ");
    } else {
      const text = stringLiteralValue(first);
      if (text === undefined) return;
      // A plain string is a shell command line for os.system and friends, and for subprocess with shell=True; otherwise a program name.
      script = SHELL_STRING.has(command) || shellTrue ? text : text.split(/\s+/)[0];
    }
    if (script === undefined) return;
    for (const r of commandLineRisks(script, command, this.downloaded)) {
      const how = r.how === "pipe" ? `pipes ${r.downloader} output into ${r.interpreter}` : r.how === "substitution" ? `runs ${r.downloader} output through ${r.interpreter} substitution` : `runs a file ${r.downloader} downloaded (${r.interpreter})`;
      report(RULES.shellDownloadExec, "high", `${command}() command ${how}${r.host ? ` from ${r.host}` : ""}`, { how: r.how, downloader: r.downloader, interpreter: r.interpreter, escape: command, ...(r.host ? { host: r.host } : {}) }, first);
    }
  }

  /** Where a loader's data comes from: remote (fetched or a URL), or undefined for a local path or other bytes. */
  private source(args: Arguments): Fetched | undefined {
    const arg = args.positional[0] ?? PATH_KEYWORDS.map((k) => args.keywords.get(k)).find(Boolean);
    return arg ? this.fetchedNames.fetched(arg, true) : undefined;
  }
}

/** Ranges of an unparsable region that were read as something: the function of a call, a string, a comment. */
function readRegions(error: PythonNode): [number, number][] {
  const out: [number, number][] = [];
  const stack: PythonNode[] = [error];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "string" || n.type === "comment" || n.type === "concatenated_string") {
      out.push([n.startIndex, n.endIndex]);
      continue;
    }
    if (n.type === "call") {
      const fn = n.childForFieldName("function");
      if (fn) out.push([fn.startIndex, fn.endIndex]);
    }
    for (const c of n.children) if (c) stack.push(c);
  }
  return out;
}

interface Arguments {
  positional: PythonNode[];
  /** Keyword arguments by name: their value nodes. */
  keywords: Map<string, PythonNode>;
}

function readArguments(call: PythonNode): Arguments {
  const out: Arguments = { positional: [], keywords: new Map() };
  const list = call.childForFieldName("arguments");
  if (!list || list.type !== "argument_list") return out;
  for (const a of list.namedChildren) {
    if (!a || a.type === "comment") continue;
    if (a.type === "keyword_argument") {
      const name = a.childForFieldName("name")?.text;
      const value = a.childForFieldName("value");
      if (name && value) out.keywords.set(name, value);
    } else if (a.type !== "list_splat" && a.type !== "dictionary_splat") out.positional.push(a);
  }
  return out;
}

function describeSource(source: Fetched | undefined): string {
  return source ? `a remote file (${source.via})` : "a local file or bytes";
}

function sourceEvidence(source: Fetched | undefined): Record<string, EvidenceValue> {
  return source ? { source: "remote", via: source.via, ...(source.host ? { host: source.host } : {}) } : { source: "local" };
}

function where(unit: PythonUnit, line: number): string {
  return unit.cell !== undefined ? `cell ${unit.cell}${unit.executionCount != null ? ` [${unit.executionCount}]` : ""}, line ${line}` : `line ${line}`;
}
