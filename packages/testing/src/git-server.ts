import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A commit of a fixture branch: files by path (a string is a symlink target when listed in `symlinks`). */
export interface GitBranchSpec {
  files: Record<string, Uint8Array | string>;
  /** Paths committed as symbolic links to the given target. */
  symlinks?: Record<string, string>;
  /** Commits made before this one (for depth tests), each with its own files. */
  history?: Record<string, Uint8Array | string>[];
}

/** A bare repository served by {@link startGitHttpServer}. */
export interface GitFixture {
  /** Folder holding `<name>.git` (the server's project root). */
  root: string;
  /** Path of the bare repository. */
  bare: string;
  /** Tip commit of each branch. */
  heads: Record<string, string>;
  remove(): void;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.invalid",
  GIT_COMMITTER_NAME: "fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.invalid",
  GIT_AUTHOR_DATE: "2026-11-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-01T00:00:00Z",
};

/**
 * Builds a bare repository `<name>.git` with the given branches (the first is
 * the default), each branch's history committed in order, with the git CLI.
 */
export async function buildGitFixture(name: string, branches: Record<string, GitBranchSpec>): Promise<GitFixture> {
  const root = mkdtempSync(join(tmpdir(), "mw-gitfix-"));
  const work = join(root, "work");
  const git = (...args: string[]) => run("git", ["-c", "core.hooksPath=/dev/null", ...args], { cwd: work, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
  mkdirSync(work);
  const names = Object.keys(branches);
  await git("init", "-q", "-b", names[0]!);
  const heads: Record<string, string> = {};
  for (const [i, branch] of names.entries()) {
    if (i > 0) await git("checkout", "-q", "--orphan", branch);
    await git("rm", "-rq", "--cached", "--ignore-unmatch", ".");
    for (const entry of readdirSync(work)) if (entry !== ".git") rmSync(join(work, entry), { recursive: true, force: true });
    const spec = branches[branch]!;
    const commits = [...(spec.history ?? []), spec.files];
    for (const [k, files] of commits.entries()) {
      for (const [path, data] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), data);
      }
      if (k === commits.length - 1)
        for (const [path, to] of Object.entries(spec.symlinks ?? {})) {
          mkdirSync(dirname(join(work, path)), { recursive: true });
          symlinkSync(to, join(work, path));
        }
      await git("add", "-A");
      await git("commit", "-q", "--allow-empty", "-m", `${branch} commit ${k + 1}`);
    }
    heads[branch] = (await git("rev-parse", "HEAD")).stdout.trim();
  }
  const bare = join(root, `${name}.git`);
  await run("git", ["clone", "-q", "--bare", work, bare], { env: GIT_ENV });
  // Smart HTTP needs these on a bare repository served read-only.
  await run("git", ["config", "http.uploadpack", "true"], { cwd: bare, env: GIT_ENV });
  await run("git", ["config", "uploadpack.allowFilter", "true"], { cwd: bare, env: GIT_ENV });
  return { root, bare, heads, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A running smart-HTTP Git server. */
export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`: clone `${url}/<name>.git`. */
  url: string;
  /** Requests served, for assertions (LFS ones with their `Range`, as `GET /lfs/objects/<oid> bytes=0-0`). */
  requests: string[];
  /** Authorization headers received (for asserting a token went only where it should). */
  authorizations: string[];
  /** Bytes of LFS object content sent so far. */
  lfsBytesServed(): number;
  close(): Promise<void>;
}

/** An LFS object the stand-in serves: bytes, or a (possibly sparse) file on disk. */
export type LfsObject = Uint8Array | { diskPath: string };

/** The Git LFS server of {@link startGitHttpServer}. */
export interface GitLfsOptions {
  /** Objects by sha256 hex oid. An oid may name other bytes on purpose (a server that lies). */
  objects: Record<string, LfsObject>;
  /** Whether downloads honour `Range` (default true); false sends every object whole with 200. */
  ranges?: boolean;
}

/** The sha256 hex oid of some bytes, as an LFS pointer names them. */
export function lfsOid(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Serves the bare repositories under `root` over Git's smart HTTP protocol:
 * `git http-backend` (from Debian's git package) run as a CGI behind a Node
 * HTTP server on 127.0.0.1. The backend runs asynchronously (never
 * execFileSync in this process: the clone that talks to us would deadlock).
 * With `token`, it answers 401 to any request without it (a private repository).
 *
 * With `lfs`, it is also the repositories' Git LFS server, as git-lfs finds it
 * (`<repo>.git/info/lfs`): the batch API (`POST …/info/lfs/objects/batch`,
 * basic transfer, the same token as the clone) answers download actions to
 * `/lfs/objects/<oid>` carrying a per-object `Authorization` header of its own
 * (as GitHub's signed actions do), required on the download; downloads honour
 * `Range` unless `ranges: false`. Unknown oids get a per-object 404 error.
 */
export async function startGitHttpServer(root: string, options: { token?: string; lfs?: GitLfsOptions } = {}): Promise<GitHttpServer> {
  const requests: string[] = [];
  const authorizations: string[] = [];
  const lfs = options.lfs;
  const actionTokens = new Map<string, string>();
  let lfsServed = 0;
  // With a token, every request needs it as GitHub takes it: Basic, user x-access-token, password the token.
  const expected = options.token !== undefined ? `Basic ${Buffer.from(`x-access-token:${options.token}`).toString("base64")}` : undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://git");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    const download = /^\/lfs\/objects\/([0-9a-f]{64})$/.exec(url.pathname);
    if (lfs && download) {
      requests[requests.length - 1] += req.headers.range ? ` ${req.headers.range}` : "";
      return void serveLfsObject(req, res, download[1]!);
    }
    if (expected !== undefined && req.headers.authorization !== expected) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' });
      return void res.end();
    }
    if (lfs && req.method === "POST" && /\.git\/info\/lfs\/objects\/batch$/.test(url.pathname)) return void answerBatch(req, res);
    const child = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        REQUEST_METHOD: req.method ?? "GET",
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        REMOTE_ADDR: "127.0.0.1",
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
        ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === "status") status = Number(value.split(" ")[0]) || 500;
        else res.setHeader(key, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on("end", () => {
      if (!headersDone) res.writeHead(502);
      res.end();
    });
    child.on("error", () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function answerBatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { operation?: string; objects?: { oid: string; size: number }[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(422, { "Content-Type": "application/vnd.git-lfs+json" });
      return void res.end(JSON.stringify({ message: "malformed batch request" }));
    }
    const objects = (body.objects ?? []).map(({ oid, size }) => {
      const object = lfs!.objects[oid];
      if (!object) return { oid, size, error: { code: 404, message: "Object does not exist" } };
      const token = actionTokens.get(oid) ?? randomBytes(12).toString("hex");
      actionTokens.set(oid, token);
      return { oid, size: sizeOfLfs(object), authenticated: true, actions: { download: { href: `${base()}/lfs/objects/${oid}`, header: { Authorization: `RemoteAuth ${token}` }, expires_in: 3600 } } };
    });
    res.writeHead(200, { "Content-Type": "application/vnd.git-lfs+json" });
    res.end(JSON.stringify({ transfer: "basic", objects, hash_algo: "sha256" }));
  }

  function serveLfsObject(req: IncomingMessage, res: ServerResponse, oid: string): void {
    const object = lfs!.objects[oid];
    if (!object || req.headers.authorization !== `RemoteAuth ${actionTokens.get(oid)}`) {
      res.writeHead(object ? 401 : 404);
      return void res.end();
    }
    const size = sizeOfLfs(object);
    const range = lfs!.ranges !== false && req.headers.range ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range) : undefined;
    let start = 0;
    let end = size - 1;
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
      if (start >= size || end < start) {
        res.writeHead(416, { "Content-Range": `bytes */${size}` });
        return void res.end();
      }
      res.writeHead(206, { "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": end - start + 1 });
    } else res.writeHead(200, { "Content-Length": size });
    if (end < start) return void res.end();
    if (object instanceof Uint8Array) {
      lfsServed += end - start + 1;
      return void res.end(object.subarray(start, end + 1));
    }
    // Counted as read from disk, so a download the client cancels counts what it was sent, not the object.
    const content = createReadStream(object.diskPath, { start, end });
    content.on("data", (chunk) => (lfsServed += chunk.length));
    pipeline(content, res, () => undefined);
  }

  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: base(),
    requests,
    authorizations,
    lfsBytesServed: () => lfsServed,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function sizeOfLfs(object: LfsObject): number {
  return object instanceof Uint8Array ? object.length : statSync(object.diskPath).size;
}

/** A Git LFS pointer file (spec v1) standing for `size` bytes with sha256 `oid`. */
export function lfsPointer(oid: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
}
