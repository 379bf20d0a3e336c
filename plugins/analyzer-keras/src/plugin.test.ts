import { isCategory, isRuleId, isSeverity } from "@modelward/core";
import { buildKeras, kerasLayer, kerasSequential, memoryFile, recordingContext } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin, { ALL_RULES } from "./index.js";
import { kerasAnalyzer } from "./keras-analyzer.js";
import { parsePythonJson } from "./python-json.js";
import { walkConfig } from "./config-walk.js";
import { LAMBDA_CODE } from "./test-support.js";

describe("plugin", () => {
  it("has the package's identity and the keras namespace", () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "keras" });
    expect(Object.keys(plugin.analyzers ?? {})).toEqual(["keras"]);
  });

  it("declares every rule with metadata, taxonomy and references", () => {
    for (const r of ALL_RULES) {
      expect(isRuleId(r.id) && r.id.startsWith("keras/"), r.id).toBe(true);
      expect(r.title && r.description && r.remediation, r.id).toBeTruthy();
      expect(isSeverity(r.defaultSeverity) && isCategory(r.category), r.id).toBe(true);
      expect(r.taxonomy.cwe?.length, r.id).toBeGreaterThan(0);
      expect(r.taxonomy.atlas?.length, r.id).toBeGreaterThan(0);
      expect(r.references.every((u) => u.startsWith("https://")) && r.references.length > 0, r.id).toBe(true);
    }
  });
});

describe("python-json", () => {
  it("reads NaN and Infinity outside strings as null and keeps them inside strings", () => {
    expect(parsePythonJson('{"a": NaN, "b": [-Infinity, Infinity], "c": "NaN Infinity"}')).toEqual({ ok: true, value: { a: null, b: [null, null], c: "NaN Infinity" } });
    expect(parsePythonJson('{"a": "\\"NaN", "b": NaN}')).toEqual({ ok: true, value: { a: '"NaN', b: null } });
    expect(parsePythonJson("{").ok).toBe(false);
  });
});

describe("config walk", () => {
  it("finds objects at any depth, with pointers, without recursion", () => {
    let deep: unknown = { class_name: "Dense", config: {} };
    for (let i = 0; i < 50_000; i++) deep = { config: [deep] };
    const walk = walkConfig(deep, 1_000_000);
    expect(walk.truncated).toBe(false);
    expect(walk.objects).toHaveLength(1);
    expect(walk.objects[0]!.pointer.startsWith("/config/0/config/0")).toBe(true);
  });

  it("stops at the node bound and says so", () => {
    const wide = { layers: Array.from({ length: 100 }, () => ({ class_name: "Dense" })) };
    const walk = walkConfig(wide, 10);
    expect(walk.truncated).toBe(true);
  });
});

describe("robustness: never throws, whatever the bytes", () => {
  it("survives truncations and byte flips of .keras archives and configs", async () => {
    const lambda = kerasLayer("Lambda", { function: [LAMBDA_CODE["3.11"]!.os_system!, null, null], function_type: "lambda" });
    const seeds = [buildKeras(), buildKeras({ config: kerasSequential([lambda]) }), new TextEncoder().encode(JSON.stringify(kerasSequential([lambda])))];
    let runs = 0;
    for (const seed of seeds) {
      const variants: Uint8Array[] = [];
      for (let cut = 16; cut < seed.length; cut += Math.max(1, Math.floor(seed.length / 40))) variants.push(seed.subarray(0, cut));
      for (let at = 0; at < seed.length; at += Math.max(1, Math.floor(seed.length / 60))) {
        const v = seed.slice();
        v[at] = v[at]! ^ 0xff;
        variants.push(v);
      }
      for (const v of variants) {
        const file = memoryFile(seed === seeds[2] ? "config.json" : "m.keras", v);
        if (!kerasAnalyzer.match(file, v.subarray(0, 4096), v.subarray(Math.max(0, v.length - 4096)))) continue;
        const { ctx } = recordingContext();
        await expect(kerasAnalyzer.analyze(file, ctx)).resolves.toBeUndefined();
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(100);
  });
});
