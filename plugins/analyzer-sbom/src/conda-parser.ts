import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { emptyManifest, type ParsedManifest } from "./declared-dependency.js";
import { NAME_PATTERN } from "./package-name.js";
import { parseRequirementsFile } from "./requirements-parser.js";

/** conda's match spec as environment files write it: `name`, `name=1.2`, `name==1.2=build`, `channel::name>=1.2`. */
export function condaSpec(text: string): { name: string; specifier?: string; version?: string } | undefined {
  const m = /^(?:[A-Za-z0-9_.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$/.exec(text.trim());
  if (!m || !NAME_PATTERN.test(m[1]!)) return undefined;
  const spec = m[2]!.trim();
  if (!spec) return { name: m[1]! };
  // `==1.2[=build]` and `=1.2=build` (what `conda env export` writes) are exact; `=1.2` alone is a prefix match (1.2.*).
  const exact = /^(?:==([0-9][A-Za-z0-9.+!_]*)(?:=[A-Za-z0-9_.*]+)?|=([0-9][A-Za-z0-9.+!_]*)=[A-Za-z0-9_.*]+)$/.exec(spec);
  const version = exact?.[1] ?? exact?.[2];
  return { name: m[1]!, specifier: spec, ...(version ? { version } : {}) };
}

/**
 * conda `environment.yml`: `dependencies` (conda match specs) and its
 * `pip:` subsection (pip requirement lines, read by the requirements parser).
 */
export function parseCondaEnvironment(text: string): ParsedManifest {
  const manifest = emptyManifest();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 5)) manifest.problems.push({ line: e.linePos?.[0]?.line, message: `invalid YAML: ${e.message.split("\n")[0]}` });
    return manifest;
  }
  const lineOf = (n: Node | null | undefined) => (n?.range ? counter.linePos(n.range[0]).line : 1);
  const root = doc.contents;
  if (!isMap(root)) {
    manifest.problems.push({ message: "environment file is not a mapping" });
    return manifest;
  }
  const deps = root.get("dependencies", true);
  if (deps === undefined) return manifest;
  if (!isSeq(deps)) {
    manifest.problems.push({ line: lineOf(deps as Node), message: "dependencies is not a list" });
    return manifest;
  }
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === "string") {
      const spec = condaSpec(item.value);
      if (!spec) manifest.problems.push({ line: lineOf(item), message: `unreadable conda spec "${item.value.slice(0, 80)}"` });
      else if (spec.name !== "pip" && spec.name !== "python") manifest.dependencies.push({ ...spec, extras: [], hashes: [], line: lineOf(item), ecosystem: "conda" });
      continue;
    }
    if (isMap(item) && item.has("pip")) {
      const pip = item.get("pip", true);
      if (!isSeq(pip)) {
        manifest.problems.push({ line: lineOf(item as Node), message: "pip: is not a list" });
        continue;
      }
      for (const entry of pip.items) {
        if (!isScalar(entry) || typeof entry.value !== "string") {
          manifest.problems.push({ line: lineOf(entry as Node), message: "pip: entry is not a string" });
          continue;
        }
        const line = lineOf(entry);
        // Each entry is one requirements line (options such as --extra-index-url included).
        const sub = parseRequirementsFile(entry.value);
        for (const d of sub.dependencies) manifest.dependencies.push({ ...d, line });
        for (const x of sub.indexes) manifest.indexes.push({ ...x, line });
        for (const x of sub.includes) manifest.includes.push({ ...x, line });
        for (const p of sub.problems) manifest.problems.push({ ...p, line });
      }
      continue;
    }
    manifest.problems.push({ line: lineOf(item as Node), message: "unreadable dependencies entry" });
  }
  return manifest;
}
