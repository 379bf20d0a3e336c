import { createHash } from "node:crypto";
import type { S3ClientConfig, _Object } from "@aws-sdk/client-s3";
import { ModelwardError, booleanParam, describeError, stringParam, type ModelFile, type OpenedTarget, type Source, type SourceParams } from "@modelward/core";
import { remoteFile } from "@modelward/plugin-kit";
import { parseS3Target } from "./s3-target.js";

/** Options of the S3 source (config `sources.s3`, CLI flags), by the platform's names. */
export type S3SourceOptions = Pick<SourceParams, "aws_access_key_id" | "aws_secret_access_key" | "region" | "s3_endpoint" | "ambient_credentials">;

/**
 * Unsigned requests, for `ambient_credentials: false` without keys: the SDK's credential chain
 * (environment, profile, instance metadata) is never consulted, so only public buckets are readable.
 */
const ANONYMOUS: Pick<S3ClientConfig, "credentials" | "signer"> = {
  credentials: { accessKeyId: "", secretAccessKey: "" },
  signer: { sign: async (request) => request },
};

/** What the source reads from outside its options; injectable for tests. */
export interface S3SourceDeps {
  env: Record<string, string | undefined>;
}

/**
 * S3 buckets and prefixes (`s3://bucket[/prefix]`) through
 * `@aws-sdk/client-s3`: the SDK's standard credential chain unless both keys
 * are given, any endpoint (`s3_endpoint`, else the SDK's own
 * `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`; path-style then, as S3-compatible
 * stores expect). The prefix is listed in full first (every page, bounded by
 * `maxFiles`), so the report can pin what was read: each file carries its
 * ETag, every ranged `GetObject` is conditional on it (a replaced object
 * fails the read instead of mixing two versions), and the target's revision
 * is a digest of the listed keys and ETags.
 */
export function createS3Source(deps: S3SourceDeps): Source<S3SourceOptions> {
  return {
    id: "s3",
    description: "S3 buckets and prefixes (s3://bucket/prefix), any S3-compatible endpoint, read by ranged GetObject.",
    schemes: ["s3://"],
    async open(target, ctx): Promise<OpenedTarget> {
      const { bucket, prefix } = parseS3Target(target);
      const options = ctx.options ?? {};
      const keyId = stringParam(options.aws_access_key_id, "aws_access_key_id");
      const secret = stringParam(options.aws_secret_access_key, "aws_secret_access_key");
      if ((keyId === undefined) !== (secret === undefined))
        throw new ModelwardError("MW_USAGE", "give both aws_access_key_id and aws_secret_access_key, or neither (the SDK's credential chain)");
      const scrub = (text: string): string => [keyId, secret].reduce<string>((t, s) => (s ? t.split(s).join("***") : t), text);
      const endpoint = stringParam(options.s3_endpoint, "s3_endpoint") ?? nonEmpty(deps.env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(deps.env.AWS_ENDPOINT_URL);
      const config: S3ClientConfig = {
        region: stringParam(options.region, "region") ?? nonEmpty(deps.env.AWS_REGION) ?? nonEmpty(deps.env.AWS_DEFAULT_REGION) ?? "us-east-1",
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(keyId && secret
          ? { credentials: { accessKeyId: keyId, secretAccessKey: secret } }
          : booleanParam(options.ambient_credentials, "ambient_credentials", true)
            ? {}
            : ANONYMOUS),
        maxAttempts: 4,
      };
      // Loaded on first use: the SDK is large, and most scans never open an s3:// target.
      const { GetObjectCommand, ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
      const client = new S3Client(config);
      const fail = (what: string, error: unknown): never => {
        const name = (error as { name?: unknown }).name;
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const code = name === "NoSuchBucket" || status === 404 ? "MW_TARGET_NOT_FOUND" : "MW_SOURCE_FAILED";
        const hint = name === "NoSuchBucket" ? "the bucket does not exist" : status === 403 || name === "AccessDenied" ? "access denied: check the credentials and the bucket policy" : status === 301 ? "the bucket is in another region: give --region" : describeError(error);
        throw new ModelwardError(code, scrub(`${what}: ${hint}${status ? ` (HTTP ${status})` : ""}`));
      };

      // The whole listing first: the revision must cover every key, and errors must reach the user as exit 2.
      const objects: _Object[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
            { abortSignal: ctx.signal },
          );
          for (const o of page.Contents ?? []) if (objects.length <= ctx.limits.maxFiles) objects.push(o);
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token && !ctx.signal.aborted);
      } catch (error) {
        client.destroy();
        fail(`${target}: listing failed`, error);
      }
      objects.sort((a, b) => ((a.Key ?? "") < (b.Key ?? "") ? -1 : (a.Key ?? "") > (b.Key ?? "") ? 1 : 0));
      const digest = createHash("sha256");
      for (const o of objects) digest.update(`${o.Key}\0${o.ETag ?? ""}\n`);
      // Paths are relative to the prefix's folder, so `s3://b/models/` and a local copy of `models/` report alike.
      const base = prefix.slice(0, prefix.lastIndexOf("/") + 1);

      return {
        description: { uri: `s3://${bucket}/${prefix}`, input: target, source: "s3", revision: `sha256:${digest.digest("hex")} (${objects.length} ETags)` },
        async *files(): AsyncGenerator<ModelFile> {
          for (const o of objects) {
            if (ctx.signal.aborted) return;
            const key = o.Key ?? "";
            const path = key.slice(base.length) || key;
            if (key.endsWith("/")) {
              ctx.skip({ path, reason: "folder marker (a key ending in /)" });
              continue;
            }
            if (ctx.isIgnored(path)) {
              ctx.skip({ path, reason: "ignored by config" });
              continue;
            }
            const size = o.Size ?? -1;
            if (!Number.isSafeInteger(size) || size < 0) {
              ctx.incomplete({ path, reason: `the listing gave no valid size (${String(o.Size)})` });
              continue;
            }
            const etag = o.ETag;
            yield remoteFile({
              path,
              size,
              ...(etag ? { revision: `etag:${etag.replace(/"/g, "")}` } : {}),
              signal: ctx.signal,
              fetchRange: async (start, end, signal) => {
                try {
                  const out = await client.send(
                    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, ...(etag ? { IfMatch: etag } : {}) }),
                    { abortSignal: signal },
                  );
                  const range = out.ContentRange;
                  // A server that ignores Range would send the whole object: refuse anything but the span asked for.
                  if (range !== undefined && !range.startsWith(`bytes ${start}-${end - 1}/`))
                    throw new ModelwardError("MW_SOURCE_FAILED", `the server answered range ${range} for bytes ${start}-${end - 1}`);
                  if (range === undefined && !(start === 0 && end === size)) {
                    await out.Body?.transformToWebStream().cancel().catch(() => undefined);
                    throw new ModelwardError("MW_SOURCE_FAILED", "the server ignored the Range header");
                  }
                  return (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
                } catch (error) {
                  if (ModelwardError.isInstance(error)) throw error;
                  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
                  if (status === 412) throw new ModelwardError("MW_SOURCE_FAILED", `${path} changed while it was read (its ETag is no longer ${etag})`);
                  return fail(`reading ${path} failed`, error);
                }
              },
            });
          }
        },
        close: async () => client.destroy(),
      };
    },
  };
}

/** The source with the process environment. */
export const s3Source: Source<S3SourceOptions> = createS3Source({ env: process.env });

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
