import type { RuleMeta, SourceSkip } from "@modelward/core";

/**
 * The engine's rule for what the scan could not reach because a budget stopped it: a source's path past
 * the system's PATH_MAX (loaders that open the file another way, relative to a folder they changed into,
 * still reach it), or files and members past the scan's `maxFiles`. What was left is incomplete, and this
 * finding says which budget and by how much.
 */
export const BUDGET_EXCEEDED: RuleMeta = {
  id: "engine/budget-exceeded",
  title: "Files could not be analysed: they lie past a budget",
  description:
    "Files or members were left unread because a budget stopped the scan. A path longer than PATH_MAX (4096 bytes on Linux) cannot be opened by its absolute path, although a program that changes into its folders one by one (or an extractor that creates them) reaches and loads it: nesting a model hundreds of folders deep hides it from scanners that open files by path. A folder or archive holding more files and members than the scan's maxFiles (100,000 by default) is an entry flood: what comes after the limit is counted and named (model-looking names first) but not analysed, and a model placed last in the listing would otherwise pass unseen.",
  remediation:
    "Do not load models from this tree until every file is analysed. Move a deep file to a short path, split an oversized folder (or scan the model's own folder), or raise limits.maxFiles when the files are expected, and scan again.",
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
