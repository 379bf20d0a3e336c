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

/** `repo_type: file`: the uploaded files, from the store. */
const uploadedFiles: ModelFetcher = (model, ctx) => materializeModelFiles(ctx.db, model.id, ctx.folder);

/**
 * The fetchers by repo type: uploaded files are put into a folder. Hugging
 * Face, GitHub and S3 models have no fetcher: the engine's source plugins read
 * them where they are (`remoteScanPlan`), unless `extra` supplies one (tests,
 * or an operator's mirror).
 */
export function modelFetchers(extra: Partial<Record<RepoType, ModelFetcher>> = {}): Partial<Record<RepoType, ModelFetcher>> {
  return { file: uploadedFiles, ...extra };
}
