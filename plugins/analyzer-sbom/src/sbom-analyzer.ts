import type { Analyzer, AnalyzerContext, FindingInput, ModelFile } from "@modelward/core";
import { looksLikeNotebook } from "@modelward/notebook";
import { checkAdvisories } from "./advisory-check.js";
import { mergeAdvisories, type PypiAdvisory } from "./advisory-snapshot.js";
import { componentOf } from "./components.js";
import { emptyManifest, type DeclaredDependency, type ParsedManifest } from "./declared-dependency.js";
import { importedDistributions } from "./import-distributions.js";
import { notebookDeclarations } from "./notebook-manifest.js";
import { mergeReputation, reputationFindings } from "./package-reputation.js";
import { integrityFindings } from "./dependency-checks.js";
import { manifestKind, PARSERS, type ManifestKind } from "./manifest-kind.js";
import { ALL_RULES, RULES } from "./rules.js";

/** Bytes of one manifest read at most: a lock file of a very large monorepo is a few MiB. */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
/** Bytes of a Python source read for its imports at most (imports sit at the top; past 8 MiB a file is generated data). */
export const MAX_PYTHON_BYTES = 8 * 1024 * 1024;
/** Findings about unreadable entries per file before one summary (a binary file named requirements.txt). */
const MAX_PROBLEM_FINDINGS = 20;

function report(ctx: AnalyzerContext, findings: FindingInput[]): void {
  for (const f of findings) ctx.report(f);
}

/**
 * Reads Python dependency manifests: every declared library becomes an SBOM
 * component (purl, version or range, line, manifest kind), and the manifest's
 * indexes, references and pins are checked. Never installs or resolves anything.
 */
export const sbomAnalyzer: Analyzer = {
  id: "sbom",
  version: 1,
  description: "Python dependency manifests (requirements, pyproject, setup.cfg, Pipfile, poetry/uv/Pipfile locks, conda environments), notebook installs/imports and .py imports as SBOM components, with advisory, reputation, index and pinning checks.",
  formats: ["requirements", "notebook", "python"],
  rules: ALL_RULES,
  match: (file, head) => manifestKind(file, head) !== undefined || looksLikeNotebook(head) || isPythonSource(file, head),
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const limit = Math.min(MAX_MANIFEST_BYTES, ctx.limits.maxReadBytes);
    const head = await file.read(0, Math.min(file.size, ctx.limits.headBytes));
    const kind = manifestKind(file, head);
    if (!kind && looksLikeNotebook(head)) {
      ctx.describe({ format: "notebook" });
      await analyzeNotebook(file, ctx);
      return;
    }
    if (!kind && isPythonSource(file, head)) {
      await analyzePython(file, ctx);
      return;
    }
    if (!kind) return;
    ctx.describe({ format: kind === "requirements" ? "requirements" : `python-${kind}`, properties: { manifest: kind } });
    if (file.size > limit) {
      ctx.report({
        ruleId: RULES.malformedManifest.id,
        message: `${file.name} is ${file.size} bytes, over the ${limit}-byte manifest limit: its dependencies were not read`,
        evidence: { size: file.size, limit },
      });
      ctx.incomplete(`manifest over ${limit} bytes not read`);
      return;
    }
    const bytes = await file.read(0, file.size);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
    analyzeText(text, kind, file.path, ctx);
  },
};

// Rulesets' policy data is fixed for a scan: merge it once per distinct set of policy objects.
interface SbomPolicies {
  advisories: ReturnType<typeof mergeAdvisories>;
  reputation: ReturnType<typeof mergeReputation>;
}
let merged: { key: readonly unknown[]; value: SbomPolicies } | undefined;
function policiesOf(ctx: AnalyzerContext): SbomPolicies {
  const policies = ctx.policies("sbom");
  if (!merged || merged.key.length !== policies.length || merged.key.some((p, i) => p !== policies[i])) {
    merged = { key: [...policies], value: { advisories: mergeAdvisories(policies), reputation: mergeReputation(policies) } };
  }
  return merged.value;
}

