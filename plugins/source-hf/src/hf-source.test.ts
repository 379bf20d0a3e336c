import { type ModelFile } from "@modelward/core";
import { sourceRepoFixture, startHubStandIn, testSourceContext, type HubStandIn } from "@modelward/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createHfSource, type HfSourceOptions } from "./hf-source.js";
import { parseHfTarget } from "./hf-target.js";

const TOKEN = "hf_modelwardStandInTokenValue0123";
const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const servers: HubStandIn[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function hub(options: Parameters<typeof startHubStandIn>[0]) {
  const s = await startHubStandIn(options);
  servers.push(s);
  return s;
}

function source(env: Record<string, string> = {}, fetchImpl: typeof fetch = fetch) {
  return createHfSource({ env, retry: fast, fetch: fetchImpl });
}

async function listAll(target: string, options: HfSourceOptions, env: Record<string, string> = {}) {
  const t = testSourceContext(options);
  const opened = await source(env).open(target, t.ctx);
  const files: ModelFile[] = [];
  for await (const f of opened.files()) files.push(f);
  await opened.close();
  return { ...t, opened, files };
}

describe("parseHfTarget", () => {
  it("reads repository kind, name and revision", () => {
    expect(parseHfTarget("hf://org/name")).toEqual({ type: "model", name: "org/name" });
    expect(parseHfTarget("hf://datasets/org/data@v1")).toEqual({ type: "dataset", name: "org/data", revision: "v1" });
    expect(parseHfTarget("hf://spaces/org/app")).toEqual({ type: "space", name: "org/app" });
    expect(parseHfTarget("hf://org/name@refs/pr/1")).toEqual({ type: "model", name: "org/name", revision: "refs/pr/1" });
    expect(parseHfTarget("hf://gpt2")).toEqual({ type: "model", name: "gpt2" });
  });

  it("refuses names and revisions that could escape the URL", () => {
    for (const bad of ["hf://", "hf://a/b/c", "hf://org/../x", "hf://org/na me", "hf://org/name@", "hf://org/name@../../x", "hf://org/%2e%2e"])
      expect(() => parseHfTarget(bad), bad).toThrow(/invalid|not an hf/);
  });
});

describe("Hugging Face source", () => {
  it("lists a repository at the commit its revision names and reads by ranges, counting the wire bytes", async () => {
    const files = sourceRepoFixture();
    const s = await hub({ repos: { "org/tiny": { files } } });
    const { files: listed, opened } = await listAll("hf://org/tiny", { hf_endpoint: s.url });
    const commit = s.commitOf("org/tiny");
    expect(opened.description).toEqual({ uri: `hf://org/tiny@${commit}`, input: "hf://org/tiny", source: "hf", revision: commit });
    expect(listed.map((f) => f.path)).toEqual(Object.keys(files).sort());
    const model = listed.find((f) => f.path === "pytorch_model.bin")!;
    expect(model.size).toBe(files["pytorch_model.bin"]!.length);
    expect(model.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Every read goes to the pinned commit, never to a moving branch.
    const head = await model.read(0, 4);
    expect([...head]).toEqual([...files["pytorch_model.bin"]!.subarray(0, 4)]);
    expect(s.requests.filter((r) => r.url.includes("/resolve/")).every((r) => r.url.includes(`/resolve/${commit}/`))).toBe(true);
    // A second read inside the cached block costs nothing more.
    const before = (model as unknown as { bytesTransferred: number }).bytesTransferred;
    await model.read(4, 64);
    expect((model as unknown as { bytesTransferred: number }).bytesTransferred).toBe(before);
    // Whole content round-trips, streamed too.
    const chunks: Uint8Array[] = [];
    for await (const c of model.stream()) chunks.push(c);
    expect(Buffer.concat(chunks).equals(Buffer.from(files["pytorch_model.bin"]!))).toBe(true);
  });

  it("reads a large file's header without pulling the file", async () => {
    const big = new Uint8Array(24 * 1024 * 1024);
    big.set(new TextEncoder().encode("HEADER"), 0);
    big.set(new TextEncoder().encode("TRAILER"), big.length - 7);
    const s = await hub({ repos: { "org/big": { files: { "model.safetensors": big } } } });
    const { files } = await listAll("hf://org/big", { hf_endpoint: s.url });
    const f = files[0]!;
    expect(new TextDecoder().decode(await f.read(0, 6))).toBe("HEADER");
    expect(new TextDecoder().decode(await f.read(f.size - 7, f.size))).toBe("TRAILER");
    expect((f as unknown as { bytesTransferred: number }).bytesTransferred).toBeLessThanOrEqual(2 * 16 * 1024);
    expect(s.bytesServed()).toBeLessThan(64 * 1024);
  });

  it("takes the revision from @…, else branch_name, and refuses an unknown one (target not found)", async () => {
    const s = await hub({ repos: { "org/tiny": { files: { "a.txt": new Uint8Array(3) }, refs: ["main", "v1.0"] } } });
    expect((await listAll("hf://org/tiny@v1.0", { hf_endpoint: s.url })).opened.description.revision).toBe(s.commitOf("org/tiny"));
    expect((await listAll("hf://org/tiny", { hf_endpoint: s.url, branch_name: "v1.0" })).files).toHaveLength(1);
    await expect(listAll("hf://org/tiny@nope", { hf_endpoint: s.url })).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND", message: expect.stringMatching(/404/) });
    await expect(listAll("hf://org/missing", { hf_endpoint: s.url })).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
  });

  it("opens datasets and spaces on their own routes", async () => {
    const s = await hub({ repos: { "org/d": { type: "dataset", files: { "data.pkl": new Uint8Array(2) } }, "org/app": { type: "space", files: { "app.py": new Uint8Array(1) } } } });
    const d = await listAll("hf://datasets/org/d", { hf_endpoint: s.url });
    expect(d.opened.description.uri).toBe(`hf://datasets/org/d@${s.commitOf("org/d")}`);
    expect(await d.files[0]!.read(0, 2)).toHaveLength(2);
    expect((await listAll("hf://spaces/org/app", { hf_endpoint: s.url })).files.map((f) => f.path)).toEqual(["app.py"]);
    await expect(listAll("hf://org/d", { hf_endpoint: s.url })).rejects.toMatchObject({ code: "MW_TARGET_NOT_FOUND" });
  });

  it("sends the token (option or HF_TOKEN) for private and gated repositories, and says 401/403 honestly without it", async () => {
    const s = await hub({ token: TOKEN, repos: { "org/private": { private: true, files: { "m.pkl": new Uint8Array(4) } }, "org/gated": { gated: true, files: { "m.pkl": new Uint8Array(4) } } } });
    await expect(listAll("hf://org/private", { hf_endpoint: s.url })).rejects.toMatchObject({ message: expect.stringMatching(/401.*private.*--hf-token/) });
    await expect(listAll("hf://org/gated", { hf_endpoint: s.url, hf_token: "hf_wrong" })).rejects.toMatchObject({ message: expect.stringMatching(/403.*gated/) });
    const viaOption = await listAll("hf://org/private", { hf_endpoint: s.url, hf_token: TOKEN });
    expect(await viaOption.files[0]!.read(0, 4)).toHaveLength(4);
    const viaEnv = await listAll("hf://org/gated", {}, { HF_TOKEN: TOKEN, HF_ENDPOINT: s.url });
    expect(viaEnv.files).toHaveLength(1);
    expect(s.requests.filter((r) => r.status < 400).every((r) => r.authorized)).toBe(true);
  });

  it("never lets the token into an error, even when the server or the network echoes it", async () => {
    const echo: typeof fetch = async (input, init) => {
      const auth = new Headers(init?.headers).get("authorization");
      throw new Error(`connect failed while sending ${auth}`);
    };
    const t = testSourceContext<HfSourceOptions>({ hf_endpoint: "http://127.0.0.1:9", hf_token: TOKEN });
    const error = (await source({}, echo).open("hf://org/x", t.ctx).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain("connect failed");
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain("***");
  });

  it("retries 429 and 5xx with back-off, then fails honestly", async () => {
    const s = await hub({ repos: { "org/tiny": { files: { "a.pkl": new Uint8Array(8) } } } });
    s.failNext(2, 503);
    const ok = await listAll("hf://org/tiny", { hf_endpoint: s.url });
    expect(ok.files).toHaveLength(1);
    s.failNext(2, 429);
    expect(await ok.files[0]!.read(0, 8)).toHaveLength(8);
    s.failNext(10, 429);
    await expect(listAll("hf://org/tiny", { hf_endpoint: s.url })).rejects.toMatchObject({ message: expect.stringMatching(/429/) });
  });

  it("follows paginated listings and honours ignore globs", async () => {
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`dir/f${i}.pkl`, new Uint8Array([i])]));
    const s = await hub({ pageSize: 2, repos: { "org/many": { files } } });
    const t = testSourceContext<HfSourceOptions>({ hf_endpoint: s.url }, { ignored: ["dir/f3.pkl"] });
    const opened = await source().open("hf://org/many", t.ctx);
    const listed: string[] = [];
    for await (const f of opened.files()) listed.push(f.path);
    expect(listed).toEqual(Object.keys(files).filter((p) => p !== "dir/f3.pkl"));
    expect(t.skips).toEqual([{ path: "dir/f3.pkl", reason: "ignored by config" }]);
    expect(s.requests.filter((r) => r.url.includes("/tree/")).length).toBeGreaterThanOrEqual(4);
  });

  it("a read that fails mid-scan throws (the engine marks that file incomplete)", async () => {
    const s = await hub({ repos: { "org/tiny": { files: { "a.pkl": new Uint8Array(8) } } } });
    const { files } = await listAll("hf://org/tiny", { hf_endpoint: s.url });
    s.failNext(10, 500);
    await expect(files[0]!.read(0, 8)).rejects.toThrow(/HTTP 500/);
  });
});
