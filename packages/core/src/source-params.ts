import { ModelwardError } from "./errors.js";

/** Where a platform scan request says the artifacts live. */
export type RepoType = "github" | "git" | "huggingface" | "s3_bucket" | "file";

/** The repository types, for validation and help texts. */
export const REPO_TYPES: readonly RepoType[] = ["github", "git", "huggingface", "s3_bucket", "file"];

/**
 * The platform's scan parameters, spelled as the platform spells them. The
 * same names are accepted by the CLI (as flags), by the config (`sources.<id>`
 * options) and by the scan API, so a request copied from one works in the
 * others. Each source reads the ones that concern it:
 *
 * - git: `repo_url`, `branch_name` (default `main`), `depth` (default 1: the latest commit only), `git_token`, `lfs`
 * - hf: `model_id`, `branch_name` (the revision), `hf_token`, `hf_endpoint`
 * - s3: `bucket_name`, `region`, `aws_access_key_id`, `aws_secret_access_key`, `s3_endpoint`
 *
 * Credentials (`hf_token`, `aws_secret_access_key`, `aws_access_key_id`) are never written to a
 * report, a log or an error message.
 */
export interface SourceParams {
  /** `github`/`git`, `huggingface`, `s3_bucket` or `file`. */
  repo_type?: RepoType;
  /** Git repository URL (`https://github.com/o/r`, `git+file:///srv/r.git`), or a local path for `file`. */
  repo_url?: string;
  /** Git branch, or Hugging Face revision (branch, tag or commit). */
  branch_name?: string;
  /** Commits of history to fetch (Git). 1 is the latest commit only. */
  depth?: number;
  /** Hugging Face repository id (`org/name`, `datasets/org/name`, `spaces/org/name`). */
  model_id?: string;
  /** S3 access key id (otherwise the SDK's standard credential chain). */
  aws_access_key_id?: string;
  /** S3 secret access key (otherwise the SDK's standard credential chain). */
  aws_secret_access_key?: string;
  /** S3 region. */
  region?: string;
  /** S3 bucket, optionally followed by `/prefix`. */
  bucket_name?: string;
  /** Hugging Face token for private and gated repositories (else `HF_TOKEN`). */
  hf_token?: string;
  /** Hugging Face endpoint (else `HF_ENDPOINT`, else `https://huggingface.co`). */
  hf_endpoint?: string;
  /** S3-compatible endpoint (else the SDK's `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`). */
  s3_endpoint?: string;
  /** Token for a private Git repository over HTTPS (a GitHub token), sent only to the repository's origin. */
  git_token?: string;
  /**
   * Fetch Git LFS objects through the repository's LFS batch API (with the clone's credentials)
   * instead of reporting their pointer files as not analysed. Default false.
   */
  lfs?: boolean;
  /**
   * Whether a source may fall back on credentials of its environment (`HF_TOKEN`, the AWS
   * credential chain) when none is given. Default true, as a CLI user expects; the scan
   * service turns it off, so a request without an integration never borrows the server's own.
   */
  ambient_credentials?: boolean;
}

/** Parameter names that hold credentials: redacted wherever options are shown. */
export const SECRET_SOURCE_PARAMS: readonly (keyof SourceParams)[] = ["hf_token", "aws_access_key_id", "aws_secret_access_key", "git_token"];

/** Default Git branch when `branch_name` is not given. */
export const DEFAULT_BRANCH = "main";
/** Default Git depth when `depth` is not given: the latest commit only. */
export const DEFAULT_DEPTH = 1;

/**
 * The target URI a platform request names: `repo_type` with `repo_url`,
 * `model_id` or `bucket_name`. Git URLs become `git+https://…` (or stay
 * `https://github.com/…`), Hugging Face ids `hf://<id>[@<branch_name>]`,
 * buckets `s3://<bucket>[/prefix]`, files their path. Throws `MW_USAGE` when
 * the parameter the type needs is missing or malformed.
 */
export function targetFromParams(params: SourceParams): string {
  const type = params.repo_type;
  const need = (value: string | undefined, name: string): string => {
    if (value === undefined || value.trim() === "")
      throw new ModelwardError("MW_USAGE", `repo_type ${type} needs ${name}`);
    return value.trim();
  };
  switch (type) {
    case "github":
    case "git": {
      const url = need(params.repo_url, "repo_url");
      if (/^git\+[a-z]+:\/\//i.test(url)) return url;
      if (/^(https?|ssh|file):\/\//i.test(url)) return `git+${url}`;
      if (type === "github" && /^[\w.-]+\/[\w.-]+$/.test(url)) return `git+https://github.com/${url}`;
      throw new ModelwardError("MW_USAGE", `repo_url must be an https://, ssh:// or file:// URL (got ${JSON.stringify(url)})`);
    }
    case "huggingface": {
      const id = need(params.model_id ?? params.repo_url, "model_id").replace(/^hf:\/\//, "").replace(/^https?:\/\/[^/]+\//, "");
      if (id.includes("@")) return `hf://${id}`;
      return params.branch_name ? `hf://${id}@${params.branch_name}` : `hf://${id}`;
    }
    case "s3_bucket": {
      const bucket = need(params.bucket_name ?? params.repo_url, "bucket_name").replace(/^s3:\/\//, "");
      return `s3://${bucket}`;
    }
    case "file":
      return need(params.repo_url, "repo_url");
    case undefined:
      throw new ModelwardError("MW_USAGE", `repo_type is required (${REPO_TYPES.join(", ")})`);
    default:
      throw new ModelwardError("MW_USAGE", `unknown repo_type ${JSON.stringify(type)}; expected ${REPO_TYPES.join(", ")}`);
  }
}

/**
 * Reads a positive integer option (`depth`), accepting the string a flag or a
 * form field carries. Throws `MW_USAGE` on anything else: a depth of `"all"`
 * or `-1` must not silently become a full clone.
 */
export function positiveIntegerParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1)
    throw new ModelwardError("MW_USAGE", `${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

/** An optional string option: undefined when absent or empty; `MW_USAGE` when it is not a string. */
export function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ModelwardError("MW_USAGE", `${name} must be a string`);
  return value;
}

/** An optional boolean option (`true`/`false`, or the strings a flag carries): `fallback` when absent; `MW_USAGE` otherwise. */
export function booleanParam(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new ModelwardError("MW_USAGE", `${name} must be true or false (got ${JSON.stringify(value)})`);
}
