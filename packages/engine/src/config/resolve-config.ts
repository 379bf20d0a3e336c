import {
  ConfigError,
  DEFAULT_LIMITS,
  describeError,
  didYouMean,
  validateOptions,
  type Analyzer,
  type ConfigIssue,
  type ConfigObject,
  type Plugin,
  type Reporter,
  type RuleMeta,
  type Ruleset,
  type Source,
} from "@modelward/core";
import { importFrom, isPackageName, packageManifestOf } from "./import-module.js";
import type { RegisteredAnalyzer, ResolvedConfig } from "./resolved-config.js";
import { validateConfig } from "./validate-config.js";
import { ENGINE_RULES } from "../scan/engine-rules.js";
import { validatePlugin, validateRuleset } from "./validate-plugin.js";

/** A config object with where it came from. */
export interface ConfigLayer {
  config: ConfigObject;
  /** Shown in error messages (a file path, `<cli>`, `<preset modelward:recommended>`). */
  file: string;
  /** Folder that package names and relative paths resolve from. */
  baseDir: string;
}

/** Named presets available to `extends` besides the plugins' own configs. */
export type PresetMap = Record<string, ConfigObject>;

const MAX_EXTENDS_DEPTH = 8; // presets extending presets: deeper is a cycle or a mistake

/**
 * Merges config layers (later wins), following `extends`, importing plugins
 * and rulesets, and checking every reference. Throws one ConfigError listing
 * every problem.
 */
