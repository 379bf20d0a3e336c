import type { RuleMeta, SourceSkip } from "@modelward/core";

/**
 * The engine's rule for what a source could not reach because a budget outside Modelward's limits stopped
 * it (the system's PATH_MAX): the path is incomplete, and this finding says which budget and by how much,
 * since loaders that open the file another way (relative to a folder they changed into) still reach it.
 */
export const BUDGET_EXCEEDED: RuleMeta = {
  id: "engine/budget-exceeded",
  title: "A file could not be analysed: it lies past a system budget",
  description:
    "The source found a file or folder it could not open because a system budget stops it: a path longer than PATH_MAX (4096 bytes on Linux) cannot be opened by its absolute path, although a program that changes into its folders one by one (or an extractor that creates them) reaches and loads it. Nesting a model hundreds of folders deep hides it from scanners that open files by path.",
  remediation:
    "Do not load models from this tree. Move the file to a short path and scan it again, or remove the deep folder chain.",
  defaultSeverity: "high",
  category: "integrity",
  taxonomy: { cwe: ["CWE-693", "CWE-400"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] },
  references: ["https://man7.org/linux/man-pages/man3/realpath.3.html", "https://www.gnu.org/software/libc/manual/html_node/Limits-for-Files.html"],
};

/** The finding input for a source entry that names the budget it passed, or undefined when it names none. */
export function budgetFinding(entry: SourceSkip): { ruleId: string; message: string; evidence: Record<string, string | number> } | undefined {
  if (!entry.budget) return undefined;
  const { name, limit, actual } = entry.budget;
  return {
    ruleId: BUDGET_EXCEEDED.id,
    message: `${entry.reason}: ${actual !== undefined ? `${actual} bytes, ` : ""}past ${name} (${limit} bytes)`,
    evidence: { budget: name, limit, ...(actual !== undefined ? { actual } : {}) },
  };
}
