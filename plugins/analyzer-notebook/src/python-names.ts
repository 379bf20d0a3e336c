import type { PythonNode } from "./python-parser.js";

/**
 * Module names people use without importing them in the same file or cell (a
 * notebook run with `%run`, a snippet): resolved only when the name is bound
 * by no import at all.
 */
const CONVENTIONAL: Readonly<Record<string, string>> = {
  np: "numpy", pd: "pandas", tf: "tensorflow", torch: "torch", pickle: "pickle", cPickle: "pickle", joblib: "joblib", dill: "dill",
  cloudpickle: "cloudpickle", keras: "keras", os: "os", subprocess: "subprocess", requests: "requests", urllib: "urllib", httpx: "httpx",
  numpy: "numpy", pandas: "pandas", tensorflow: "tensorflow", builtins: "builtins", runpy: "runpy",
};

/** Builtins that matter here, qualified as `builtins.<name>` when no import rebinds them. */
const BUILTINS = new Set(["exec", "eval", "compile", "__import__", "open"]);

/** Modules whose functions are the same under another name: `cPickle.load` is `pickle.load`. */
const MODULE_SYNONYMS: Readonly<Record<string, string>> = {
  cPickle: "pickle", _pickle: "pickle", "six.moves.cPickle": "pickle", "sklearn.externals.joblib": "joblib", "tensorflow.keras": "keras",
  "tensorflow.python.keras": "keras", tf_keras: "keras", "torch.serialization": "torch", "urllib2": "urllib.request", "urllib.urlopen": "urllib.request.urlopen",
};

/**
 * What the names of a program are bound to by its imports (`import torch as t`
 * binds `t` to `torch`; `from pickle import loads as l` binds `l` to
 * `pickle.loads`), over every unit of a notebook together: an import in one
 * cell serves the cells after it, and imports inside functions count too.
 */
export class ImportBindings {
  private readonly bound = new Map<string, Set<string>>();

  /** Records the bindings of an `import_statement` or `import_from_statement` node. */
  add(node: PythonNode): void {
    if (node.type === "import_statement") {
      for (const name of node.childrenForFieldName("name")) {
        if (!name) continue;
        if (name.type === "aliased_import") {
          const module = name.childForFieldName("name")?.text;
          const alias = name.childForFieldName("alias")?.text;
          if (module && alias) this.bind(alias, module);
        } else {
          // `import a.b.c` binds `a` to `a`.
          const top = name.text.split(".")[0]!;
          this.bind(top, top);
        }
      }
      return;
    }
    if (node.type !== "import_from_statement") return;
    const moduleNode = node.childForFieldName("module_name");
    if (!moduleNode || moduleNode.type === "relative_import") return; // the project's own modules
    const module = moduleNode.text.replace(/\s+/g, "");
    for (const name of node.childrenForFieldName("name")) {
      if (!name) continue;
      if (name.type === "aliased_import") {
        const imported = name.childForFieldName("name")?.text;
        const alias = name.childForFieldName("alias")?.text;
        if (imported && alias) this.bind(alias, `${module}.${imported}`);
      } else {
        this.bind(name.text, `${module}.${name.text}`);
      }
    }
  }

  private bind(name: string, qualified: string): void {
    let set = this.bound.get(name);
    if (!set) this.bound.set(name, (set = new Set()));
    set.add(canonical(qualified));
  }

  /**
   * The qualified names an expression may denote (`t.load` → `torch.load`),
   * or none when it is not a dotted name rooted in an import, a builtin or a
   * conventional module name. `__import__("pickle")` and
   * `importlib.import_module("pickle")` denote the module they import.
   */
  qualify(node: PythonNode | null): string[] {
    if (!node) return [];
    switch (node.type) {
      case "identifier": {
        const set = this.bound.get(node.text);
        if (set) return [...set];
        if (BUILTINS.has(node.text)) return [`builtins.${node.text}`];
        const conventional = CONVENTIONAL[node.text];
        return conventional ? [canonical(conventional)] : [];
      }
      case "attribute": {
        const attr = node.childForFieldName("attribute")?.text;
        if (!attr) return [];
        return this.qualify(node.childForFieldName("object")).map((q) => canonical(`${q}.${attr}`));
      }
      case "call": {
        const fn = this.qualify(node.childForFieldName("function"));
        if (!fn.some((q) => q === "builtins.__import__" || q === "importlib.import_module")) return [];
        const arg = node.childForFieldName("arguments")?.namedChildren[0];
        const module = arg ? stringLiteralValue(arg) : undefined;
        return module && /^[A-Za-z_][\w.]*$/.test(module) ? [canonical(module)] : [];
      }
      case "parenthesized_expression":
        return this.qualify(node.namedChildren[0] ?? null);
      default:
        return [];
    }
  }
}

/** A qualified name with module synonyms folded (`cPickle.loads` → `pickle.loads`, `tensorflow.keras.models.load_model` → `keras.models.load_model`). */
export function canonical(qualified: string): string {
  for (const [from, to] of Object.entries(MODULE_SYNONYMS)) {
    if (qualified === from || qualified.startsWith(`${from}.`)) return to + qualified.slice(from.length);
  }
  return qualified;
}

/**
 * The value of a plain string literal (no interpolation, no implicit
 * concatenation of f-strings), or undefined. Escapes are left as written:
 * only URLs, paths and command lines are read from it.
 */
export function stringLiteralValue(node: PythonNode): string | undefined {
  if (node.type === "concatenated_string") {
    const parts = node.namedChildren.map((c) => (c ? stringLiteralValue(c) : undefined));
    return parts.every((p) => p !== undefined) ? parts.join("") : undefined;
  }
  if (node.type !== "string") return undefined;
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  return node.namedChildren
    .filter((c) => c?.type === "string_content" || c?.type === "escape_sequence")
    .map((c) => c!.text)
    .join("");
}

/** The leading text of a string literal, f-strings included (`f"https://{host}/x"` → `https://`), for URL tests. */
export function stringLiteralPrefix(node: PythonNode): string | undefined {
  if (node.type === "concatenated_string") {
    const first = node.namedChildren[0];
    return first ? stringLiteralPrefix(first) : undefined;
  }
  if (node.type !== "string") return undefined;
  let out = "";
  for (const c of node.namedChildren) {
    if (c?.type === "string_content" || c?.type === "escape_sequence") out += c.text;
    else if (c?.type === "interpolation") break;
  }
  return out;
}
