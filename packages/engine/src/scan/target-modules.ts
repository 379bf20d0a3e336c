import type { RuleMeta } from "@modelward/core";
import type { ArtifactRecord } from "./artifact-record.js";
import type { FindingBuilder } from "./finding-builder.js";

/** The engine's own rule: an import that the scanned target itself supplies. */
export const MODULE_FROM_TARGET: RuleMeta = {
  id: "python/module-from-target",
  title: "The model imports a Python module that the scanned folder itself supplies",
  description:
    "An artifact imports a module (a pickle global such as `mymodel.Net`, `__torch__.Net` or `transformers.X`, or a code module an analyzer records) and the scanned target holds that module as a file (`mymodel.py`, `__torch__.py`, `transformers/__init__.py`, a compiled `mymodel.cpython-311-x86_64-linux-gnu.so`). Python puts the working directory (or the script's folder) first on `sys.path`, so loading the model from that folder imports the folder's code instead of (or in the absence of) the installed library and runs it. The import may look harmless to a policy that trusts the library's name; the code that runs is the folder's. Checked across the whole scan, for every ancestor folder of the importing file within the target.",
  remediation:
    "Do not load the model from this folder (or with it on `sys.path`). Review the supplying file; remove it, or load the weights with a loader that imports nothing (`weights_only=True`, safetensors).",
  defaultSeverity: "high",
  category: "deserialization",
  taxonomy: { cwe: ["CWE-427", "CWE-94", "CWE-502"], atlas: ["AML.T0011.000", "AML.T0010.003"], owasp: ["LLM03:2025", "ML06:2023"] },
  references: [
    "https://docs.python.org/3/library/sys_path_init.html",
    "https://docs.python.org/3/library/pickle.html#restricting-globals",
    "https://huggingface.co/docs/transformers/custom_models#using-a-model-with-custom-code",
  ],
};

// Import kinds that name a Python module: pickle globals and code modules (e.g. Hugging Face auto_map).
const MODULE_KINDS: ReadonlySet<string> = new Set(["global", "module"]);
// Imported before any user code runs (interpreter start-up), so a file of that name never shadows them.
const PRELOADED = new Set([
  "__main__", "__builtin__", "builtins", "sys", "os", "io", "abc", "codecs", "encodings", "stat", "posixpath", "ntpath",
  "genericpath", "_collections_abc", "site", "_sitebuiltins", "marshal", "posix", "nt", "_io", "_abc", "_codecs",
  "_thread", "_weakref", "_warnings", "_imp", "time", "zipimport", "_frozen_importlib", "_frozen_importlib_external", "_signal", "_stat",
]);
const CODE_FORMATS: ReadonlySet<string> = new Set(["python", "notebook"]);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
// At most this many findings per importing artifact: the count is in the evidence of the last one.
const MAX_PER_ARTIFACT = 20;

/**
 * The module a file supplies when its folder is on `sys.path`, relative to that folder:
 * `mymodel.py` → `mymodel`, `pkg/__init__.py` → `pkg`, `pkg/sub.py` → `pkg.sub`,
 * `ext.cpython-311-x86_64-linux-gnu.so` → `ext`. Undefined for anything Python does not import.
 */
export function suppliedModule(relativePath: string): string | undefined {
  const parts = relativePath.split("/");
  const file = parts.pop()!;
  const m = /^([^.]+)(?:\.[^.]+)*\.(py|pyc|pyw|so|pyd)$/.exec(file);
  if (!m) return undefined;
  // Only `.so`/`.pyd` carry ABI tags (`x.cpython-311-….so`); `a.b.py` is not importable as `a`.
  if ((m[2] === "py" || m[2] === "pyc" || m[2] === "pyw") && file !== `${m[1]}.${m[2]}`) return undefined;
  const segments = m[1] === "__init__" ? parts : [...parts, m[1]!];
  if (segments.length === 0 || !segments.every((s) => IDENT.test(s))) return undefined;
  return segments.join(".");
}

/**
 * Scan-level check (after every artifact of the scan is recorded): for each
 * module-like import of an artifact, whether the same target supplies that
 * module from the importing file's folder or one of its ancestors. Reports
 * `python/module-from-target` on the importing artifact, naming both files.
 * Analyzers take part by recording imports (`ctx.recordImport` with kind
 * `global` or `module`); nothing else is needed.
 */
export function reportModulesFromTarget(records: readonly ArtifactRecord[], findings: FindingBuilder): void {
  // target → folder ('' for the root) → module name → supplying path.
  const supplied = new Map<string, Map<string, Map<string, string>>>();
  for (const r of records) {
    if (r.members.length > 0 || !r.path) continue;
    const parts = r.path.split("/");
    for (let depth = 0; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      const module = suppliedModule(parts.slice(depth).join("/"));
      if (!module) continue;
      const byFolder = supplied.get(r.target) ?? new Map<string, Map<string, string>>();
      supplied.set(r.target, byFolder);
      const modules = byFolder.get(folder) ?? new Map<string, string>();
      byFolder.set(folder, modules);
      if (!modules.has(module)) modules.set(module, r.path);
    }
  }
  if (supplied.size === 0) return;
  for (const r of records) {
    const byFolder = supplied.get(r.target);
    if (!byFolder || r.imports.length === 0) continue;
    // Source code importing its sibling modules is ordinary; a model that does is the threat.
    if (r.format !== undefined && CODE_FORMATS.has(r.format)) continue;
    // The importing file's folder first, then each ancestor up to the target root.
    const parts = r.path.split("/");
    const folders: string[] = [];
    for (let n = parts.length - 1; n >= 0; n--) folders.push(parts.slice(0, n).join("/"));
    const seen = new Set<string>();
    let reported = 0;
    for (const imp of r.imports) {
      if (!MODULE_KINDS.has(imp.kind)) continue;
      const segments = imp.name.split(".");
      if (PRELOADED.has(segments[0]!)) continue;
      const hit = findSupplier(segments, folders, byFolder);
      if (!hit || seen.has(`${hit.module}\n${hit.path}`)) continue;
      seen.add(`${hit.module}\n${hit.path}`);
      if (++reported > MAX_PER_ARTIFACT) break;
      const here = [r.path, ...r.members].join(" ▸ ");
      const finding = findings.build(
        {
          ruleId: MODULE_FROM_TARGET.id,
          message: `imports ${imp.name} while the scanned target supplies module "${hit.module}" as "${hit.path}": loading ${here} with that folder on sys.path (the working directory) runs that file's code`,
          evidence: { import: imp.name, module: hit.module, supplier: hit.path, importer: here },
        },
        { target: r.target, path: r.path, members: r.members },
      );
      if (!finding) continue;
      const same = r.findings.find((f) => f.fingerprint === finding.fingerprint);
      if (same) same.occurrences++;
      else r.findings.push(finding);
    }
  }
}

function findSupplier(segments: readonly string[], folders: readonly string[], byFolder: ReadonlyMap<string, ReadonlyMap<string, string>>): { module: string; path: string } | undefined {
  for (const folder of folders) {
    const modules = byFolder.get(folder);
    if (!modules) continue;
    // The longest prefix of the import that a file of this folder supplies.
    for (let n = segments.length; n >= 1; n--) {
      const module = segments.slice(0, n).join(".");
      const path = modules.get(module);
      if (path !== undefined) return { module, path };
    }
  }
  return undefined;
}