export async function resolveConfig(layers: ConfigLayer[], presets: PresetMap = {}): Promise<ResolvedConfig> {
  const issues: ConfigIssue[] = [];
  const plugins = new Map<string, Plugin>();
  const merged: Required<Pick<ConfigObject, "rules" | "analyzers" | "sources" | "limits">> & {
    rulesets: { entry: string | Ruleset; layer: ConfigLayer; pointer: string }[];
    ignore: string[];
    suppressions: NonNullable<ConfigObject["suppressions"]>;
    reporters?: NonNullable<ConfigObject["reporters"]>;
    failOn?: ConfigObject["failOn"];
    failOnIncomplete?: boolean;
    hashes?: boolean;
  } = { rules: {}, analyzers: {}, sources: {}, limits: {}, rulesets: [], ignore: [], suppressions: [] };

  const apply = async (layer: ConfigLayer, depth: number, seen: string[]): Promise<void> => {
    const shapeIssues = validateConfig(layer.config, layer.file);
    if (shapeIssues.length) {
      issues.push(...shapeIssues);
      return;
    }
    const c = layer.config;
    for (const [i, entry] of (c.plugins ?? []).entries()) {
      const plugin = await loadPlugin(entry, layer, `/plugins/${i}`, issues);
      if (plugin && !plugins.has(plugin.meta.name)) plugins.set(plugin.meta.name, plugin);
    }
    for (const [i, name] of (c.extends ?? []).entries()) {
      const pointer = `/extends/${i}`;
      if (seen.includes(name) || depth >= MAX_EXTENDS_DEPTH) {
        issues.push({ file: layer.file, pointer, message: `preset "${name}" extends itself (${[...seen, name].join(" → ")})`, fix: "remove the cycle" });
        continue;
      }
      const preset = presets[name] ?? pluginPreset(name, plugins);
      if (!preset) {
        const known = [...Object.keys(presets), ...[...plugins.values()].flatMap((p) => Object.keys(p.configs ?? {}).map((k) => `${p.meta.namespace}:${k}`))];
        issues.push({ file: layer.file, pointer, message: `unknown preset "${name}"`, fix: `use one of: ${known.join(", ") || "(none loaded)"}; a plugin's preset needs the plugin listed in "plugins"` });
        continue;
      }
      await apply({ config: preset, file: `<preset ${name}>`, baseDir: layer.baseDir }, depth + 1, [...seen, name]);
    }
    Object.assign(merged.rules, c.rules);
    for (const [id, setting] of Object.entries(c.analyzers ?? {})) {
      const prev = merged.analyzers[id];
      const prevObj = typeof prev === "object" ? prev : prev === undefined ? {} : { enabled: prev };
      const next = typeof setting === "boolean" ? { enabled: setting } : setting;
      merged.analyzers[id] = { ...prevObj, ...next, options: { ...prevObj.options, ...next.options } };
    }
    for (const [id, options] of Object.entries(c.sources ?? {})) merged.sources[id] = { ...merged.sources[id], ...options };
    Object.assign(merged.limits, c.limits);
    (c.rulesets ?? []).forEach((entry, i) => merged.rulesets.push({ entry, layer, pointer: `/rulesets/${i}` }));
    merged.ignore.push(...(c.ignore ?? []));
    merged.suppressions.push(...(c.suppressions ?? []));
    if (c.reporters !== undefined) merged.reporters = c.reporters;
    if (c.failOn !== undefined) merged.failOn = c.failOn;
    if (c.failOnIncomplete !== undefined) merged.failOnIncomplete = c.failOnIncomplete;
    if (c.hashes !== undefined) merged.hashes = c.hashes;
  };

  for (const layer of layers) await apply(layer, 0, []);

  // Register contributions, refusing duplicates: two analyzers with one id would make config ambiguous.
  const allAnalyzers: RegisteredAnalyzer[] = [];
  const sources = new Map<string, Source<unknown>>();
  const reporters = new Map<string, Reporter<unknown>>();
  const rules = new Map<string, RuleMeta>();
  const ruleOwner = new Map<string, string>();
  const addRule = (rule: RuleMeta, owner: string) => {
    const prev = ruleOwner.get(rule.id);
    if (prev && prev !== owner)
      issues.push({ file: "<plugins>", pointer: "", message: `rule "${rule.id}" is declared by both ${prev} and ${owner}`, fix: "remove one of the plugins or rulesets" });
    rules.set(rule.id, rule);
    ruleOwner.set(rule.id, owner);
  };
  // The engine's own scan-level rules.
  for (const rule of ENGINE_RULES) addRule(rule, "the engine");
  for (const plugin of plugins.values()) {
    for (const analyzer of Object.values(plugin.analyzers ?? {}) as Analyzer<unknown>[]) {
      const clash = allAnalyzers.find((a) => a.analyzer.id === analyzer.id);
      if (clash)
        issues.push({ file: "<plugins>", pointer: "", message: `analyzer id "${analyzer.id}" is provided by both ${clash.plugin} and ${plugin.meta.name}`, fix: "remove one of the two plugins" });
      else allAnalyzers.push({ analyzer, plugin: plugin.meta.name, qualifiedId: `${plugin.meta.namespace}/${analyzer.id}`, options: {} });
      // Analyzers of one plugin may share rules (pickle, joblib and npy all report pickle/*).
      for (const rule of analyzer.rules) addRule(rule, `plugin ${plugin.meta.name}`);
    }
    for (const source of Object.values(plugin.sources ?? {}) as Source<unknown>[]) {
      if (sources.has(source.id))
        issues.push({ file: "<plugins>", pointer: "", message: `source id "${source.id}" is provided twice`, fix: "remove one of the plugins" });
      sources.set(source.id, source);
    }
    for (const reporter of Object.values(plugin.reporters ?? {}) as Reporter<unknown>[]) {
      if (reporters.has(reporter.id))
        issues.push({ file: "<plugins>", pointer: "", message: `reporter id "${reporter.id}" is provided twice`, fix: "remove one of the plugins" });
      reporters.set(reporter.id, reporter);
    }
  }

  const rulesets: Ruleset[] = [];
  for (const { entry, layer, pointer } of merged.rulesets) {
    const ruleset = await loadRuleset(entry, layer, pointer, plugins, issues);
    if (ruleset && isUserData(entry, layer)) checkPolicies(ruleset, allAnalyzers, layer, pointer, issues);
    if (ruleset && !rulesets.some((r) => r.id === ruleset.id)) {
      rulesets.push(ruleset);
      for (const rule of ruleset.rules ?? []) addRule(rule, `ruleset ${ruleset.id}`);
    }
  }

  const analyzers: RegisteredAnalyzer[] = [];
  const disabledAnalyzers: RegisteredAnalyzer[] = [];
  for (const [key, setting] of Object.entries(merged.analyzers)) {
    if (!allAnalyzers.some((a) => a.analyzer.id === key || a.qualifiedId === key))
      issues.push({ file: "<config>", pointer: `/analyzers/${key}`, message: `no loaded plugin provides analyzer "${key}"${suggestion(key, allAnalyzers.flatMap((a) => [a.analyzer.id, a.qualifiedId]))}`, fix: `use one of: ${allAnalyzers.map((a) => a.analyzer.id).join(", ") || "(none loaded)"}` });
    void setting;
  }
  for (const reg of allAnalyzers) {
    const key = merged.analyzers[reg.qualifiedId] !== undefined ? reg.qualifiedId : reg.analyzer.id;
    const setting = merged.analyzers[key];
    const s = typeof setting === "object" ? setting : { enabled: setting };
    const entry = { ...reg, options: s.options ?? {} };
    for (const problem of optionProblems(reg.analyzer, entry.options))
      issues.push({ file: "<config>", pointer: `/analyzers/${key}/options${problem.pointer}`, message: `analyzer "${reg.analyzer.id}": ${problem.message}`, fix: problem.fix });
    (s.enabled === false ? disabledAnalyzers : analyzers).push(entry);
  }
  for (const id of Object.keys(merged.rules))
    if (!rules.has(id))
      issues.push({ file: "<config>", pointer: `/rules/${id.replace(/~/g, "~0").replace(/\//g, "~1")}`, message: `unknown rule "${id}"${suggestion(id, rules.keys())}`, fix: "run `modelward rules list` for the rule ids of the loaded plugins and rulesets" });

  const reporterEntries = (merged.reporters ?? []).map((e): [string, Record<string, unknown>] => (typeof e === "string" ? [e, {}] : [e[0], e[1]]));
  reporterEntries.forEach(([id], i) => {
    if (!reporters.has(id))
      issues.push({ file: "<config>", pointer: `/reporters/${i}`, message: `unknown reporter "${id}"${suggestion(id, reporters.keys())}`, fix: `use one of: ${[...reporters.keys()].join(", ") || "(none loaded)"}` });
  });

  if (issues.length) throw new ConfigError(issues);
  const limits = { ...DEFAULT_LIMITS, ...merged.limits };
  return {
    plugins: [...plugins.values()],
    analyzers,
    disabledAnalyzers,
    sources,
    reporters,
    rulesets,
    rules,
    ruleSettings: merged.rules,
    sourceOptions: merged.sources,
    ignore: merged.ignore,
    suppressions: merged.suppressions,
    reporterEntries,
    failOn: merged.failOn ?? "high",
    failOnIncomplete: merged.failOnIncomplete ?? true,
    hashes: merged.hashes ?? false,
    limits,
  };
}

