import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
  /** Requests served, for assertions. */
  requests: string[];
  /** Authorization headers received (for asserting a token went only where it should). */
  authorizations: string[];
  close(): Promise<void>;
}

/**
 * Serves the bare repositories under `root` over Git's smart HTTP protocol:
 * `git http-backend` (from Debian's git package) run as a CGI behind a Node
 * HTTP server on 127.0.0.1. The backend runs asynchronously (never
 * execFileSync in this process: the clone that talks to us would deadlock).
 * With `token`, it answers 401 to any request without it (a private repository).
 */
export async function startGitHttpServer(root: string, options: { token?: string } = {}): Promise<GitHttpServer> {
  const requests: string[] = [];
  const authorizations: string[] = [];
  // With a token, every request needs it as GitHub takes it: Basic, user x-access-token, password the token.
  const expected = options.token !== undefined ? `Basic ${Buffer.from(`x-access-token:${options.token}`).toString("base64")}` : undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://git");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    if (expected !== undefined && req.headers.authorization !== expected) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' });
      return void res.end();
    }
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
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A Git LFS pointer file (spec v1) standing for `size` bytes with sha256 `oid`. */
export function lfsPointer(oid: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
}
