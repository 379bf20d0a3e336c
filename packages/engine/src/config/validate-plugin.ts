import { PLUGIN_API_VERSION, didYouMean, isCategory, isRuleId, isSeverity, type RuleMeta } from "@modelward/core";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isFn = (v: unknown): v is (...args: unknown[]) => unknown => typeof v === "function";

/**
 * Checks that a value satisfies the Plugin contract. Returns the problems as
 * sentences (empty when valid), so a malformed plugin is reported in full.
 */
export function validatePlugin(plugin: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(plugin)) return ["the default export is not an object"];
  if (plugin.apiVersion !== PLUGIN_API_VERSION) problems.push(`apiVersion is ${JSON.stringify(plugin.apiVersion)}, expected ${PLUGIN_API_VERSION}`);
  const meta = plugin.meta;
  if (!isObject(meta)) problems.push("meta is missing");
  else {
    for (const k of ["name", "version", "namespace"])
      if (typeof meta[k] !== "string" || meta[k] === "") problems.push(`meta.${k} must be a non-empty string`);
    if (typeof meta.namespace === "string" && !/^[a-z0-9][a-z0-9-]*$/.test(meta.namespace))
      problems.push(`meta.namespace "${meta.namespace}" must be kebab-case`);
  }
  checkRecord(plugin.analyzers, "analyzers", problems, (id, a) => {
    if (!isObject(a)) return [`is not an object`];
    const p: string[] = [];
    if (a.id !== id) p.push(`id "${String(a.id)}" differs from its key "${id}"`);
    if (typeof a.version !== "number") p.push("version must be a number");
    if (typeof a.description !== "string") p.push("description must be a string");
    if (!Array.isArray(a.formats)) p.push("formats must be an array");
    if (!isFn(a.match)) p.push("match must be a function");
    if (!isFn(a.analyze)) p.push("analyze must be a function");
    if (!Array.isArray(a.rules)) p.push("rules must be an array");
    else a.rules.forEach((r, i) => p.push(...validateRule(r).map((m) => `rules[${i}] ${m}`)));
    return p;
  });
  checkRecord(plugin.sources, "sources", problems, (id, s) => {
    if (!isObject(s)) return ["is not an object"];
    const p: string[] = [];
    if (s.id !== id) p.push(`id "${String(s.id)}" differs from its key "${id}"`);
    if (!Array.isArray(s.schemes)) p.push("schemes must be an array");
    if (!isFn(s.open)) p.push("open must be a function");
    return p;
  });
  checkRecord(plugin.reporters, "reporters", problems, (id, r) => {
    if (!isObject(r)) return ["is not an object"];
    const p: string[] = [];
    if (r.id !== id) p.push(`id "${String(r.id)}" differs from its key "${id}"`);
    for (const k of ["mediaType", "defaultExtension", "description"]) if (typeof r[k] !== "string") p.push(`${k} must be a string`);
    if (!isFn(r.render)) p.push("render must be a function");
    return p;
  });
  checkRecord(plugin.rulesets, "rulesets", problems, (id, r) => validateRuleset(r, id));
  checkRecord(plugin.configs, "configs", problems, (_id, c) => (isObject(c) ? [] : ["is not an object"]));
  return problems;
}

// A ruleset's keys (ruleset.schema.json in @modelward/core); `$schema` and `$comment` are JSON Schema's own.
const RULESET_KEYS = ["id", "description", "rules", "policies", "$schema", "$comment"];

// RuleMeta's keys (the `rule` definition of ruleset.schema.json).
const RULE_KEYS = ["id", "title", "description", "remediation", "defaultSeverity", "category", "confidence", "taxonomy", "references", "helpUri"];

/** Problems of a ruleset object (empty when valid). */
export function validateRuleset(ruleset: unknown, expectedId?: string): string[] {
  if (!isObject(ruleset)) return ["is not an object"];
  const p: string[] = [];
  if (typeof ruleset.id !== "string" || ruleset.id === "") p.push("id must be a non-empty string");
  else if (expectedId !== undefined && ruleset.id !== expectedId) p.push(`id "${ruleset.id}" differs from its key "${expectedId}"`);
  if (typeof ruleset.description !== "string") p.push("description must be a string");
  if (ruleset.rules !== undefined) {
    if (!Array.isArray(ruleset.rules)) p.push("rules must be an array");
    else ruleset.rules.forEach((r, i) => p.push(...validateRule(r).map((m) => `rules[${i}] ${m}`)));
  }
  if (ruleset.policies !== undefined && !isObject(ruleset.policies)) p.push("policies must be an object keyed by namespace");
  for (const key of Object.keys(ruleset)) {
    if (!RULESET_KEYS.includes(key)) p.push(`unknown key "${key}".${didYouMean(key, RULESET_KEYS) || ` A ruleset has ${RULESET_KEYS.join(", ")}.`}`);
  }
  return p;
}

/** Problems of a rule's metadata (empty when valid). */
export function validateRule(rule: unknown): string[] {
  if (!isObject(rule)) return ["is not an object"];
  const r = rule as Partial<RuleMeta> & Record<string, unknown>;
  const p: string[] = [];
  if (typeof r.id !== "string" || !isRuleId(r.id)) p.push(`id ${JSON.stringify(r.id)} must look like "namespace/kebab-name"`);
  const label = typeof r.id === "string" ? r.id : "?";
  for (const k of ["title", "description", "remediation"] as const)
    if (typeof r[k] !== "string" || r[k] === "") p.push(`(${label}) ${k} must be a non-empty string`);
  if (!isSeverity(r.defaultSeverity)) p.push(`(${label}) defaultSeverity must be a severity`);
  if (!isCategory(r.category)) p.push(`(${label}) category must be a category`);
  if (!isObject(r.taxonomy)) p.push(`(${label}) taxonomy must be an object`);
  if (!Array.isArray(r.references)) p.push(`(${label}) references must be an array`);
  for (const key of Object.keys(r)) if (!RULE_KEYS.includes(key)) p.push(`(${label}) unknown key "${key}".${didYouMean(key, RULE_KEYS)}`);
  return p;
}

function checkRecord(
  value: unknown,
  name: string,
  problems: string[],
  check: (id: string, item: unknown) => string[],
): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push(`${name} must be an object keyed by id`);
    return;
  }
  for (const [id, item] of Object.entries(value)) for (const p of check(id, item)) problems.push(`${name}.${id}: ${p}`);
}
