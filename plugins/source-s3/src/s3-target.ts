import { ModelwardError } from "@modelward/core";

/** A parsed `s3://bucket[/prefix]` target. */
export interface S3Target {
  bucket: string;
  /** Key prefix (`models/llama/`), or `""` for the whole bucket. */
  prefix: string;
}

// S3 bucket naming rules (3–63 lowercase letters, digits, dots, hyphens; underscores kept for S3-compatible stores).
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket[/prefix]`. A prefix that names a folder is listed with
 * everything under it; one that names a single key lists that key (and any
 * key that starts with it, as S3 prefixes do).
 */
export function parseS3Target(target: string): S3Target {
  if (!/^s3:\/\//i.test(target)) throw new ModelwardError("MW_USAGE", `not an s3:// target: ${target}`);
  const rest = target.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) throw new ModelwardError("MW_USAGE", `invalid S3 bucket name in ${target}`);
  return { bucket, prefix };
}
