import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP, ConsoleAssets } from "./console-assets.js";

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mw-console-assets-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(dir, "app.js"), "console.log(1)");
  writeFileSync(join(dir, "notes.md"), "not served: unknown type");
  // A file beside the folder: reachable only by climbing out of it.
  writeFileSync(join(dir, "..", `${dir.split("/").pop()}-outside.js`), "outside");
  const assets = new ConsoleAssets(dir);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    assets.serve(req, res, path).then((served) => {
      if (!served) res.writeHead(404).end("api");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-outside.js`, { force: true });
});

describe("console assets", () => {
  it("reads nothing until asked: a folder that appears after start-up is served", async () => {
    const later = join(dir, "later");
    const assets = new ConsoleAssets(later);
    mkdirSync(later);
    writeFileSync(join(later, "index.html"), "late");
    const probe = createServer((req, res) => void assets.serve(req, res, "/").then((served) => served || res.writeHead(404).end()));
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    try {
      expect(await (await fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/`)).text()).toBe("late");
    } finally {
      await new Promise((r) => probe.close(r));
    }
  });

  it("serves index.html at / with the strict CSP and no-sniff", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe|\*|https?:/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).toContain("<title>x</title>");
  });

  it("serves the bundle with its type, and HEAD without a body", async () => {
    const res = await fetch(`${base}/app.js`);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await res.text()).toBe("console.log(1)");
    const head = await fetch(`${base}/app.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("14");
    expect(await head.text()).toBe("");
  });

  it("leaves everything else to the API: unknown files and types, traversal, sub-paths, other methods", async () => {
    const outside = `${dir.split("/").pop()}-outside.js`;
    for (const path of ["/notes.md", "/missing.js", `/..%2F${outside}`, `/%2E%2E/${outside}`, `/..\\${outside}`, "/a/app.js", "/.hidden.js", "/v1/health"]) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status, await res.text()]).toEqual([path, 404, "api"]);
    }
    const post = await fetch(`${base}/app.js`, { method: "POST", body: "x" });
    expect(post.status).toBe(404);
  });
});
