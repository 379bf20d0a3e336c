import type { ListFileEntry } from "@huggingface/hub";
import { ModelwardError, booleanParam, stringParam, type ModelFile, type OpenedTarget, type Source, type SourceParams } from "@modelward/core";
import { remoteFile } from "@modelward/plugin-kit";
import { canonicalUri, parseHfTarget, repoPath, type HfTarget } from "./hf-target.js";
import { DEFAULT_RETRY, retryingFetch, type RetryPolicy } from "./retrying-fetch.js";
import { httpReason } from "./http-reason.js";
import { Secrets } from "./secrets.js";

/** Options of the Hugging Face source (config `sources.hf`, CLI flags), by the platform's names. */
export type HfSourceOptions = Pick<SourceParams, "hf_token" | "hf_endpoint" | "branch_name" | "ambient_credentials">;

/** What the source reads from outside its options; injectable for tests. */
export interface HfSourceDeps {
  /** Environment (`HF_TOKEN`, `HF_ENDPOINT`, as the Python client reads them). */
  env: Record<string, string | undefined>;
  /** Transient-failure retries. */
  retry: RetryPolicy;
  /** The underlying fetch. */
  fetch: typeof fetch;
}

const DEFAULT_ENDPOINT = "https://huggingface.co";

/**
 * Hugging Face repositories (`hf://org/name[@revision]`, `hf://datasets/…`,
 * `hf://spaces/…`). The revision (the target's `@…`, else `branch_name`, else
 * `main`) is resolved to its commit first, and everything is then read at
 * that commit, so the files cannot move under the scan and the report names
 * what was read. Files are listed with `@huggingface/hub` and read by HTTP
 * Range requests through a per-file block cache: a 10 GB safetensors costs
 * its header. The token (`hf_token`, else `HF_TOKEN`) is sent only to the
 * endpoint and scrubbed from every error.
 */
export function createHfSource(deps: HfSourceDeps): Source<HfSourceOptions> {
  return {
    id: "hf",
    description: "Hugging Face Hub repositories (hf://org/name[@revision], hf://datasets/…, hf://spaces/…), read by HTTP ranges at a pinned commit.",
    schemes: ["hf://"],
    async open(target, ctx): Promise<OpenedTarget> {
      const parsed = parseHfTarget(target);
      const options = ctx.options ?? {};
      const ambient = booleanParam(options.ambient_credentials, "ambient_credentials", true);
      const token = stringParam(options.hf_token, "hf_token") ?? (ambient ? (nonEmpty(deps.env.HF_TOKEN) ?? nonEmpty(deps.env.HUGGING_FACE_HUB_TOKEN)) : undefined);
      const endpoint = endpointOf(stringParam(options.hf_endpoint, "hf_endpoint") ?? nonEmpty(deps.env.HF_ENDPOINT) ?? DEFAULT_ENDPOINT);
      const secrets = new Secrets(token);
      const revision = parsed.revision ?? stringParam(options.branch_name, "branch_name") ?? "main";
      const fetchHub = authorizedFetch(retryingFetch(deps.retry, deps.fetch), endpoint, token, ctx.signal);
      const commit = await secrets.guard(`${target}: could not open the repository`, () => resolveCommit(parsed, revision, endpoint, fetchHub));
      const description = { uri: canonicalUri(parsed, commit), input: target, source: "hf", revision: commit };

      return {
        description,
        async *files(): AsyncGenerator<ModelFile> {
          const entries: ListFileEntry[] = [];
          await secrets.guard("listing the repository failed", async () => {
            const { listFiles } = await import("@huggingface/hub");
            for await (const entry of listFiles({ repo: { type: parsed.type, name: parsed.name }, recursive: true, revision: commit, hubUrl: endpoint, fetch: fetchHub })) {
              if (ctx.signal.aborted) return;
              // Bounded: more entries than the scan may analyze are not kept (the engine reports the excess).
              if (entry.type === "file" && entries.length <= ctx.limits.maxFiles) entries.push(entry);
            }
          });
          // Stable order, whatever order the pages came in.
          entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
          for (const entry of entries) {
            if (ctx.signal.aborted) return;
            if (ctx.isIgnored(entry.path)) {
              ctx.skip({ path: entry.path, reason: "ignored by config" });
              continue;
            }
            if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
              ctx.incomplete({ path: entry.path, reason: `the Hub listed an invalid size (${String(entry.size)})` });
              continue;
            }
            const url = `${endpoint}/${repoPath(parsed)}/resolve/${commit}/${entry.path.split("/").map(encodeURIComponent).join("/")}`;
            yield remoteFile({
              path: entry.path,
              size: entry.size,
              revision: entry.lfs?.oid ? `sha256:${entry.lfs.oid}` : (entry.oid ?? commit),
              signal: ctx.signal,
              fetchRange: (start, end, signal) => secrets.guard(`reading ${entry.path} failed`, () => fetchRange(fetchHub, url, start, end, signal)),
            });
          }
        },
        close: async () => {},
      };
    },
  };
}

/** The source with the process environment and the global fetch. */
export const hfSource: Source<HfSourceOptions> = createHfSource({ env: process.env, retry: DEFAULT_RETRY, fetch: (...args) => fetch(...args) });

/** The commit a revision names, through the repository info route (which says 401/403/404 honestly). */
async function resolveCommit(t: HfTarget, revision: string, hubUrl: string, fetchHub: typeof fetch): Promise<string> {
  // Loaded on first use: most scans never open an hf:// target.
  const { datasetInfo, modelInfo, spaceInfo } = await import("@huggingface/hub");
  const params = { name: t.name, revision, hubUrl, additionalFields: ["sha"] as ["sha"], fetch: fetchHub };
  const info = t.type === "model" ? await modelInfo(params) : t.type === "dataset" ? await datasetInfo(params) : await spaceInfo(params);
  const sha = (info as { sha?: unknown }).sha;
  if (typeof sha !== "string" || !/^[0-9a-f]{40}$/.test(sha))
    throw new ModelwardError("MW_SOURCE_FAILED", `the Hub did not name the commit of revision ${revision}`);
  return sha;
}

/**
 * A fetch that adds the token to requests for the endpoint only (never to a
 * host a redirect or a `Link` header points at), and the scan's abort signal.
 */
function authorizedFetch(base: typeof fetch, endpoint: string, token: string | undefined, signal: AbortSignal): typeof fetch {
  const origin = new URL(endpoint).origin;
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    if (token !== undefined && new URL(url).origin === origin) headers.set("Authorization", `Bearer ${token}`);
    const signals = [signal, init?.signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    return base(url, { ...init, headers, signal: AbortSignal.any(signals) });
  };
}

/** One Range request: exactly `end - start` bytes, or an error saying why. */
async function fetchRange(fetchHub: typeof fetch, url: string, start: number, end: number, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetchHub(url, { headers: { Range: `bytes=${start}-${end - 1}` }, signal });
  if (response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    // A 200 would stream the whole file: never accept it for a range.
    throw new ModelwardError("MW_SOURCE_FAILED", httpReason(response.status, "a ranged read"));
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes;
}

function endpointOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ModelwardError("MW_USAGE", `invalid Hugging Face endpoint: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ModelwardError("MW_USAGE", `the Hugging Face endpoint must be http(s): ${value}`);
  return url.href.replace(/\/+$/, "");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
