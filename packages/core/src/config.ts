import type { Limits } from "./limits.js";
import type { Plugin } from "./plugin.js";
import type { Ruleset } from "./ruleset.js";
import type { Severity } from "./severity.js";

/** Per-rule setting: `"off"`, a severity, or an object. */
export type RuleSetting = "off" | Severity | { severity?: Severity | "off" };

/** A reporter entry: its id, or `[id, options]`. Options may include `output` (a file path). */
export type ReporterEntry = string | [string, Record<string, unknown>];

/** Accepts a finding: by rule id and/or path glob, always with a reason. */
export interface SuppressionEntry {
  /** Rule id the suppression applies to (absent: every rule). */
  rule?: string;
  /** Glob over `path` (and `path ▸ member` chains joined with `/`) the suppression applies to (absent: every file). */
  path?: string;
  /** Fingerprint of one finding (from a report). */
  fingerprint?: string;
  /** Why this is accepted. Required: a suppression without a reason is a config error. */
  justification: string;
}

/**
 * A config object, as written in `modelward.config.json` / `.mjs` or a preset.
 * In JSON, plugins and rulesets are package names or paths resolved from the
 * config file's folder; in JS they may be the imported objects.
 */
export interface ConfigObject {
  /** JSON schema URL, ignored. */
  $schema?: string;
  /** Presets to start from, in order: `modelward:recommended`, `<plugin namespace>:<config name>`. */
  extends?: string[];
  /** Plugins: package names / relative paths (JSON) or plugin objects (JS). */
  plugins?: (string | Plugin)[];
  /** Rulesets: ids from loaded plugins, paths to ruleset JSON files, or objects. */
  rulesets?: (string | Ruleset)[];
  /** Per-rule overrides by rule id. */
  rules?: Record<string, RuleSetting>;
  /** Analyzer selection and options: `false` disables; an object may set `options`. */
  analyzers?: Record<string, boolean | { enabled?: boolean; options?: Record<string, unknown> }>;
  /** Source options by source id. */
  sources?: Record<string, Record<string, unknown>>;
  /** Globs (root-relative, `/`-separated) of paths not to scan; they are listed as skipped. */
  ignore?: string[];
  /** Accepted findings; suppressed findings stay in the report, marked. */
  suppressions?: SuppressionEntry[];
  /** Outputs. Default: `console`. */
  reporters?: ReporterEntry[];
  /** Findings at or above this severity make the scan fail (exit 1). Default `high`. */
  failOn?: Severity | "none";
  /** Whether an incomplete analysis fails the scan. Default `true`: nothing fails open. */
  failOnIncomplete?: boolean;
  /** Compute SHA-256 of every file (always on when a reporter needs it). */
  hashes?: boolean;
  /** Limit overrides. */
  limits?: Partial<Limits>;
}
