import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelwardClient, type Model } from "@modelward/client";
import { SOURCE_REPO_PAYLOAD, type GitFixture, type GitHttpServer, type HubStandIn, type S3TestServer } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startCli, type ServeProcess } from "./service-harness.js";
import { startSourceStands, type SourceStands } from "./source-stands.js";

// Hugging Face, GitHub and S3 models scanned by the service: a real `modelward serve` reads them through
// the engine's source plugins (a Hub stand-in, git http-backend and s3rver on 127.0.0.1), with the
// credentials of the model's integration only. The server's own environment holds a valid HF token and
// AWS keys: a model without an integration must not borrow them.

const HF_TOKEN = "hf_serviceStandInTokenNeverShown01234";
const GIT_TOKEN = "ghp_serviceGitTokenNeverShown0123456789";
let stands: SourceStands;
let dir: string;
let hub: HubStandIn;
let s3: S3TestServer;
let git: GitFixture;
let gitServer: GitHttpServer;
let serve: ServeProcess;
let client: ModelwardClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mw-service-remote-"));
  stands = await startSourceStands({ hfToken: HF_TOKEN, gitToken: GIT_TOKEN, extraRepos: { "org/public": { files: { "config.json": new TextEncoder().encode("{}") } } } });
  ({ hub, s3, git, gitServer } = stands);
  writeFileSync(
    join(dir, "modelward.config.json"),
    JSON.stringify({ extends: ["modelward:recommended"], sources: { hf: { hf_endpoint: hub.url }, s3: { s3_endpoint: s3.endpoint } } }),
  );
  const store = ["--data-dir", join(dir, "data")];
  const apiKey = await createKey(dir, store, "demo");
  // Ambient credentials a request must never borrow.
  const env = { HF_TOKEN, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  serve = await startCli(["serve", ...store, "--port", "0", "--config", join(dir, "modelward.config.json"), "--allow-private-networks"], dir, { env });
  client = new ModelwardClient({ url: serve.url, apiKey });
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  await stands?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function scanOf(model: Model) {
  const job = await client.startFileScan({ modelId: model.id });
  const status = await job.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
  return { job, status };
}

/** The fixture's findings as every source must give them: the torch pickle's os.system call is an Alert. */
async function expectFixtureAlert(model: Model) {
  const { job, status } = await scanOf(model);
  expect(status, JSON.stringify(status)).toMatchObject({ status: "succeeded" });
  const result = await job.getResult();
  expect(result.severity).toBe("Alert");
  const torch = result.file_security_reports.find((f) => f.file.endsWith("pytorch_model.bin"))!;
  expect(torch.unsafe_dependencies).toContainEqual(expect.objectContaining({ name: "os.system", severity: "critical" }));
  const report = JSON.parse(await client.getFileScanReport(job.jobId, "json")) as { targets: { source: string; revision?: string }[] };
  expect(JSON.stringify(report)).toContain(SOURCE_REPO_PAYLOAD);
  return { result, report };
}

describe("modelward serve scans remote models through the source plugins", () => {
  it("scans a private Hugging Face model with its integration's token, at the commit it names", async () => {
    const integration = await client.createIntegration({ name: "hub", kind: "huggingface", token: HF_TOKEN });
    const model = await client.registerModel({ name: "hf", repo_type: "huggingface", model_id: "org/tiny", integration_id: integration.id });
    const { report } = await expectFixtureAlert(model);
    expect(report.targets[0]).toMatchObject({ source: "hf", revision: hub.commitOf("org/tiny") });
    expect(hub.requests.some((r) => r.authorized)).toBe(true);
  });

  it("reads a public Hugging Face model anonymously, and never lends the server's own HF_TOKEN to a model without an integration", async () => {
    const before = hub.requests.length;
    const pub = await client.registerModel({ name: "hf-public", repo_type: "huggingface", model_id: "org/public" });
    const { job, status } = await scanOf(pub);
    expect(status.status).toBe("succeeded");
    expect((await job.getResult()).severity).toBe("Pass");
    const priv = await client.registerModel({ name: "hf-no-integration", repo_type: "huggingface", model_id: "org/tiny" });
    const denied = await scanOf(priv);
    expect(denied.status.status).toBe("failed");
    expect(denied.status.error).toMatch(/401|unauthori[sz]ed|not found|could not open/i);
    expect(hub.requests.slice(before).some((r) => r.authorized)).toBe(false);
    expect(serve.log()).not.toContain(HF_TOKEN);
  });

  it("clones a private GitHub-style repository with its integration's token (never in the report or the log)", async () => {
    const integration = await client.createIntegration({ name: "gh", kind: "github", token: GIT_TOKEN });
    const model = await client.registerModel({ name: "git", repo_type: "github", repo_url: `${gitServer.url}/tiny.git`, integration_id: integration.id });
    const { report } = await expectFixtureAlert(model);
    expect(report.targets[0]).toMatchObject({ source: "git", revision: git.heads.main });
    expect(JSON.stringify(report)).not.toContain(GIT_TOKEN);
    expect(serve.log()).not.toContain(GIT_TOKEN);

    const anonymous = await client.registerModel({ name: "git-anon", repo_type: "github", repo_url: `${gitServer.url}/tiny.git` });
    expect((await scanOf(anonymous)).status.status).toBe("failed");
  });

  it("reads an S3 prefix with the integration's keys, at a revision pinned by the listed ETags", async () => {
    const integration = await client.createIntegration({ name: "aws", kind: "aws", access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey });
    const model = await client.registerModel({ name: "s3", repo_type: "s3_bucket", bucket_name: "models", prefix: "tiny/", region: "us-east-1", integration_id: integration.id });
    const { report } = await expectFixtureAlert(model);
    expect(report.targets[0]).toMatchObject({ source: "s3", revision: expect.stringMatching(/^sha256:/) });
    expect(JSON.stringify(report)).not.toContain(s3.secretAccessKey);
  });

  it("fails, with the reason, a model whose integration is of another kind", async () => {
    const aws = await client.createIntegration({ name: "aws-2", kind: "aws", access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey });
    const model = await client.registerModel({ name: "mismatch", repo_type: "huggingface", model_id: "org/tiny", integration_id: aws.id });
    const { status } = await scanOf(model);
    expect(status.status).toBe("failed");
    expect(status.error).toMatch(/needs a huggingface one/);
  });
});
