import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validatePlugin, validateRuleset } from "@modelward/engine";
import type { Plugin, Ruleset } from "@modelward/core";
import { recommendedConfig } from "modelward";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Record<string, any>;
const folders = (dir: string) =>
  readdirSync(join(repo, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(repo, dir, d.name))
    .sort();

const recommendedPlugins = (recommendedConfig.plugins ?? []) as Plugin[];
const recommendedRulesets = (recommendedConfig.rulesets ?? []) as Ruleset[];
const WORKSPACE_LIBRARIES = ["@modelward/core", "@modelward/plugin-kit", "@modelward/pickle", "@modelward/notebook", "@modelward/jinja-audit"];

describe.each(folders("plugins"))("plugin %s", (dir) => {
  const pkg = readJson(join(dir, "package.json"));

  it("exports a well-formed plugin whose meta matches its package.json", async () => {
    const mod = (await import(join(dir, "src/index.ts"))) as { default: Plugin };
    expect(validatePlugin(mod.default)).toEqual([]);
    expect(mod.default.meta.name).toBe(pkg.name);
    expect(mod.default.meta.version).toBe(pkg.version);
    expect(mod.default.analyzers || mod.default.sources || mod.default.reporters, "contributes something").toBeTruthy();
  });

  it("is registered in the recommended preset", () => {
    expect(recommendedPlugins.map((p) => p.meta.name)).toContain(pkg.name);
  });

  it("peers on @modelward/core and imports no engine, CLI or other plugin", () => {
    expect(pkg.peerDependencies?.["@modelward/core"]).toBeDefined();
    const runtime = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
    const forbidden = runtime.filter((d) => (d.startsWith("@modelward/") || d === "modelward") && !WORKSPACE_LIBRARIES.includes(d));
    expect(forbidden).toEqual([]);
  });

  it("declares only namespaced rules of its own namespace", async () => {
    const mod = (await import(join(dir, "src/index.ts"))) as { default: Plugin };
    const rules = Object.values(mod.default.analyzers ?? {}).flatMap((a) => a.rules);
    for (const r of rules) expect(r.id.split("/")[0], r.id).toBe(mod.default.meta.namespace);
    // Analyzers of one plugin may share a rule, but then it must be the same definition.
    const byId = new Map<string, unknown>();
    for (const r of rules) {
      if (byId.has(r.id)) expect(byId.get(r.id), `${r.id} defined twice differently`).toEqual(r);
      byId.set(r.id, r);
    }
  });
});

describe.each(folders("rulesets"))("ruleset %s", (dir) => {
  const pkg = readJson(join(dir, "package.json"));

  it("exports a valid ruleset registered in the recommended preset", async () => {
    const mod = (await import(join(dir, "src/index.ts"))) as { default: Ruleset };
    expect(validateRuleset(mod.default)).toEqual([]);
    expect(recommendedRulesets.map((r) => r.id)).toContain(mod.default.id);
    expect(pkg.name).toMatch(/^@modelward\/ruleset-/);
  });
});
