import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, ModelwardError, type ConfigObject } from "@modelward/core";
import { memorySourcePlugin, memoryTarget, allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { createScanner } from "../scan/scanner.js";
import { bytes, examplePlugin } from "../scan/example-plugin.fixture.js";
import { loadConfig } from "./load-config.js";
import { resolveConfig } from "./resolve-config.js";
import { validateConfig } from "./validate-config.js";

const layer = (config: object) => ({ config, file: "test.json", baseDir: process.cwd() });
// The throwing stand-in is off unless a test turns it on, so only the marker analyzer reports.
const scanWith = async (config: Omit<ConfigObject, "analyzers"> & { analyzers?: Record<string, boolean> }) => {
  const analyzers = { thrower: false, ...config.analyzers };
  const resolved = await resolveConfig([layer({ plugins: [memorySourcePlugin, examplePlugin], ...config, analyzers })]);
  return createScanner(resolved, "test").scan([memoryTarget({ "m.bin": bytes("MARK") })]);
};

describe("validateConfig", () => {
  it("reports every problem at once, each with a pointer and a fix", () => {
    const issues = validateConfig(
      {
        failOn: "severe",
        rules: { "pickle/unknown-global": "loud" },
        suppressions: [{ rule: "x/y" }],
        limits: { maxDepth: -1, bogus: 1 },
        colour: true,
      },
      "modelward.config.json",
    );
    expect(issues.map((i) => i.pointer).sort()).toEqual(
      ["/colour", "/failOn", "/limits/bogus", "/limits/maxDepth", "/rules/pickle~1unknown-global", "/suppressions/0/justification"].sort(),
    );
    for (const issue of issues) {
      expect(issue.file).toBe("modelward.config.json");
      expect(issue.fix.length).toBeGreaterThan(5);
    }
  });

  it("accepts a full valid config", () => {
    expect(
      validateConfig(
        {
          extends: ["modelward:recommended"],
          plugins: ["@modelward/analyzer-gguf"],
          rules: { "a/b": { severity: "low" }, "c/d": "off" },
          analyzers: { pickle: false, gguf: { options: { x: 1 } } },
          ignore: ["**/fixtures/**"],
          suppressions: [{ rule: "a/b", path: "x/**", justification: "vendored test data" }],
          reporters: ["console", ["sarif", { output: "out.sarif" }]],
          failOn: "medium",
          failOnIncomplete: false,
          limits: { maxDepth: 3 },
        },
        "c.json",
      ),
    ).toEqual([]);
  });
});

describe("resolveConfig", () => {
  it("lists unknown presets, analyzers, rules and reporters together", async () => {
    const error = await resolveConfig([
      layer({ extends: ["nope:preset"], plugins: [examplePlugin], analyzers: { ghost: false }, rules: { "x/ghost": "low" }, reporters: ["pdf"] }),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const messages = (error as ConfigError).issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'unknown preset "nope:preset"',
        'no loaded plugin provides analyzer "ghost"',
        'unknown rule "x/ghost"',
        'unknown reporter "pdf"',
      ]),
    );
    expect(ModelwardError.isInstance(error)).toBe(true);
    expect((error as ConfigError).code).toBe("MW_CONFIG_INVALID");
  });

  it("suggests the rule, analyzer or reporter a mistyped id most likely meant", async () => {
    const known = examplePlugin.analyzers ? Object.values(examplePlugin.analyzers)[0] : undefined;
    const ruleId = known?.rules[0]?.id ?? "";
    const typo = `${ruleId.slice(0, -1)}x`;
    const error = await resolveConfig([layer({ plugins: [examplePlugin], rules: { [typo]: "low" }, reporters: ["sarf"] })]).catch((e: unknown) => e);
    const messages = (error as ConfigError).issues.map((i) => i.message);
    expect(messages).toContain(`unknown rule "${typo}". Did you mean "${ruleId}"?`);
    expect(messages).toContain('unknown reporter "sarf"');
  });

  it("lets analyzers of one plugin share rules, but not two plugins", async () => {
    const twin = { ...examplePlugin.analyzers.marker, id: "marker-twin" };
    const shared = { ...examplePlugin, analyzers: { ...examplePlugin.analyzers, "marker-twin": twin } };
    await expect(resolveConfig([layer({ plugins: [shared] })])).resolves.toBeDefined();
    const other = { ...examplePlugin, meta: { ...examplePlugin.meta, name: "other", namespace: "other" }, analyzers: { "marker-twin": twin } };
    const error = (await resolveConfig([layer({ plugins: [examplePlugin, other] })]).catch((e) => e)) as ConfigError;
    expect(error.issues.map((i) => i.message), JSON.stringify(error.issues)).toContain('rule "example/marker" is declared by both plugin example-plugin and plugin other');
  });

  it("rejects a malformed plugin with what is wrong", async () => {
    const error = (await resolveConfig([layer({ plugins: [{ apiVersion: 2, meta: { name: "x" } }] })]).catch((e) => e)) as ConfigError;
    expect(error.issues[0]!.message).toMatch(/apiVersion is 2, expected 1; meta.version must be a non-empty string/);
  });

  it("turns a rule off, or overrides its severity", async () => {
    expect(allFindings(await scanWith({ rules: { "example/marker": "off" } }))).toEqual([]);
    expect(allFindings(await scanWith({ rules: { "example/marker": { severity: "low" } } }))[0]!.severity).toBe("low");
  });

  it("keeps suppressed findings, marked, and does not fail on them", async () => {
    const report = await scanWith({ suppressions: [{ rule: "example/marker", path: "*.bin", justification: "known test file" }] });
    const f = allFindings(report)[0]!;
    expect(f.suppression).toEqual({ kind: "config", justification: "known test file" });
    expect(report.summary.findings).toMatchObject({ total: 0, suppressed: 1 });
    expect(report.summary.failed).toBe(false);
    expect(report.summary.verdict).toBe("pass");
  });

  it("applies failOn and failOnIncomplete", async () => {
    expect((await scanWith({ failOn: "critical" })).summary.failed).toBe(false);
    expect((await scanWith({ failOn: "high" })).summary.failed).toBe(true);
    const throwing = { marker: false, thrower: true };
    expect((await scanWith({ analyzers: throwing, failOnIncomplete: false })).summary.failed).toBe(false);
    expect((await scanWith({ analyzers: throwing })).summary.failed).toBe(true);
  });
});

