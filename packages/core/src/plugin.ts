import type { Analyzer } from "./analyzer.js";
import type { ConfigObject } from "./config.js";
import type { Reporter } from "./reporter.js";
import type { Ruleset } from "./ruleset.js";
import type { Source } from "./source.js";

/** Version of the plugin contract. The engine refuses plugins written for another. */
export const PLUGIN_API_VERSION = 1;

/**
 * A plugin is a plain object (ESLint style), the default export of its
 * package. It may contribute analyzers, sources, reporters, rulesets and
 * preset configs.
 */
export interface Plugin {
  /** Must be {@link PLUGIN_API_VERSION}. */
  apiVersion: 1;
  /** Identity; `name` and `version` must match the package.json. */
  meta: {
    /** npm package name. */
    name: string;
    /** npm package version. */
    version: string;
    /** Short prefix for its rules and presets (`pickle` → rules `pickle/…`). */
    namespace: string;
  };
  /** Analyzers by id. */
  analyzers?: Record<string, Analyzer<any>>;
  /** Sources by id. */
  sources?: Record<string, Source<any>>;
  /** Reporters by id. */
  reporters?: Record<string, Reporter<any>>;
  /** Rulesets by id. */
  rulesets?: Record<string, Ruleset>;
  /** Preset configs by name, used as `extends: ["<namespace>:<name>"]`. */
  configs?: Record<string, ConfigObject>;
}

/** Identity helper that type-checks a plugin object. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
