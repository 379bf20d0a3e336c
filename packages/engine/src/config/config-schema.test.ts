import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { validateConfig } from "./validate-config.js";

const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../../core/config.schema.json", import.meta.url)), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

// Configs the shipped JSON schema and the engine's validator must judge alike.
const valid = [
  {},
  { extends: ["modelward:recommended"], failOn: "none" },
  {
    $schema: "./node_modules/@modelward/core/config.schema.json",
    extends: ["modelward:recommended"],
    plugins: ["modelward-plugin-acme"],
    rulesets: ["./rules/allow-our-classes.json"],
    rules: { "pickle/unknown-global": { severity: "low" }, "archive/zip-comment": "off" },
    analyzers: { archive: { options: {} }, pickle: true },
    ignore: ["**/test-fixtures/**"],
    suppressions: [{ rule: "pickle/unknown-global", path: "models/legacy/**", justification: "audited 2026-10, ticket SEC-142" }],
    reporters: [["sarif", { output: "modelward.sarif" }], "console"],
    failOn: "high",
    failOnIncomplete: true,
    limits: { maxDepth: 6 },
  },
];
const invalid = [
  { failOn: "severe" },
  { rules: { "a/b": "loud" } },
  { suppressions: [{ rule: "a/b" }] },
  { limits: { bogus: 1 } },
  { colour: true },
  { reporters: [42] },
  { analyzers: { pickle: "yes" } },
];

describe("config.schema.json", () => {
  it.each(valid.map((c, i) => [i, c]))("accepts valid config #%s like the engine does", (_i, config) => {
    expect(validate(config)).toBe(true);
    expect(validateConfig(config, "x")).toEqual([]);
  });
  it.each(invalid.map((c) => [JSON.stringify(c), c]))("rejects %s like the engine does", (_s, config) => {
    expect(validate(config)).toBe(false);
    expect(validateConfig(config, "x").length).toBeGreaterThan(0);
  });
});
