import { severityRank, type RuleMeta } from "@modelward/core";
import type { CliIO } from "../io.js";
import { EXIT } from "../io.js";
import { loadCliConfig } from "../load.js";
import { renderRulesMarkdown } from "../rules-markdown.js";
import { renderTable } from "../table.js";

/** Every known rule, sorted by id. */
export function sortedRules(rules: ReadonlyMap<string, RuleMeta>): RuleMeta[] {
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `modelward rules list`: the rules of the loaded plugins and rulesets, as a table or JSON. */
export async function rulesListCommand(args: { config?: string; format?: "table" | "json" | "markdown" }, io: CliIO): Promise<number> {
  const { config } = await loadCliConfig(io, args.config !== undefined ? { config: args.config } : {});
  const rules = sortedRules(config.rules);
  if (args.format === "json") {
    io.stdout.write(JSON.stringify(rules, null, 2) + "\n");
    return EXIT.clean;
  }
  if (args.format === "markdown") {
    io.stdout.write(renderRulesMarkdown(rules));
    return EXIT.clean;
  }
  const rows = rules
    .sort((a, b) => severityRank(b.defaultSeverity) - severityRank(a.defaultSeverity) || (a.id < b.id ? -1 : 1))
    .map((r) => [
      r.id,
      r.defaultSeverity,
      r.category,
      (r.taxonomy.cwe ?? []).join(","),
      (r.taxonomy.atlas ?? []).join(","),
      (r.taxonomy.owasp ?? []).join(","),
      r.title,
    ]);
  io.stdout.write(renderTable(["RULE", "SEVERITY", "CATEGORY", "CWE", "ATLAS", "OWASP", "TITLE"], rows));
  io.stdout.write(`${rules.length} rules\n`);
  return EXIT.clean;
}
