import type { Database } from "../db/database.js";
import type { SecretBox } from "../security/secret-box.js";
import type { NetworkPolicy } from "../security/ssrf-guard.js";
import { materializeModelFiles } from "../store/model-files.js";
import type { ModelView, RepoType } from "../store/models.js";

/** What a fetcher gets to put a model's files into a folder. */
export interface FetchContext {
  db: Database;
  secrets: SecretBox;
  /** Decrypted secret of the model's integration, when it has one. */
  integrationSecret?: () => Promise<Record<string, string>>;
  /** Empty folder the files go into; deleted after the scan. */
  folder: string;
  /** Remote addresses a fetcher may reach: call `assertReachable` on every URL before fetching it. */
  network: NetworkPolicy;
  signal: AbortSignal;
}

/** Puts a model's files into `ctx.folder`; returns how many it wrote. */
export type ModelFetcher = (model: ModelView, ctx: FetchContext) => Promise<number>;

/** A repo type this server cannot fetch yet: the job fails with this message (never a pass). */
export class SourceNotSupported extends Error {}

/** `repo_type: file`: the uploaded files, from the store. */
const uploadedFiles: ModelFetcher = (model, ctx) => materializeModelFiles(ctx.db, model.id, ctx.folder);

/**
 * The fetchers by repo type. Only uploaded files are built in; Hugging Face,
 * GitHub and S3 plug in here (through the engine's source plugins) when they
 * exist, passed as `ServerOptions.fetchers`. Until then a scan of such a model
 * fails with a clear "not supported yet" reason.
 */
export function modelFetchers(extra: Partial<Record<RepoType, ModelFetcher>> = {}): Record<RepoType, ModelFetcher> {
  const unsupported = (type: RepoType): ModelFetcher => async () => {
    throw new SourceNotSupported(`repo_type "${type}" is not supported yet by this server: no source plugin for it is installed; upload the files (repo_type "file") instead`);
  };
  return {
    file: uploadedFiles,
    huggingface: unsupported("huggingface"),
    github: unsupported("github"),
    s3_bucket: unsupported("s3_bucket"),
    ...extra,
  };
}
