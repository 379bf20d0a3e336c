import { didYouMean } from "./suggest.js";

/**
 * The JSON Schema subset an analyzer declares for its options (`Analyzer.optionsSchema`).
 * Small on purpose: options are a few typed knobs, and the engine validates them
 * at config load without a schema library.
 */
export interface OptionsSchema {
  type: "object" | "array" | "string" | "number" | "integer" | "boolean";
  description?: string;
  /** `object`: the keys it knows. */
  properties?: Record<string, OptionsSchema>;
  /** `object`: false refuses keys not in `properties` (the default here: options have no free-form keys). */
  additionalProperties?: boolean;
  /** `array`: every item's schema. */
  items?: OptionsSchema;
  /** Allowed values. */
  enum?: readonly (string | number | boolean)[];
  /** `number`/`integer`: inclusive bounds. */
  minimum?: number;
  maximum?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Problems of `value` against `schema`, each as `<JSON pointer>: <sentence>` (empty when valid).
 * An object refuses unknown keys unless `additionalProperties` is true, with a did-you-mean hint.
 */
export function validateOptions(schema: OptionsSchema, value: unknown, pointer = ""): string[] {
  const at = pointer === "" ? "/" : pointer;
  const problems: string[] = [];
  switch (schema.type) {
    case "object": {
      if (!isObject(value)) return [`${at}: must be an object`];
      const known = schema.properties ?? {};
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        const sub = known[key];
        if (sub) problems.push(...validateOptions(sub, item, child));
        else if (schema.additionalProperties !== true) problems.push(`${child}: unknown option "${key}".${didYouMean(key, Object.keys(known)) || ` Known: ${Object.keys(known).join(", ") || "none"}.`}`);
      }
      return problems;
    }
    case "array":
      if (!Array.isArray(value)) return [`${at}: must be an array`];
      if (schema.items) value.forEach((item, i) => problems.push(...validateOptions(schema.items!, item, `${pointer}/${i}`)));
      break;
    case "string":
    case "boolean":
      if (typeof value !== schema.type) return [`${at}: must be a ${schema.type}`];
      break;
    case "number":
    case "integer":
      if (typeof value !== "number" || !Number.isFinite(value) || (schema.type === "integer" && !Number.isInteger(value))) return [`${at}: must be ${schema.type === "integer" ? "an integer" : "a number"}`];
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: must be at least ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: must be at most ${schema.maximum}`);
      break;
  }
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) problems.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  return problems;
}