describe("loadConfig", () => {
  const tmp = () => mkdtempSync(join(tmpdir(), "mw-config-"));

  it("finds modelward.config.json from the working directory", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ failOn: "low" }));
    mkdirSync(join(dir, "sub"));
    const { config } = await loadConfig({ cwd: join(dir, "sub"), presets: {} });
    expect(config.failOn).toBe("low");
    expect(config.file).toBe(join(dir, "modelward.config.json"));
  });

  it("does not load a config file that lies inside the scanned target", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "modelward.config.mjs"), "throw new Error('target code ran');");
    const { config, warnings } = await loadConfig({ cwd: dir, presets: { "modelward:recommended": { failOn: "medium" } }, scanPaths: [dir] });
    expect(config.failOn).toBe("medium");
    expect(warnings[0]).toMatch(/inside the scanned target/);
  });

  it("gives a config file without `extends` the default presets; `extends: []` opts out", async () => {
    const presets = { "modelward:recommended": { failOn: "medium" as const, ignore: ["**/from-preset/**"] } };
    const dir = tmp();
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ failOn: "low" }));
    const implied = (await loadConfig({ cwd: dir, presets })).config;
    expect(implied.failOn).toBe("low");
    expect(implied.ignore).toContain("**/from-preset/**");
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: [], failOn: "low" }));
    expect((await loadConfig({ cwd: dir, presets })).config.ignore).not.toContain("**/from-preset/**");
  });

  it("fails with MW_CONFIG_NOT_FOUND for a missing --config", async () => {
    await expect(loadConfig({ cwd: tmp(), configFile: "nope.json" })).rejects.toMatchObject({ code: "MW_CONFIG_NOT_FOUND" });
  });

  it("reports invalid JSON as a config error", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "modelward.config.json"), "{ failOn: ");
    await expect(loadConfig({ cwd: dir })).rejects.toBeInstanceOf(ConfigError);
  });

  it("resolves plugins and rulesets by package name from the config's folder", async () => {
    const dir = tmp();
    const pkg = join(dir, "node_modules", "modelward-plugin-acme");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "modelward-plugin-acme", version: "2.0.0", type: "module", exports: { ".": { import: "./index.js" } } }));
    writeFileSync(
      join(pkg, "index.js"),
      `export default { apiVersion: 1, meta: { name: "modelward-plugin-acme", version: "2.0.0", namespace: "acme" },
         configs: { strict: { failOn: "low" } } };`,
    );
    writeFileSync(join(dir, "rules.json"), JSON.stringify({ id: "acme-rules", description: "local rules", policies: { pickle: { allow: [] } } }));
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ plugins: ["modelward-plugin-acme"], extends: ["acme:strict"], rulesets: ["./rules.json"] }));
    const { config } = await loadConfig({ cwd: dir });
    expect(config.plugins.map((p) => p.meta.name)).toEqual(["modelward-plugin-acme"]);
    expect(config.failOn).toBe("low");
    expect(config.rulesets.map((r) => r.id)).toEqual(["acme-rules"]);
  });

  it("refuses a plugin whose meta disagrees with the package it was installed as", async () => {
    const dir = tmp();
    const pkg = join(dir, "node_modules", "modelward-plugin-stale");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "modelward-plugin-stale", version: "2.0.0", type: "module", exports: { ".": { import: "./index.js" } } }));
    writeFileSync(join(pkg, "index.js"), `export default { apiVersion: 1, meta: { name: "modelward-plugin-stale", version: "1.9.0", namespace: "stale" } };`);
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ plugins: ["modelward-plugin-stale"], extends: [] }));
    const error = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.message)).toEqual([
      'plugin "modelward-plugin-stale" says it is modelward-plugin-stale@1.9.0 but its package is modelward-plugin-stale@2.0.0',
    ]);
  });
});