/** Parses, records components and reports findings for a manifest's text. */
export function analyzeText(text: string, kind: ManifestKind, path: string, ctx: AnalyzerContext): void {
  const manifest = PARSERS[kind](text);
  check(manifest, kind, kind, [], path, ctx);
}

/** A notebook: what its cells install (checked like a requirements file) and import (recorded, and used for the dill/cloudpickle check). */
async function analyzeNotebook(file: ModelFile, ctx: AnalyzerContext): Promise<void> {
  const { installs, imports, readProblems } = await notebookDeclarations(file);
  if (readProblems.length > 0) ctx.incomplete(`notebook not fully read: ${readProblems.slice(0, 3).join("; ")}`);
  check(installs, "notebook", "notebook-install", imports, file.path, ctx);
}

/** A Python source by name, not binary: its imports of the ML stack are components. */
function isPythonSource(file: { extension: string }, head: Uint8Array): boolean {
  return (file.extension === "py" || file.extension === "pyw") && !head.subarray(0, 8192).includes(0);
}

/** A `.py` file: the ML-stack distributions it imports (recorded with their line), and the dill/cloudpickle check. */
async function analyzePython(file: ModelFile, ctx: AnalyzerContext): Promise<void> {
  const limit = Math.min(MAX_PYTHON_BYTES, ctx.limits.maxReadBytes);
  if (file.size > limit) ctx.incomplete(`only the first ${limit} of ${file.size} bytes were read for imports`);
  const bytes = await file.read(0, Math.min(file.size, limit));
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  check(emptyManifest(), "python", "python-import", importedDistributions(text), file.path, ctx);
}

/** Reports a manifest's problems, records its components with their advisories, and runs every check. */
function check(manifest: ParsedManifest, kind: ManifestKind | "notebook" | "python", via: string, imports: DeclaredDependency[], path: string, ctx: AnalyzerContext): void {
  for (const problem of manifest.problems.slice(0, MAX_PROBLEM_FINDINGS)) {
    ctx.report({
      ruleId: RULES.malformedManifest.id,
      message: `${problem.message}${problem.line ? ` (line ${problem.line})` : ""}`,
      ...(problem.line ? { position: { line: problem.line, ...(problem.cell !== undefined ? { cell: problem.cell } : {}) } } : {}),
      evidence: { manifest: kind, problem: problem.message.slice(0, 200) },
    });
  }
  if (manifest.problems.length > MAX_PROBLEM_FINDINGS) {
    ctx.report({
      ruleId: RULES.malformedManifest.id,
      message: `${manifest.problems.length - MAX_PROBLEM_FINDINGS} more unreadable entries`,
      evidence: { manifest: kind, more: manifest.problems.length - MAX_PROBLEM_FINDINGS },
    });
  }
  if (manifest.problems.length > 0) ctx.incomplete(`${manifest.problems.length} ${kind} entr${manifest.problems.length === 1 ? "y" : "ies"} could not be read`);
  const { advisories: { byPackage, problems }, reputation } = policiesOf(ctx);
  const policyProblems = [...problems, ...reputation.problems];
  if (policyProblems.length > 0) ctx.incomplete(`sbom policy data: ${policyProblems.slice(0, 3).join("; ")}`);
  for (const dep of manifest.dependencies) {
    const { finding, advisories } = checkAdvisories(dep, byPackage as ReadonlyMap<string, PypiAdvisory[]>);
    if (finding) ctx.report(finding);
    ctx.recordComponent({ ...componentOf(dep, via), ...(advisories.length > 0 ? { advisories } : {}) });
  }
  for (const dep of imports) ctx.recordComponent(componentOf(dep, kind === "python" ? "python-import" : "notebook-import"));
  ctx.describe({ properties: { dependencies: manifest.dependencies.length + imports.length } });
  if (kind !== "python") report(ctx, integrityFindings(manifest, kind, path));
  report(ctx, reputationFindings([...manifest.dependencies, ...imports], reputation.reputation));
}
