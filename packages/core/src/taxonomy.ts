/** The risk classes of a finding. The first three are the platform's; the rest are Modelward's. */
export const CATEGORIES = [
  "deserialization",
  "backdoor",
  "runtime",
  "secret",
  "dependency",
  "integrity",
] as const;

/**
 * - `deserialization`: loading the artifact runs code (pickle globals, Keras module refs).
 * - `backdoor`: hidden paths that change behaviour on a trigger (graph backdoors).
 * - `runtime`: code that runs at inference (Lambda layers, TF PyFunc, chat templates).
 * - `secret`: credentials, tokens, PII in notebooks, scripts or metadata.
 * - `dependency`: vulnerable or unsafe third-party packages.
 * - `integrity`: the artifact is malformed, tampered or could not be fully read.
 */
export type Category = (typeof CATEGORIES)[number];

/** True when `value` is one of {@link CATEGORIES}. */
export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}

/** Public classification ids carried by a rule and copied onto each of its findings. */
export interface Taxonomy {
  /** CWE ids, e.g. `CWE-502`. */
  cwe?: string[];
  /** MITRE ATLAS technique ids, e.g. `AML.T0011.000`. */
  atlas?: string[];
  /** OWASP ids: LLM Top 10 2025 (`LLM03:2025`) or ML Top 10 (`ML06:2023`). */
  owasp?: string[];
}
