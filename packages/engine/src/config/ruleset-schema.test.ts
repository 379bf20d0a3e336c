import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { validateRuleset } from "./validate-plugin.js";

// The published ruleset.schema.json and the engine's check at config load must judge rulesets alike.
const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../../core/ruleset.schema.json", import.meta.url)), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const rule = {
  id: "acme/exec-hook",
  title: "t",
  description: "d",
  remediation: "r",
  defaultSeverity: "high",
  category: "runtime",
  taxonomy: { cwe: ["CWE-94"] },
  references: [],
};

const valid = [
  { id: "ours", description: "our allowlist", policies: { pickle: { allow: [] } } },
  { $schema: "./node_modules/@modelward/core/ruleset.schema.json", id: "r", description: "d", rules: [rule, { ...rule, id: "acme/other", confidence: "low", helpUri: "https://example.com" }] },
];
const invalid: [string, unknown][] = [
  ["no id", { description: "d" }],
  ["an unknown key", { id: "r", description: "d", policy: {} }],
  ["policies that are not an object", { id: "r", description: "d", policies: [] }],
  ["a rule with an unknown key", { id: "r", description: "d", rules: [{ ...rule, severity: "high" }] }],
  ["a rule id without a namespace", { id: "r", description: "d", rules: [{ ...rule, id: "exec-hook" }] }],
  ["a rule without a remediation", { id: "r", description: "d", rules: [{ ...rule, remediation: undefined }] }],
];

describe("ruleset.schema.json and validateRuleset", () => {
  it.each(valid.map((r) => [r.id, r]))("both accept %s", (_id, ruleset) => {
    expect(validate(ruleset), JSON.stringify(validate.errors)).toBe(true);
    expect(validateRuleset(ruleset)).toEqual([]);
  });
  it.each(invalid)("both refuse a ruleset with %s", (_name, ruleset) => {
    expect(validate(JSON.parse(JSON.stringify(ruleset)))).toBe(false);
    expect(validateRuleset(JSON.parse(JSON.stringify(ruleset)))).not.toEqual([]);
  });
});
