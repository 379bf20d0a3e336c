import { severityRank, type RuleMeta, type RuleSetting, type Severity } from "@modelward/core";
import type { CliIO } from "../io.js";
import { EXIT } from "../io.js";
import { loadCliConfig } from "../load.js";
import { renderRulesMarkdown } from "../rules-markdown.js";
import { renderTable } from "../table.js";

/** Every known rule, sorted by id. */
export function sortedRules(rules: ReadonlyMap<string, RuleMeta>): RuleMeta[] {
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A rule's state under the loaded config: its severity after `rules` settings, or off. */
export function effectiveSeverity(rule: RuleMeta, setting: RuleSetting | undefined): Severity | "off" {
  if (setting === undefined) return rule.defaultSeverity;
  if (typeof setting === "string") return setting;
  return setting.severity ?? rule.defaultSeverity;
}

/**
 * `modelward rules list`: the rules of the loaded plugins and rulesets, as a
 * table or JSON, with each rule's effective severity (or `off`) under the
 * config beside its default. Markdown is the config-independent reference.
 */
export async function rulesListCommand(args: { config?: string; format?: "table" | "json" | "markdown" }, io: CliIO): Promise<number> {
  const { config } = await loadCliConfig(io, args.config !== undefined ? { config: args.config } : {});
  const rules = sortedRules(config.rules);
  const effective = (r: RuleMeta) => effectiveSeverity(r, config.ruleSettings[r.id]);
  if (args.format === "json") {
    io.stdout.write(JSON.stringify(rules.map((r) => ({ ...r, effectiveSeverity: effective(r), enabled: effective(r) !== "off" })), null, 2) + "\n");
    return EXIT.clean;
  }
  if (args.format === "markdown") {
    io.stdout.write(renderRulesMarkdown(rules));
    return EXIT.clean;
  }
  const rank = (r: RuleMeta) => (effective(r) === "off" ? -1 : severityRank(effective(r) as Severity));
  const rows = rules
    .sort((a, b) => rank(b) - rank(a) || (a.id < b.id ? -1 : 1))
    .map((r) => [
      r.id,
      effective(r),
      effective(r) === r.defaultSeverity ? "" : r.defaultSeverity,
      r.category,
      (r.taxonomy.cwe ?? []).join(","),
      (r.taxonomy.atlas ?? []).join(","),
      (r.taxonomy.owasp ?? []).join(","),
      r.title,
    ]);
  io.stdout.write(renderTable(["RULE", "SEVERITY", "DEFAULT", "CATEGORY", "CWE", "ATLAS", "OWASP", "TITLE"], rows));
  const changed = rules.filter((r) => effective(r) !== r.defaultSeverity).length;
  const off = rules.filter((r) => effective(r) === "off").length;
  io.stdout.write(`${rules.length} rules${changed ? ` (${changed} changed by the config${off ? `, ${off} off` : ""}; DEFAULT shows the rule's own severity)` : ""}\n`);
  return EXIT.clean;
}