describe("checks at config load", () => {
  const policed = {
    ...examplePlugin,
    analyzers: {
      ...examplePlugin.analyzers,
      policed: {
        id: "policed",
        version: 1,
        description: "reads the `policed` policy namespace and takes one option",
        formats: ["x"],
        rules: [],
        optionsSchema: { type: "object" as const, properties: { depth: { type: "integer" as const, minimum: 1 } } },
        policyValidators: { policed: (data: unknown) => (Array.isArray((data as { allow?: unknown }).allow) ? [] : ["allow must be an array"]) },
        match: () => false,
        analyze: async () => {},
      },
    },
  };
  const issuesOf = async (config: object) => {
    const error = await resolveConfig([layer({ plugins: [policed], ...config })]).catch((e: unknown) => e);
    return error instanceof ConfigError ? error.issues.map((i) => `${i.pointer} ${i.message}`) : [];
  };

  it("validates analyzer options against the analyzer's schema, and refuses options to one that takes none", async () => {
    expect(await issuesOf({ analyzers: { policed: { options: { depth: 2 } } } })).toEqual([]);
    expect(await issuesOf({ analyzers: { policed: { options: { depht: 2 } }, marker: { options: { x: 1 } } } })).toEqual([
      '/analyzers/marker/options analyzer "marker": takes no options',
      '/analyzers/policed/options/depht analyzer "policed": unknown option "depht". Did you mean "depth"?',
    ]);
    expect(await issuesOf({ analyzers: { policed: { options: { depth: 0 } } } })).toEqual(['/analyzers/policed/options/depth analyzer "policed": must be at least 1']);
  });

  it("refuses a ruleset with an unknown key, and runs the analyzers' policy validators on rulesets given as data", async () => {
    expect(await issuesOf({ rulesets: [{ id: "r", description: "d", rule: [] }] })).toEqual([
      '/rulesets/0 ruleset object is malformed: unknown key "rule". Did you mean "rules"?',
    ]);
    expect(await issuesOf({ rulesets: [{ id: "r", description: "d", policies: { policed: { allow: "everything" }, other: 1 } }] })).toEqual([
      '/rulesets/0/policies/policed ruleset "r" policed policy: allow must be an array',
    ]);
    expect(await issuesOf({ rulesets: [{ id: "r", description: "d", policies: { policed: { allow: [] } } }] })).toEqual([]);
  });
});

