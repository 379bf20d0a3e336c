import type { OptionsSchema } from "@modelward/core";
import { DEFAULT_PICKLE_LIMITS, type PickleLimits } from "@modelward/pickle";

/** Options of the pickle analyzers (from the config). */
export interface PickleAnalyzerOptions {
  /** Overrides of the VM limits. */
  limits?: Partial<PickleLimits>;
}

/** The options the pickle, joblib and npy analyzers take, validated by the engine when the config loads. */
export const PICKLE_OPTIONS_SCHEMA: OptionsSchema = {
  type: "object",
  properties: {
    limits: {
      type: "object",
      description: "Overrides of the pickle VM limits (whole numbers from 1); defaults in @modelward/pickle's DEFAULT_PICKLE_LIMITS.",
      properties: Object.fromEntries(Object.keys(DEFAULT_PICKLE_LIMITS).map((key) => [key, { type: "integer", minimum: 1 } satisfies OptionsSchema])),
    },
  },
};

/** Reads the VM limits from options (validated against {@link PICKLE_OPTIONS_SCHEMA} at config load). */
export function limitsFrom(options: unknown): Partial<PickleLimits> {
  const raw = (options as PickleAnalyzerOptions | undefined)?.limits;
  const out: Partial<PickleLimits> = {};
  if (!raw || typeof raw !== "object") return out;
  // Still defensive: a caller may hand options that never went through a config.
  for (const [k, v] of Object.entries(raw)) if (typeof v === "number" && v > 0 && Number.isFinite(v)) (out as Record<string, number>)[k] = v;
  return out;
}
