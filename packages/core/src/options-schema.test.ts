import { describe, expect, it } from "vitest";
import { validateOptions, type OptionsSchema } from "./options-schema.js";

const schema: OptionsSchema = {
  type: "object",
  properties: {
    limits: { type: "object", properties: { maxOps: { type: "integer", minimum: 1 }, maxMemo: { type: "integer", minimum: 1 } } },
    mode: { type: "string", enum: ["fast", "full"] },
    tags: { type: "array", items: { type: "string" } },
    verbose: { type: "boolean" },
  },
};

describe("validateOptions", () => {
  it("accepts options that fit the schema", () => {
    expect(validateOptions(schema, { limits: { maxOps: 10 }, mode: "fast", tags: ["a"], verbose: true })).toEqual([]);
    expect(validateOptions(schema, {})).toEqual([]);
  });

  it("names every problem with its pointer", () => {
    expect(validateOptions(schema, { limits: { maxOps: 0, maxMemo: 1.5 }, mode: "slow", tags: ["a", 2], verbose: "yes" })).toEqual([
      "/limits/maxOps: must be at least 1",
      "/limits/maxMemo: must be an integer",
      '/mode: must be one of "fast", "full"',
      "/tags/1: must be a string",
      "/verbose: must be a boolean",
    ]);
    expect(validateOptions(schema, "x")).toEqual(["/: must be an object"]);
  });

  it("refuses unknown keys, suggesting the likely one", () => {
    expect(validateOptions(schema, { limit: {} })).toEqual(['/limit: unknown option "limit". Did you mean "limits"?']);
    expect(validateOptions(schema, { limits: { zzz: 1 } })).toEqual(['/limits/zzz: unknown option "zzz". Known: maxOps, maxMemo.']);
    expect(validateOptions({ type: "object", additionalProperties: true }, { anything: 1 })).toEqual([]);
  });
});
