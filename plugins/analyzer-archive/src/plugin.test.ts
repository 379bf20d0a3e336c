import { describe, expect, it } from "vitest";
import { isRuleId, isCategory, isSeverity } from "@modelward/core";
import pkg from "../package.json";
import plugin, { ALL_RULES } from "./index.js";

describe("archive plugin", () => {
  it("declares meta equal to its package.json", () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "archive" });
    expect(plugin.apiVersion).toBe(1);
    expect(Object.keys(plugin.analyzers ?? {})).toEqual(["archive"]);
    expect(plugin.analyzers?.archive?.formats.sort()).toEqual(["7z", "bzip2", "gzip", "tar", "xz", "zip"]);
  });

  it("declares complete rules in its namespace", () => {
    const ids = new Set<string>();
    for (const rule of ALL_RULES) {
      expect(isRuleId(rule.id) && rule.id.startsWith("archive/")).toBe(true);
      expect(ids.has(rule.id)).toBe(false);
      ids.add(rule.id);
      expect(rule.title && rule.description && rule.remediation).toBeTruthy();
      expect(isSeverity(rule.defaultSeverity) && isCategory(rule.category)).toBe(true);
      expect(rule.references.length).toBeGreaterThan(0);
      expect(rule.taxonomy.cwe?.length).toBeGreaterThan(0);
      expect((rule.taxonomy.atlas?.length ?? 0) + (rule.taxonomy.owasp?.length ?? 0), rule.id).toBeGreaterThan(0);
    }
  });

  it("never matches a non-archive", () => {
    const pickle = new Uint8Array([0x80, 2, 0x4b, 1, 0x2e]);
    for (const analyzer of Object.values(plugin.analyzers ?? {})) {
      expect(analyzer.match({ path: "a.zip", members: [], name: "a.zip", extension: "zip", size: 5, depth: 0 }, pickle, pickle)).toBe(false);
    }
  });
});
