import { isRuleId, PLUGIN_API_VERSION } from "@modelward/core";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin from "./index.js";

describe("analyzer-pickle plugin", () => {
  it("has meta equal to its package.json and namespace pickle", () => {
    expect(plugin.apiVersion).toBe(PLUGIN_API_VERSION);
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "pickle" });
  });
  it("declares complete rules in its namespace", () => {
    for (const a of Object.values(plugin.analyzers!)) {
      for (const r of a.rules) {
        expect(isRuleId(r.id) && r.id.startsWith("pickle/")).toBe(true);
        expect(r.title && r.description && r.remediation && r.references.length > 0).toBeTruthy();
        expect(r.taxonomy.cwe?.length).toBeGreaterThan(0);
      }
    }
  });
  it("match never throws on odd input", () => {
    const file = { path: "x", members: [], name: "x", extension: "", size: 0, depth: 0 };
    for (const a of Object.values(plugin.analyzers!)) {
      for (const head of [new Uint8Array(0), new Uint8Array([0x80]), new Uint8Array([0x93, 0x4e]), new Uint8Array([0x63, 0x0a])]) {
        expect(() => a.match(file, head, head)).not.toThrow();
      }
    }
  });
});
