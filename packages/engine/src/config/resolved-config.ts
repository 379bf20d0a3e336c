import type {
  Analyzer,
  Limits,
  Plugin,
  Reporter,
  RuleMeta,
  RuleSetting,
  Ruleset,
  Severity,
  Source,
  SuppressionEntry,
} from "@modelward/core";

/** An analyzer with where it came from and its effective options. */
export interface RegisteredAnalyzer {
  analyzer: Analyzer<unknown>;
  /** `meta.name` of the plugin that provides it. */
  plugin: string;
  /** `<namespace>/<id>`. */
  qualifiedId: string;
  /** Options from the config's `analyzers` entry. */
  options: Record<string, unknown>;
}

/** A config with presets merged, plugins imported, rulesets loaded and everything checked. */
export interface ResolvedConfig {
  /** The config file in use, if any. */
  file?: string;
  /** Plugins, deduplicated by package name, in load order. */
  plugins: Plugin[];
  /** Enabled analyzers, in load order. */
  analyzers: RegisteredAnalyzer[];
  /** Analyzers a config turned off (kept for `plugins list`). */
  disabledAnalyzers: RegisteredAnalyzer[];
  /** Sources by id. */
  sources: Map<string, Source<unknown>>;
  /** Reporters by id. */
  reporters: Map<string, Reporter<unknown>>;
  /** Rulesets in config order. */
  rulesets: Ruleset[];
  /** Every known rule (analyzers' and rulesets'), by id. */
  rules: Map<string, RuleMeta>;
  /** Per-rule overrides. */
  ruleSettings: Record<string, RuleSetting>;
  /** Source options by source id. */
  sourceOptions: Record<string, Record<string, unknown>>;
  /** Ignore globs. */
  ignore: string[];
  /** Suppression entries. */
  suppressions: SuppressionEntry[];
  /** Reporter entries, `[id, options]` (empty when the config names none; the CLI then uses `console`). */
  reporterEntries: [string, Record<string, unknown>][];
  /** Failure threshold. */
  failOn: Severity | "none";
  /** Whether an incomplete analysis fails the scan. */
  failOnIncomplete: boolean;
  /** Whether to hash every file. */
  hashes: boolean;
  /** Limits in force. */
  limits: Limits;
}
