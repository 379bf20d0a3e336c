import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelwardApiError, ModelwardClient } from "@modelward/client";
import { pickle } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";
import { createKey, startCli, type ServeProcess } from "./service-harness.js";

// The scan service end to end: the built CLI's `modelward serve` with the embedded store on
// 127.0.0.1, driven by @modelward/client exactly as its README shows, and raw HTTP for every
// route's authorisation and bad-input answers.

const malicious = pickle().proto(4).callStr("os", "system", "echo modelward test payload").stop().toBytes();
const benign = pickle().proto(4).emptyDict().shortBinUnicode("epoch").binInt(3).setItem().stop().toBytes();
const FAKE_TOKEN = "hf_" + "Qx7RkT2mWv9LpZ4nB8cY3dJ6fH1gK5sE0aUo";

let dir: string;
let serve: ServeProcess;
let apiKey: string;
let otherKey: string;
let client: ModelwardClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mw-service-"));
  const store = ["--data-dir", join(dir, "data")];
  apiKey = await createKey(dir, store, "demo");
  otherKey = await createKey(dir, store, "other");
  serve = await startCli(["serve", ...store, "--port", "0", "--max-upload-mb", "1"], dir);
  client = new ModelwardClient({ url: serve.url, apiKey });
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("modelward serve + @modelward/client (embedded store)", () => {
  it("runs the README example: a malicious pickle is an Alert with os.system as an unsafe dependency", async () => {
    const model = await client.registerModel({ name: "demo", repo_type: "file" });
    expect(model).toMatchObject({ name: "demo", repo_type: "file", latest_scan: null });
    await client.uploadModelFile(model.id, "pytorch_model.bin", malicious);
    const job = await client.startFileScan({ modelId: model.id });
    const status = await job.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(status.status).toBe("succeeded");
    expect(status.attempts).toBe(1);
    const result = await client.getFileScanResult(job.jobId);
    expect(result.severity).toBe("Alert");
    expect(result.score).toBe(3);
    expect(result.file_security_reports).toHaveLength(1);
    const file = result.file_security_reports[0]!;
    expect(file).toMatchObject({ file: "pytorch_model.bin", severity: "Alert", status: "scanned" });
    expect(file.unsafe_dependencies).toContainEqual(expect.objectContaining({ name: "os.system", safety: "dangerous", severity: "critical" }));
    expect(await client.getLatestFileScan(model.id)).toEqual(result);

    const listed = (await client.listModels()).find((m) => m.id === model.id)!;
    expect(listed.latest_scan).toMatchObject({ scan_id: job.jobId, status: "succeeded", severity: "Alert", score: 3 });
    expect((await client.listModels({ severity: "Alert" })).map((m) => m.id)).toContain(model.id);
    expect((await client.listModels({ severity: "Pass" })).map((m) => m.id)).not.toContain(model.id);

    // The full report in the three formats.
    const report = JSON.parse(await client.getFileScanReport(job.jobId, "json"));
    expect(report.summary.verdict).toBe("alert");
    const sarif = JSON.parse(await client.getFileScanReport(job.jobId, "sarif"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const bom = JSON.parse(await client.getFileScanReport(job.jobId, "cyclonedx"));
    expect(bom.bomFormat).toBe("CycloneDX");
    expect(bom.components[0].hashes[0].content).toMatch(/^[0-9a-f]{64}$/);

    // Uploads are deleted once scanned (no retention configured).
    expect(await client.listModelFiles(model.id)).toEqual([]);
  });

  it("passes a benign pickle, and the latest result follows the newest scan", async () => {
    const model = await client.registerModel({ name: "benign", repo_type: "file" });
    await client.uploadModelFile(model.id, "weights/model.pkl", benign);
    const files = await client.listModelFiles(model.id);
    expect(files).toEqual([expect.objectContaining({ path: "weights/model.pkl", size: benign.length })]);
    const job = await client.startFileScan({ modelId: model.id });
    expect((await job.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 })).status).toBe("succeeded");
    const result = await job.getResult();
    expect(result).toMatchObject({ severity: "Pass", score: 1 });
    expect(result.file_security_reports).toEqual([expect.objectContaining({ file: "weights/model.pkl", severity: "Pass", unsafe_dependencies: [] })]);

    // A second scan with nothing left to scan fails with the reason; the latest result stays the succeeded one.
    const again = await client.startFileScan({ modelId: model.id });
    const failed = await again.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/no files/);
    expect((await client.getLatestFileScan(model.id)).scan_id).toBe(job.jobId);
    await expect(client.getFileScanResult(again.jobId)).rejects.toMatchObject({ status: 409 });
  });

  it("refuses repo URLs on loopback or link-local addresses (SSRF guard)", async () => {
    for (const repo_url of ["http://127.0.0.1:9/x.git", "http://169.254.169.254/latest", "http://[::1]/x", "http://localhost/x"]) {
      const error = await client.registerModel({ name: "x", repo_type: "github", repo_url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelwardApiError);
      expect((error as ModelwardApiError).status).toBe(400);
      expect((error as ModelwardApiError).message).toMatch(/refused/);
    }
  });

  it("keeps integration secrets write-only and encrypted at rest", async () => {
    const created = await client.createIntegration({ name: "hub", kind: "huggingface", token: FAKE_TOKEN });
    const shown = JSON.stringify([created, await client.listIntegrations()]);
    expect(shown).not.toContain(FAKE_TOKEN);
    expect(shown).not.toContain(FAKE_TOKEN.slice(4, 20));
    expect(created.public_fields.hint).toBe("hf_Q…");
    // No file of the data folder holds the token in clear (the store, the server key, anything).
    const needle = Buffer.from(FAKE_TOKEN.slice(3));
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    for (const f of walk(join(dir, "data"))) expect(readFileSync(f).includes(needle), f).toBe(false);
    expect(serve.log()).not.toContain(FAKE_TOKEN.slice(3));
    // A private model can use it; another project cannot see it.
    const model = await client.registerModel({ name: "private", repo_type: "huggingface", model_id: "acme/private", integration_id: created.id });
    expect(model.integration_id).toBe(created.id);
    const other = new ModelwardClient({ url: serve.url, apiKey: otherKey });
    await expect(other.registerModel({ name: "steal", repo_type: "huggingface", model_id: "a/b", integration_id: created.id })).rejects.toMatchObject({ status: 404 });
    await expect(other.listIntegrations()).resolves.toEqual([]);
  });

  it("cancels a queued scan", async () => {
    const model = await client.registerModel({ name: "cancel-me", repo_type: "huggingface", model_id: "acme/c" });
    const job = await client.startFileScan({ modelId: model.id });
    const after = await job.cancel();
    expect(["cancelled", "failed"]).toContain(after.status === "running" ? (await job.getStatus({ waitUntilFinish: true })).status : after.status);
  });

  it("drives the service from the CLI: modelward remote scan", async () => {
    const folder = join(dir, "to-upload");
    mkdirSync(join(folder, "sub"), { recursive: true });
    writeFileSync(join(folder, "sub", "evil.pkl"), malicious);
    writeFileSync(join(folder, "ok.pkl"), benign);
    const r = await runBuiltCli(["remote", "scan", folder, "--url", serve.url, "--api-key", apiKey], dir);
    expect(r.stderr).toContain("uploaded 2 file(s)");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Alert \(score 3\)/);
    expect(r.stdout).toMatch(/Alert\s+sub\/evil\.pkl/);
    expect(r.stdout).toMatch(/critical\s+global os\.system|critical\s+call os\.system/);
    expect(r.stdout).toMatch(/Pass\s+ok\.pkl/);
    const sarif = await runBuiltCli(["remote", "scan", join(folder, "ok.pkl"), "--url", serve.url, "--api-key", apiKey, "-f", "sarif"], dir);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout).version).toBe("2.1.0");
  });
});

