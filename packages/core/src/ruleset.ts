import type { RuleMeta } from "./rule.js";

/** A test case of a ruleset entry: an input and whether the entry should fire on it. */
export interface RuleCase {
  /** What the case shows. */
  name: string;
  /** Namespace-specific input, e.g. `{ "global": "os.system" }` for pickle policy. */
  input: Record<string, unknown>;
  /** True when the entry must fire on the input, false when it must not. */
  fires: boolean;
}

/**
 * Rules as data. A ruleset declares rules (metadata + taxonomy) and policy
 * entries per analyzer namespace (pickle allow/deny lists, secret patterns…),
 * each with its own positive and negative cases.
 */
export interface Ruleset {
  /** Unique id (`default`). */
  id: string;
  /** What it covers. */
  description: string;
  /** Rules it declares (in addition to those analyzers declare). */
  rules?: RuleMeta[];
  /** Policy data keyed by analyzer namespace (`pickle`, `keras`…). The analyzer defines the shape. */
  policies?: Record<string, unknown>;
}
