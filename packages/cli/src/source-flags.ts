import { REPO_TYPES, targetFromParams, type RepoType, type SourceParams } from "@modelward/core";
import type { Argv } from "yargs";

/**
 * Command-line flags of the remote sources, each also accepted under the
 * platform's own name (`--branch_name`, `--aws_access_key_id`…), so a scan
 * request can be copied onto the command line as given.
 */
const FLAGS = {
  "repo-type": { alias: "repo_type", type: "string", choices: REPO_TYPES as unknown as string[], describe: "Platform form of a target: github, git, huggingface, s3_bucket or file (with --repo-url / --model-id / --bucket-name)" },
  "repo-url": { alias: "repo_url", type: "string", describe: "Git repository URL (with --repo-type github|git) or a path (file)" },
  "model-id": { alias: "model_id", type: "string", describe: "Hugging Face repository id (with --repo-type huggingface)" },
  "bucket-name": { alias: "bucket_name", type: "string", describe: "S3 bucket[/prefix] (with --repo-type s3_bucket)" },
  branch: { alias: ["branch_name", "branch-name"], type: "string", describe: "Git branch (default main) or Hugging Face revision" },
  depth: { type: "number", describe: "Git history to fetch, in commits (default 1: the latest commit only)" },
  lfs: { type: "boolean", describe: "Fetch Git LFS objects through the repository's LFS batch API, read by ranges (default: LFS pointers are reported not analysed)" },
  region: { type: "string", describe: "S3 region" },
  "s3-endpoint": { alias: "s3_endpoint", type: "string", describe: "S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then AWS)" },
  "aws-access-key-id": { alias: "aws_access_key_id", type: "string", describe: "S3 access key id (default: the AWS SDK credential chain)" },
  "aws-secret-access-key": { alias: "aws_secret_access_key", type: "string", describe: "S3 secret key (prefer AWS_SECRET_ACCESS_KEY: a flag shows in the process list)" },
  "hf-token": { alias: "hf_token", type: "string", describe: "Hugging Face token for private and gated repositories (default: HF_TOKEN)" },
  "git-token": { alias: "git_token", type: "string", describe: "Token for a private Git repository over HTTPS, sent to its origin only (prefer a config file: a flag shows in the process list)" },
  "hf-endpoint": { alias: "hf_endpoint", type: "string", describe: "Hugging Face endpoint (default: HF_ENDPOINT, then https://huggingface.co)" },
} as const;

/** Every source flag name and alias, for "did you mean". */
export const SOURCE_FLAG_NAMES: string[] = Object.entries(FLAGS).flatMap(([name, spec]) => [name, ...("alias" in spec ? [spec.alias].flat() : [])]);

/** Source ids that read the shared parameters. */
const REMOTE_SOURCES = ["git", "hf", "s3"] as const;

/** Adds the source flags to a yargs command. */
export function withSourceFlags<T>(y: Argv<T>): Argv<T> {
  let out = y as Argv<unknown>;
  for (const [name, spec] of Object.entries(FLAGS)) out = out.option(name, spec as never);
  return out.group(Object.keys(FLAGS), "Remote sources (Git, Hugging Face, S3):") as Argv<T>;
}

/** The parameters the flags gave, by platform name (absent flags are absent). */
export function sourceParamsFromArgs(a: Record<string, unknown>): SourceParams {
  const params: SourceParams = {};
  const set = <K extends keyof SourceParams>(key: K, value: unknown) => {
    if (value !== undefined) params[key] = value as SourceParams[K];
  };
  set("repo_type", a.repoType as RepoType | undefined);
  set("repo_url", a.repoUrl);
  set("model_id", a.modelId);
  set("bucket_name", a.bucketName);
  set("branch_name", a.branch);
  set("depth", a.depth);
  set("region", a.region);
  set("s3_endpoint", a.s3Endpoint);
  set("aws_access_key_id", a.awsAccessKeyId);
  set("aws_secret_access_key", a.awsSecretAccessKey);
  set("hf_token", a.hfToken);
  set("hf_endpoint", a.hfEndpoint);
  set("git_token", a.gitToken);
  set("lfs", a.lfs);
  return params;
}

/**
 * Config overrides carrying the parameters to every remote source (each
 * reads the names that concern it), and the target `--repo-type` names, if any.
 */
export function sourceOverrides(params: SourceParams): { sources: Record<string, Record<string, unknown>>; target?: string } {
  const { repo_type, repo_url, model_id, bucket_name, ...options } = params;
  const sources: Record<string, Record<string, unknown>> = {};
  if (Object.keys(options).length) for (const id of REMOTE_SOURCES) sources[id] = { ...options };
  if (repo_type === undefined) return { sources };
  return { sources, target: targetFromParams(params) };
}