describe("authorisation and bad input on every route", () => {
  const call = (method: string, path: string, init: { key?: string | null; body?: string | Uint8Array; type?: string } = {}) =>
    fetch(`${serve.url}${path}`, {
      method,
      headers: {
        ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? apiKey}` }),
        ...(init.type ? { "content-type": init.type } : init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  let modelId: string;
  let scanId: string;
  let integrationId: string;
  beforeAll(async () => {
    const model = await client.registerModel({ name: "auth", repo_type: "file" });
    modelId = model.id;
    scanId = (await client.startFileScan({ modelId })).jobId;
    integrationId = (await client.createIntegration({ name: "gh", kind: "github", token: "ghp_notarealtoken000000000000000000000000" })).id;
  }, 60_000);

  const routes = () => [
    ["GET", "/v1/projects"],
    ["GET", "/v1/integrations"],
    ["POST", "/v1/integrations"],
    ["GET", `/v1/integrations/${integrationId}`],
    ["DELETE", `/v1/integrations/${integrationId}`],
    ["GET", "/v1/models"],
    ["POST", "/v1/models"],
    ["GET", `/v1/models/${modelId}`],
    ["DELETE", `/v1/models/${modelId}`],
    ["GET", `/v1/models/${modelId}/files`],
    ["PUT", `/v1/models/${modelId}/files/a.pkl`],
    ["GET", `/v1/models/${modelId}/file-scans`],
    ["GET", `/v1/models/${modelId}/file-scans/latest`],
    ["POST", "/v1/file-scans"],
    ["GET", `/v1/file-scans/${scanId}`],
    ["POST", `/v1/file-scans/${scanId}/cancel`],
    ["GET", `/v1/file-scans/${scanId}/result`],
  ];

  it("answers 401 without a key, with a wrong key, and with a malformed header, on every route", async () => {
    for (const [method, path] of routes()) {
      for (const key of [null, "mwk_wrongwrongwrongwrongwrongwrongwron"]) {
        const res = await call(method!, path!, { key, ...(method === "POST" ? { body: "{}" } : {}) });
        expect(res.status, `${method} ${path} key=${key}`).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
      const res = await fetch(`${serve.url}${path}`, { method, headers: { authorization: `Basic ${apiKey}` } });
      expect(res.status, `${method} ${path} basic`).toBe(401);
    }
    // Nothing was changed by the refused calls.
    expect((await client.getModel(modelId)).id).toBe(modelId);
  });

  it("answers 404 for another project's model, scan and integration on every route that names one", async () => {
    for (const [method, path] of routes()) {
      if (!/mdl_|scan_|int_/.test(path!)) continue;
      const res = await call(method!, path!, { key: otherKey, ...(method === "PUT" ? { body: benign, type: "application/octet-stream" } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const res = await call("POST", "/v1/file-scans", { key: otherKey, body: JSON.stringify({ model_id: modelId }) });
    expect(res.status).toBe(404);
    // And unknown ids are the same 404.
    for (const path of ["/v1/models/mdl_unknown", "/v1/file-scans/scan_unknown", "/v1/integrations/int_unknown", "/v1/models/mdl_unknown/file-scans/latest"]) {
      expect((await call("GET", path)).status, path).toBe(404);
    }
  });

  it("answers 400 for malformed JSON, wrong types, unknown fields and missing source parameters", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/v1/models", "{not json"],
      ["POST", "/v1/models", "[]"],
      ["POST", "/v1/models", JSON.stringify({ name: 5, repo_type: "file" })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "ftp" })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "file", admin: true })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "huggingface" })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "github", repo_url: "file:///etc/passwd" })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "s3_bucket", bucket_name: "UPPER_case" })],
      ["POST", "/v1/models", JSON.stringify({ name: "x", repo_type: "github", repo_url: "https://example.com/r.git", depth: "1" })],
      ["POST", "/v1/file-scans", "{"],
      ["POST", "/v1/file-scans", JSON.stringify({ model_id: 12 })],
      ["POST", "/v1/file-scans", JSON.stringify({ model_id: modelId, timeout_seconds: -1 })],
      ["POST", "/v1/file-scans", JSON.stringify({ model_id: modelId, ruleset: "../../etc/passwd" })],
      ["POST", "/v1/integrations", JSON.stringify({ name: "x", kind: "aws", token: "t" })],
      ["POST", "/v1/integrations", JSON.stringify({ name: "x", kind: "huggingface" })],
      ["POST", "/v1/integrations", "null"],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(method, path, { body });
      expect(res.status, `${method} ${path} ${body}`).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    expect((await call("POST", "/v1/models", { body: "{}", type: "text/plain" })).status).toBe(415);
    expect((await call("GET", "/v1/models?limit=abc")).status).toBe(400);
    expect((await call("GET", "/v1/models?severity=Bad")).status).toBe(400);
    expect((await call("GET", `/v1/file-scans/${scanId}/result?format=pdf`)).status).toBeGreaterThanOrEqual(400);
    for (const bad of ["..%2Fescape.pkl", "a//b.pkl", "%2Fabs.pkl", "a%5Cb.pkl", "a%00b.pkl"]) {
      const res = await call("PUT", `/v1/models/${modelId}/files/${bad}`, { body: benign, type: "application/octet-stream" });
      expect(res.status, bad).toBe(400);
    }
    expect((await call("DELETE", "/v1/models")).status).toBe(405);
    expect((await call("GET", "/v1/nothing-here")).status).toBe(404);
  });

  it("answers 413 for huge JSON bodies and uploads past the limit, declared or streamed", async () => {
    const huge = JSON.stringify({ name: "x".repeat(200_000), repo_type: "file" });
    expect((await call("POST", "/v1/models", { body: huge })).status).toBe(413);
    const big = new Uint8Array(1024 * 1024 + 1);
    expect((await call("PUT", `/v1/models/${modelId}/files/big.bin`, { body: big, type: "application/octet-stream" })).status).toBe(413);
    // Chunked (no Content-Length): cut off while streaming.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(100 * 1024));
        c.close();
      },
    });
    const res = await fetch(`${serve.url}/v1/models/${modelId}/files/streamed.bin`, {
      method: "PUT",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/octet-stream" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await client.listModelFiles(modelId)).toEqual([]);
    // Uploading to a model of another repo type is refused.
    const hub = await client.registerModel({ name: "hub", repo_type: "huggingface", model_id: "a/b" });
    expect((await call("PUT", `/v1/models/${hub.id}/files/a.bin`, { body: benign, type: "application/octet-stream" })).status).toBe(409);
  });

  it("serves its OpenAPI document and health without a key", async () => {
    const doc = await (await call("GET", "/v1/openapi.json", { key: null })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/models", "/v1/file-scans", "/v1/models/{modelId}/file-scans/latest"]));
    const health = await (await call("GET", "/v1/health", { key: null })).json();
    expect(health).toMatchObject({ status: "ok", store: "embedded" });
  });
});
