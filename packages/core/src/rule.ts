import type { Severity } from "./severity.js";
import type { Category, Taxonomy } from "./taxonomy.js";

/** How sure a rule (or a single finding) is that what it saw is what it says. */
export type Confidence = "high" | "medium" | "low";

/**
 * Everything known about a rule before it fires. Analyzers declare the rules
 * they may report; rulesets may declare more. Reporters use it for SARIF rule
 * descriptors, CycloneDX vulnerability sources and `modelward rules list`.
 */
export interface RuleMeta {
  /** Namespaced, stable id: `<namespace>/<kebab-name>`, e.g. `pickle/unsafe-global`. */
  id: string;
  /** One-line summary, shown in tables and as SARIF `shortDescription`. */
  title: string;
  /** What the rule detects and why it matters (SARIF `fullDescription`). */
  description: string;
  /** What the user should do about a finding (markdown allowed). */
  remediation: string;
  /** Severity used when the finding does not carry its own. */
  defaultSeverity: Severity;
  /** Risk class. */
  category: Category;
  /** Default confidence of its findings. */
  confidence?: Confidence;
  /** CWE / ATLAS / OWASP ids. */
  taxonomy: Taxonomy;
  /** URLs of advisories, specs or write-ups. */
  references: string[];
  /** Page documenting the rule (SARIF `helpUri`). */
  helpUri?: string;
}

/** True when `id` has the `<namespace>/<name>` shape rules must use. */
export function isRuleId(id: string): boolean {
  return /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/.test(id);
}

/**
 * The anchor of a rule's section in `docs/rules.md` (`### pickle/unsafe-global`
 * → `pickleunsafe-global`), as GitHub derives heading anchors.
 */
export function ruleAnchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}