/** Problems of an analyzer's options against the schema it declares (any option is one when it declares none). */
function optionProblems(analyzer: Analyzer<unknown>, options: Record<string, unknown>): { pointer: string; message: string; fix: string }[] {
  if (!analyzer.optionsSchema) {
    return Object.keys(options).length === 0 ? [] : [{ pointer: "", message: "takes no options", fix: "remove its options" }];
  }
  return validateOptions(analyzer.optionsSchema, options).map((problem) => {
    const colon = problem.indexOf(": ");
    const pointer = problem.slice(0, colon);
    return { pointer: pointer === "/" ? "" : pointer, message: problem.slice(colon + 2), fix: "see the analyzer's README for its options" };
  });
}

/**
 * A ruleset the user supplied as data (an object in their config, or a JSON file), not a package or a
 * preset's bundled ruleset, which their own tests check (validating those would cost every start-up).
 */
function isUserData(entry: string | Ruleset, layer: ConfigLayer): boolean {
  if (typeof entry === "string") return entry.toLowerCase().endsWith(".json");
  return !layer.file.startsWith("<preset ");
}

/** Runs the loaded analyzers' policy validators on a ruleset's policy data; every problem is a config issue. */
function checkPolicies(ruleset: Ruleset, analyzers: readonly RegisteredAnalyzer[], layer: ConfigLayer, pointer: string, issues: ConfigIssue[]): void {
  for (const [namespace, data] of Object.entries(ruleset.policies ?? {})) {
    const validator = analyzers.map((a) => a.analyzer.policyValidators?.[namespace]).find((v) => v !== undefined);
    if (!validator) continue; // read by no loaded analyzer: another plugin's data
    let problems: string[];
    try {
      problems = validator(data);
    } catch (error) {
      problems = [`its validator failed: ${describeError(error)}`];
    }
    for (const problem of problems)
      issues.push({ file: layer.file, pointer: `${pointer}/policies/${namespace}`, message: `ruleset "${ruleset.id}" ${namespace} policy: ${problem}`, fix: "fix or remove the entry (formats: docs/authoring-a-plugin.md, section 5)" });
  }
}

