/**
 * The one severity scale used everywhere in Modelward, most severe first.
 * `info` findings are facts worth knowing that carry no risk on their own.
 */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/** A finding's severity. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The platform's three-level view of a file or a scan:
 * `alert` (critical, high), `warning` (medium, low), `pass` (nothing above info).
 */
export type Verdict = "alert" | "warning" | "pass";

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** True when `value` is one of {@link SEVERITIES}. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/** Numeric rank of a severity: critical 4 … info 0. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when `severity` is at least as severe as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** The most severe of the given severities, or `undefined` for none. */
export function maxSeverity(severities: Iterable<Severity>): Severity | undefined {
  let best: Severity | undefined;
  for (const s of severities) if (best === undefined || RANK[s] > RANK[best]) best = s;
  return best;
}

/**
 * The platform verdict for the most severe finding of a file or scan.
 * `incomplete` (an analysis that did not finish) is never a pass: it is at least a warning.
 */
export function verdictOf(highest: Severity | undefined, incomplete = false): Verdict {
  if (highest === "critical" || highest === "high") return "alert";
  if (highest === "medium" || highest === "low" || incomplete) return "warning";
  return "pass";
}

/**
 * GitHub code scanning's `security-severity` score for a severity
 * (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0).
 */
export function securitySeverityScore(severity: Severity): string {
  return { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" }[severity];
}
