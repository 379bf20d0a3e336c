import type { Confidence, RuleMeta, Severity } from "@modelward/core";

/**
 * A secret or personal datum found in one text segment. `value` is the raw
 * text and must never leave the analyzer: findings carry {@link redact}ed
 * forms only.
 */
export interface Hit {
  rule: RuleMeta;
  /** What it is, for people: `Hugging Face token`, `email address`. */
  kind: string;
  /** Offsets in the segment's text, `[start, end)`. */
  start: number;
  end: number;
  value: string;
  /** Overrides of the rule's defaults (an example key at low, a failed checksum). */
  severity?: Severity;
  confidence?: Confidence;
  /** Which detector found it: `secretlint/<rule>` or `modelward`. */
  detector: string;
  /** Why the severity was lowered, when it was. */
  note?: string;
}
