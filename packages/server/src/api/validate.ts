import Ajv, { type ValidateFunction } from "ajv";
import { REQUEST_SCHEMAS } from "./schemas.js";

export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<RequestSchemaName, ValidateFunction>();

/** Validates a parsed body against its schema; returns every problem as `path: message`, or an empty list. */
export function validateBody(schema: RequestSchemaName, body: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(REQUEST_SCHEMAS[schema] as object);
    compiled.set(schema, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== "if")
    .map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? `: ${String((e.params as { additionalProperty?: string }).additionalProperty)}` : ""}`);
}