/** `. Did you mean "x"?` after an unknown id when a known one is a plausible typo, else nothing. */
function suggestion(word: string, known: Iterable<string>): string {
  const hint = didYouMean(word, known);
  return hint === "" ? "" : `.${hint}`;
}

function pluginPreset(name: string, plugins: Map<string, Plugin>): ConfigObject | undefined {
  const colon = name.indexOf(":");
  if (colon < 0) return undefined;
  const ns = name.slice(0, colon);
  const key = name.slice(colon + 1);
  for (const p of plugins.values()) if (p.meta.namespace === ns && p.configs?.[key]) return p.configs[key];
  return undefined;
}

async function loadPlugin(entry: string | Plugin, layer: ConfigLayer, pointer: string, issues: ConfigIssue[]): Promise<Plugin | undefined> {
  let value: unknown = entry;
  const label = typeof entry === "string" ? `"${entry}"` : "object";
  if (typeof entry === "string") {
    try {
      value = await importFrom(entry, layer.baseDir);
    } catch (error) {
      issues.push({ file: layer.file, pointer, message: `cannot load plugin ${label}: ${describeError(error)}`, fix: `install it next to the config (npm i -D ${entry}) or fix the path` });
      return undefined;
    }
  }
  const problems = validatePlugin(value);
  if (problems.length) {
    issues.push({ file: layer.file, pointer, message: `plugin ${label} is malformed: ${problems.join("; ")}`, fix: "fix the plugin's default export (see docs/authoring-a-plugin.md)" });
    return undefined;
  }
  const plugin = value as Plugin;
  if (typeof entry === "string" && isPackageName(entry)) {
    const manifest = packageManifestOf(entry, layer.baseDir);
    if (manifest && (manifest.name !== plugin.meta.name || manifest.version !== plugin.meta.version)) {
      issues.push({
        file: layer.file,
        pointer,
        message: `plugin ${label} says it is ${plugin.meta.name}@${plugin.meta.version} but its package is ${manifest.name}@${manifest.version}`,
        fix: "set the plugin's meta.name and meta.version from its package.json (or reinstall it: a stale build is loaded)",
      });
      return undefined;
    }
  }
  return plugin;
}

async function loadRuleset(
  entry: string | Ruleset,
  layer: ConfigLayer,
  pointer: string,
  plugins: Map<string, Plugin>,
  issues: ConfigIssue[],
): Promise<Ruleset | undefined> {
  let value: unknown = entry;
  if (typeof entry === "string") {
    value = [...plugins.values()].flatMap((p) => Object.values(p.rulesets ?? {})).find((r) => r.id === entry);
    if (!value) {
      try {
        value = await importFrom(entry, layer.baseDir);
      } catch (error) {
        issues.push({ file: layer.file, pointer, message: `cannot load ruleset "${entry}": ${describeError(error)}`, fix: "use the id of a ruleset a loaded plugin provides, a ruleset package name, or a path to a ruleset JSON file" });
        return undefined;
      }
    }
  }
  const problems = validateRuleset(value);
  if (problems.length) {
    issues.push({ file: layer.file, pointer, message: `ruleset ${typeof entry === "string" ? `"${entry}"` : "object"} is malformed: ${problems.join("; ")}`, fix: "fix the ruleset (see docs/authoring-a-plugin.md)" });
    return undefined;
  }
  return value as Ruleset;
}
