import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, ModelwardError, describeError, type ConfigObject } from "@modelward/core";
import { findConfigFile } from "./find-config.js";
import { resolveConfig, type ConfigLayer, type PresetMap } from "./resolve-config.js";
import type { ResolvedConfig } from "./resolved-config.js";

/** What {@link loadConfig} needs. */
export interface LoadConfigOptions {
  /** Folder to search for a config file from (default `process.cwd()`). */
  cwd?: string;
  /** An explicit config file (`--config`); it must exist. */
  configFile?: string;
  /** Named presets, e.g. `modelward:recommended` from the CLI. */
  presets?: PresetMap;
  /** Used when no config file is found. Default `{ extends: ["modelward:recommended"] }`. */
  defaultConfig?: ConfigObject;
  /** Applied last (command-line options). */
  overrides?: ConfigObject;
  /**
   * Local paths about to be scanned. A config file found by search inside one
   * of them is not loaded: it belongs to the untrusted target, and loading it
   * would let the target choose plugins or run code. Pass it with --config to trust it.
   */
  scanPaths?: string[];
}

/** A resolved config plus what the user should be told about how it was found. */
export interface LoadedConfig {
  config: ResolvedConfig;
  /** Notes such as a config file that was found but not trusted. */
  warnings: string[];
}

/** Finds, reads, validates and resolves the configuration. Throws ConfigError or ModelwardError. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const warnings: string[] = [];
  let file: string | undefined;
  if (options.configFile) {
    file = resolve(cwd, options.configFile);
    if (!existsSync(file)) throw new ModelwardError("MW_CONFIG_NOT_FOUND", `config file not found: ${file}`);
  } else {
    const found = findConfigFile(cwd);
    const owner = found && (options.scanPaths ?? []).map((p) => resolve(cwd, p)).find((p) => isInside(found, p));
    if (found && owner) {
      warnings.push(
        `not loading ${found}: it is inside the scanned target ${owner}, which is untrusted. Pass --config ${relative(cwd, found) || found} to use it anyway.`,
      );
    } else file = found;
  }
  const layers: ConfigLayer[] = [];
  const defaults = options.defaultConfig ?? { extends: ["modelward:recommended"] };
  if (file) layers.push({ config: withImpliedExtends(await readConfigFile(file), defaults, options.presets), file, baseDir: dirname(file) });
  else layers.push({ config: defaults, file: "<default>", baseDir: cwd });
  if (options.overrides) layers.push({ config: options.overrides, file: "<command line>", baseDir: cwd });
  const config = await resolveConfig(layers, options.presets);
  if (file) config.file = file;
  return { config, warnings };
}

/**
 * A config file that does not say what it extends gets the default's presets
 * (the recommended one), so `{ "rules": { … } }` tunes the recommended set
 * instead of silently loading nothing; `"extends": []` opts out.
 */
function withImpliedExtends(config: ConfigObject, defaults: ConfigObject, presets: PresetMap | undefined): ConfigObject {
  if (config.extends !== undefined || !config || typeof config !== "object") return config;
  const implied = (defaults.extends ?? []).filter((name) => presets?.[name] !== undefined);
  return implied.length ? { extends: implied, ...config } : config;
}

/** Reads a JSON or JS config file. JS configs run: they are the user's own code, never the target's. */
export async function readConfigFile(file: string): Promise<ConfigObject> {
  if (file.endsWith(".json")) {
    const text = readFileSync(file, "utf8");
    try {
      return JSON.parse(text) as ConfigObject;
    } catch (error) {
      throw new ConfigError([{ file, pointer: "", message: `not valid JSON: ${describeError(error)}`, fix: "fix the JSON syntax" }]);
    }
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return (mod.default ?? {}) as ConfigObject;
  } catch (error) {
    throw new ConfigError([{ file, pointer: "", message: `cannot import: ${describeError(error)}`, fix: "fix the module so it imports, with the config as its default export" }]);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}
