import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import { CallSemantics, PicklePolicy } from "@modelward/pickle";
import { describe, expect, it } from "vitest";
import defaultRuleset from "./index.js";

// The published JSON Schemas of the pickle policy formats and the checks the analyzers run on the
// data must agree: on the bundled data (both accept) and on broken entries (both refuse).
const require = createRequire(import.meta.url);
const schemaOf = (name: string) => JSON.parse(readFileSync(require.resolve(`@modelward/pickle/${name}`), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const policySchema = ajv.compile(schemaOf("pickle-policy.schema.json"));
const semanticsSchema = ajv.compile(schemaOf("pickle-call-semantics.schema.json"));
const policies = defaultRuleset.policies as Record<string, unknown>;

describe("the pickle policy formats' JSON Schemas", () => {
  it("accept the default ruleset's data, as the analyzers do", () => {
    expect(policySchema(policies.pickle), JSON.stringify(policySchema.errors?.slice(0, 3))).toBe(true);
    expect(PicklePolicy.fromData([policies.pickle]).problems).toEqual([]);
    expect(semanticsSchema(policies["pickle-calls"]), JSON.stringify(semanticsSchema.errors?.slice(0, 3))).toBe(true);
    expect(CallSemantics.fromData([policies["pickle-calls"]]).problems).toEqual([]);
  });

  const brokenPolicies: [string, unknown][] = [
    ["a misspelt callShapes", { allow: [{ path: "m.C", reason: "r", callShape: [] }] }],
    ["an allow entry without a reason", { allow: [{ path: "m.C" }] }],
    ["scope attribute on an allow entry", { allow: [{ path: "m.C", reason: "r", scope: "attribute" }] }],
    ["a call shape of an unknown argument type", { allow: [{ path: "m.C", reason: "r", callShapes: [{ args: [{ type: "float" }] }] }] }],
    ["a deny entry without a severity", { deny: [{ path: "os", family: "process", reason: "r" }] }],
    ["an unknown top-level key", { allow: [], denny: [] }],
  ];
  it.each(brokenPolicies)("refuse a pickle policy with %s, as the analyzers do", (_name, data) => {
    expect(policySchema(data)).toBe(false);
    expect(PicklePolicy.fromData([data]).problems).not.toEqual([]);
  });

  const brokenSemantics: [string, unknown][] = [
    ["an entry that neither calls, constructs nor returns", { callables: [{ path: "m.f", reason: "r" }] }],
    ["a called argument given by both position and keyword", { callables: [{ path: "m.f", reason: "r", calls: [{ arg: 0, kwarg: "key" }] }] }],
    ["a misspelt key", { callables: [{ path: "m.f", reason: "r", call: [{ arg: 0 }] }] }],
  ];
  it.each(brokenSemantics)("refuse call semantics with %s, as the analyzers do", (_name, data) => {
    expect(semanticsSchema(data)).toBe(false);
    expect(CallSemantics.fromData([data]).problems).not.toEqual([]);
  });
});
