import { targetFromParams } from "@modelward/core";
import { assertReachable, type NetworkPolicy } from "../security/ssrf-guard.js";
import type { IntegrationKind } from "../store/integrations.js";
import type { ModelView } from "../store/models.js";

/** A remote model as the engine scans it: a target URI and the per-scan options of its source. */
export interface RemoteScanPlan {
  target: string;
  /** By source id (`hf`, `git`, `s3`), laid over the server config's own `sources.<id>` for this scan. */
  sourceOptions: Record<string, Record<string, unknown>>;
}

/** The integration kind that holds the credentials of each remote repo type. */
const INTEGRATION_FOR: Record<Exclude<ModelView["repo_type"], "file">, IntegrationKind> = {
  huggingface: "huggingface",
  github: "github",
  s3_bucket: "aws",
};

/**
 * How a worker scans a Hugging Face, GitHub or S3 model: through the engine's
 * own source plugins (the same code as `modelward scan hf://…`, reading only
 * the bytes that matter), never by downloading the repository first.
 *
 * Credentials come from the model's integration only: the sources'
 * `ambient_credentials` are turned off, so a model without one is read
 * anonymously and never with the server's own `HF_TOKEN` or AWS role. A Git
 * URL is checked against the network policy again at scan time (its name may
 * resolve elsewhere than when it was registered); Hugging Face and S3
 * endpoints are the operator's (server config), not the caller's.
 * Throws an Error with the reason when the model cannot be scanned as registered.
 */
export async function remoteScanPlan(
  model: ModelView,
  integration: { kind: IntegrationKind; secret: Record<string, string> } | undefined,
  network: NetworkPolicy,
): Promise<RemoteScanPlan> {
  if (model.repo_type === "file") throw new Error("a repo_type file model is scanned from its uploaded files");
  const wanted = INTEGRATION_FOR[model.repo_type];
  if (integration && integration.kind !== wanted)
    throw new Error(`the model's integration is a ${integration.kind} integration; a ${model.repo_type} model needs a ${wanted} one`);
  const secret = integration?.secret ?? {};
  switch (model.repo_type) {
    case "huggingface":
      return {
        target: targetFromParams({ repo_type: "huggingface", model_id: model.model_id!, ...(model.revision ? { branch_name: model.revision } : {}) }),
        sourceOptions: { hf: { ambient_credentials: false, ...(secret.token ? { hf_token: secret.token } : {}) } },
      };
    case "github": {
      const url = model.repo_url!;
      await assertReachable(url, network);
      return {
        target: targetFromParams({ repo_type: "github", repo_url: url }),
        sourceOptions: {
          git: { branch_name: model.branch_name ?? "main", depth: model.depth ?? 1, ...(secret.token ? { git_token: secret.token } : {}) },
        },
      };
    }
    case "s3_bucket": {
      const prefix = (model.prefix ?? "").replace(/^\/+/, "");
      return {
        target: targetFromParams({ repo_type: "s3_bucket", bucket_name: prefix ? `${model.bucket_name}/${prefix}` : model.bucket_name! }),
        sourceOptions: {
          s3: {
            ambient_credentials: false,
            ...(model.region ? { region: model.region } : {}),
            ...(secret.access_key_id && secret.secret_access_key ? { aws_access_key_id: secret.access_key_id, aws_secret_access_key: secret.secret_access_key } : {}),
          },
        },
      };
    }
  }
}
