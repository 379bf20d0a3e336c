import type { ModelFile } from "@modelward/core";
import { sourceRepoFixture, startS3Server, testSourceContext, type S3TestServer } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Source, type S3SourceOptions } from "./s3-source.js";
import { parseS3Target } from "./s3-target.js";

// The SDK warns about Node 20 on every client; the pinned version supports it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let server: S3TestServer;
const fixture = sourceRepoFixture();

beforeAll(async () => {
  server = await startS3Server(["models", "many"]);
  for (const [path, bytes] of Object.entries(fixture)) await server.put("models", `tiny/${path}`, bytes);
  for (let i = 0; i < 12; i++) await server.put("many", `k/${String(i).padStart(2, "0")}.pkl`, new Uint8Array([i]));
}, 60_000);
afterAll(async () => server?.stop());

function options(extra: S3SourceOptions = {}): S3SourceOptions {
  return { s3_endpoint: server.endpoint, aws_access_key_id: server.accessKeyId, aws_secret_access_key: server.secretAccessKey, region: "us-east-1", ...extra };
}

async function listAll(target: string, o: S3SourceOptions, env: Record<string, string> = {}) {
  const t = testSourceContext(o);
  const opened = await createS3Source({ env }).open(target, t.ctx);
  const files: ModelFile[] = [];
  for await (const f of opened.files()) files.push(f);
  return { ...t, opened, files };
}

describe("parseS3Target", () => {
  it("splits bucket and prefix and refuses invalid buckets", () => {
    expect(parseS3Target("s3://models/tiny/")).toEqual({ bucket: "models", prefix: "tiny/" });
    expect(parseS3Target("s3://models")).toEqual({ bucket: "models", prefix: "" });
    expect(() => parseS3Target("s3://Bad_Bucket!/x")).toThrow(/invalid S3 bucket/);
  });
});

describe("S3 source", () => {
  it("lists a prefix, pins each object by ETag and the target by a digest, reads by ranges", async () => {
    const { opened, files } = await listAll("s3://models/tiny/", options());
    expect(files.map((f) => f.path)).toEqual(Object.keys(fixture).sort());
    expect(opened.description.uri).toBe("s3://models/tiny/");
    expect(opened.description.revision).toBe(`${opened.description.revision!.split(" ")[0]} (${Object.keys(fixture).length} ETags)`);
    expect(opened.description.revision).toMatch(/^sha256:[0-9a-f]{64} /);
    const model = files.find((f) => f.path === "pytorch_model.bin")!;
    expect(model.revision).toMatch(/^etag:[0-9a-f]{32}$/);
    const all = await model.read(0, model.size);
    expect(Buffer.from(all).equals(Buffer.from(fixture["pytorch_model.bin"]!))).toBe(true);
    const tail = await model.read(model.size - 22, model.size);
    expect([...tail.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x05, 0x06]);
    await opened.close();
  });

  it("follows paginated listings (s3rver under --openssl-legacy-provider)", async () => {
    const t = testSourceContext<S3SourceOptions>(options());
    const { ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
    // One page of 5 proves the server paginates; the source must still see all 12.
    const client = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    const page = await client.send(new ListObjectsV2Command({ Bucket: "many", MaxKeys: 5 }));
    expect(page.IsTruncated).toBe(true);
    client.destroy();
    const opened = await createS3Source({ env: {} }).open("s3://many/k/", t.ctx);
    const paths: string[] = [];
    for await (const f of opened.files()) paths.push(f.path);
    expect(paths).toHaveLength(12);
    await opened.close();
  });

  it("takes the endpoint from AWS_ENDPOINT_URL_S3 and the keys from the options", async () => {
    const { files } = await listAll("s3://models/tiny/config.json", { aws_access_key_id: "S3RVER", aws_secret_access_key: "S3RVER" }, { AWS_ENDPOINT_URL_S3: server.endpoint });
    expect(files.map((f) => f.path)).toEqual(["config.json"]);
  });

  it("says a missing bucket is not found, refuses half a key pair, and never echoes the secret", async () => {
    await expect(listAll("s3://nope-bucket/", options())).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND", message: expect.stringMatching(/does not exist/) });
    await expect(listAll("s3://models/", { s3_endpoint: server.endpoint, aws_access_key_id: "x" })).rejects.toThrow(/both aws_access_key_id and aws_secret_access_key/);
    const secret = "verySecretKeyValue0123456789";
    const error = await listAll("s3://models/", { s3_endpoint: "http://127.0.0.1:9", aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: secret }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain(secret);
  }, 30_000);
});
