import type { ByteSource } from "@modelward/core";
import { notebookInstalls, readNotebook } from "@modelward/notebook";
import { condaSpec } from "./conda-parser.js";
import { emptyManifest, type DeclaredDependency, type ParsedManifest } from "./declared-dependency.js";
import { importedDistributions } from "./import-distributions.js";
import { normalizeName } from "./package-name.js";
import { parseRequirement } from "./pep508.js";

/** What a notebook declares: what its cells install, what they import, and what could not be read. */
export interface NotebookDeclarations {
  /** `%pip install` / `!pip install` / conda installs, with their indexes and includes. */
  installs: ParsedManifest;
  /** Distributions of the ML stack its code cells import and do not install. */
  imports: DeclaredDependency[];
  /** Why the notebook could not be fully read (the bounded reader's problems). */
  readProblems: string[];
}

const LOCAL_PATH = /^(?:\.{1,2}|\.{1,2}\/.*|\/.*|~\/.*)$/;

function addInstall(manifest: ParsedManifest, arg: string, line: number, cell: number, conda: boolean): void {
  // A Python or shell variable cannot be resolved statically: say so rather than guess.
  if (/[${}]/.test(arg)) {
    manifest.problems.push({ line, cell, message: `cell ${cell}: install argument "${arg.slice(0, 60)}" is a variable, so what it installs is unknown` });
    return;
  }
  if (LOCAL_PATH.test(arg)) return; // the project's own code
  if (conda) {
    const spec = condaSpec(arg);
    if (!spec) manifest.problems.push({ line, cell, message: `cell ${cell}: unreadable conda spec "${arg.slice(0, 60)}"` });
    else manifest.dependencies.push({ ...spec, extras: [], hashes: [], line, cell, ecosystem: "conda" });
    return;
  }
  const parsed = parseRequirement(arg);
  if (!parsed.ok) manifest.problems.push({ line, cell, message: `cell ${cell}: ${parsed.error}` });
  else manifest.dependencies.push({ ...parsed.value, hashes: [], line, cell, ecosystem: "pypi" });
}

/**
 * Reads a notebook with the bounded streaming reader of `@modelward/notebook`
 * (binary outputs skipped, strings and totals capped) and returns what its
 * code cells install (pip, `python -m pip`, `uv pip`, conda/mamba) and import.
 */
export async function notebookDeclarations(file: ByteSource): Promise<NotebookDeclarations> {
  const { notebook, problems } = await readNotebook(file);
  const installs = emptyManifest();
  for (const inst of notebookInstalls(notebook)) {
    const { cell, line } = inst;
    const conda = inst.tool === "conda";
    for (const req of inst.requirements) addInstall(installs, req, line, cell, conda);
    for (const e of inst.editables) addInstall(installs, e, line, cell, false);
    for (const path of inst.requirementFiles) installs.includes.push({ kind: "requirement", path, line, cell });
    for (const path of inst.constraintFiles) installs.includes.push({ kind: "constraint", path, line, cell });
    if (inst.indexUrl) installs.indexes.push({ kind: "index-url", value: inst.indexUrl, line, cell });
    for (const value of inst.extraIndexUrls) installs.indexes.push({ kind: "extra-index-url", value, line, cell });
    for (const value of inst.findLinks) installs.indexes.push({ kind: "find-links", value, line, cell });
    for (const value of inst.trustedHosts) installs.indexes.push({ kind: "trusted-host", value, line, cell });
  }
  const installed = new Set(installs.dependencies.map((d) => normalizeName(d.name)));
  const imports: DeclaredDependency[] = [];
  const seen = new Set<string>();
  for (const cell of notebook.cells) {
    if (cell.cellType !== "code") continue;
    for (const dep of importedDistributions(cell.source, cell.index)) {
      if (installed.has(dep.name) || seen.has(dep.name)) continue;
      seen.add(dep.name);
      imports.push(dep);
    }
  }
  return { installs, imports, readProblems: problems.map((p) => p.message) };
}
