import { createHash } from "node:crypto";

/** What reports say about a secret instead of the secret. */
export interface Redacted {
  /** First 4 characters, an ellipsis and the length: `hf_a…(37 chars)`. */
  redacted: string;
  /** First 12 hex digits of the value's SHA-256: lets people match a finding to a credential they hold without the report revealing it. */
  sha256: string;
  length: number;
}

/** The redacted form of a secret or personal value (never the value itself). */
export function redact(value: string): Redacted {
  const head = [...value].slice(0, 4).join("");
  return {
    redacted: `${head}…(${value.length} chars)`,
    sha256: createHash("sha256").update(value, "utf8").digest("hex").slice(0, 12),
    length: value.length,
  };
}
