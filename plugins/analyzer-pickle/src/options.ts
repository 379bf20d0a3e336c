import type { PickleLimits } from "@modelward/pickle";

/** Options of the pickle analyzers (from the config). */
export interface PickleAnalyzerOptions {
  /** Overrides of the VM limits. */
  limits?: Partial<PickleLimits>;
}

/** Reads the VM limits from options, ignoring anything that is not a positive number. */
export function limitsFrom(options: unknown): Partial<PickleLimits> {
  const raw = (options as PickleAnalyzerOptions | undefined)?.limits;
  const out: Partial<PickleLimits> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [k, v] of Object.entries(raw)) if (typeof v === "number" && v > 0 && Number.isFinite(v)) (out as Record<string, number>)[k] = v;
  return out;
}
