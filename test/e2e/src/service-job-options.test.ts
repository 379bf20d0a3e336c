import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelwardClient } from "@modelward/client";
import { pickle } from "@modelward/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startCli, type ServeProcess } from "./service-harness.js";

// Job options and durability of the embedded store, through the built CLI: a job's memory request
// against the worker's budget, a job's ruleset, and a queued job surviving a server restart.

const malicious = pickle().proto(4).callStr("os", "system", "echo modelward job options").stop().toBytes();

let dir: string;
let store: string[];
let apiKey: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mw-service-options-"));
  store = ["--data-dir", join(dir, "data")];
  apiKey = await createKey(dir, store, "demo");
  // A ruleset package the server's config folder can resolve, as a team would install one.
  const pkg = join(dir, "node_modules", "acme-modelward-ruleset");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "acme-modelward-ruleset", version: "1.0.0", main: "ruleset.json" }));
  writeFileSync(join(pkg, "ruleset.json"), JSON.stringify({ id: "acme", description: "ACME's extra policy (empty)" }));
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function fileModel(client: ModelwardClient, name: string) {
  const model = await client.registerModel({ name, repo_type: "file" });
  await client.uploadModelFile(model.id, "model.pkl", malicious);
  return model;
}

describe("scan jobs: options and restarts (embedded store)", () => {
  it("keeps a queued job across a restart of the server and runs it after", async () => {
    const apiOnly = await startCli(["serve", ...store, "--port", "0", "--api-only"], dir);
    let client = new ModelwardClient({ url: apiOnly.url, apiKey });
    const model = await fileModel(client, "restart");
    const job = await client.startFileScan({ modelId: model.id });
    expect((await job.getStatus()).status).toBe("queued");
    await apiOnly.stop();

    serve = await startCli(["serve", ...store, "--port", "0", "--memory-budget-mb", "512"], dir);
    client = new ModelwardClient({ url: serve.url, apiKey });
    const status = await client.getFileScan(job.jobId);
    expect(["queued", "running", "succeeded"]).toContain(status.status);
    const done = await client.fileScan(job.jobId).getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(done).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((await client.getLatestFileScan(model.id)).severity).toBe("Alert");
  }, 240_000);

  it("fails a job asking more memory than the worker's budget, with the reason, and runs one within it", async () => {
    const client = new ModelwardClient({ url: serve!.url, apiKey });
    const model = await fileModel(client, "ram");
    const big = await client.startFileScan({ modelId: model.id, ramRequestMegabytes: 4096 });
    const failed = await big.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/asks for 4096 MB and this worker's budget is 512 MB/);
    const small = await client.startFileScan({ modelId: model.id, ramRequestMegabytes: 256 });
    expect((await small.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 })).status).toBe("succeeded");
  });

  it("runs a job with a ruleset the server's config can load, and fails (never passes) one it cannot", async () => {
    const client = new ModelwardClient({ url: serve!.url, apiKey });
    const model = await fileModel(client, "ruleset");
    const known = await client.startFileScan({ modelId: model.id, ruleset: "acme-modelward-ruleset" });
    const knownStatus = await known.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(knownStatus.status, knownStatus.error).toBe("succeeded");
    expect((await known.getResult()).severity).toBe("Alert");
    await client.uploadModelFile(model.id, "model.pkl", malicious); // a succeeded scan deleted the upload
    const unknown = await client.startFileScan({ modelId: model.id, ruleset: "modelward-ruleset-that-does-not-exist" });
    const failed = await unknown.getStatus({ waitUntilFinish: true, pollIntervalMs: 200 });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/modelward-ruleset-that-does-not-exist/);
  });
});
