import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A file of a stand-in repository: bytes in memory, or a file on disk (a sparse 10 GB file). */
export type HubFile = Uint8Array | { diskPath: string };

/** One repository the stand-in serves. */
export interface HubRepo {
  /** `model` (default), `dataset` or `space`. */
  type?: "model" | "dataset" | "space";
  /** Files by repository path, at every revision. */
  files: Record<string, HubFile>;
  /** Branch and tag names (default `main`) resolving to this repository's one commit. */
  refs?: string[];
  /** Needs `Authorization: Bearer <token>`: 401 without it. */
  private?: boolean;
  /** Gated: 403 for any token but the stand-in's. */
  gated?: boolean;
  /** Files to mark as LFS in the listing (default: those over 10 MiB and every `.safetensors`, `.bin`, `.pt`). */
  lfs?: (path: string, size: number) => boolean;
}

/** What a test asks of the stand-in. */
export interface HubStandInOptions {
  /** Repositories by id (`org/name`). */
  repos: Record<string, HubRepo>;
  /** The token private and gated repositories accept. */
  token?: string;
  /** Entries per tree page (pagination through `Link: <…>; rel="next"`, as the Hub does). Default 1000. */
  pageSize?: number;
}

/** A request the stand-in answered, for assertions. */
export interface HubRequestLog {
  method: string;
  url: string;
  range?: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** The Authorization header was present. */
  authorized: boolean;
}

/** A running stand-in. */
export interface HubStandIn {
  /** `http://127.0.0.1:<port>`: the endpoint to give the client. */
  url: string;
  /** The commit sha each repository's refs resolve to. */
  commitOf(repo: string): string;
  /** Every request so far. */
  requests: HubRequestLog[];
  /** Body bytes sent so far. */
  bytesServed(): number;
  /** The next `count` requests answer `status` (429, 503…) before anything else, to test retries. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

const PREFIX: Record<string, string> = { model: "", dataset: "datasets/", space: "spaces/" };

/**
 * A loopback stand-in for the Hugging Face Hub: the routes `@huggingface/hub`
 * and a ranged reader use, with the Hub's shapes (logged from the real
 * library): `GET /api/{models|datasets|spaces}/{id}/revision/{rev}` (with
 * `sha`), `GET /api/…/{id}/tree/{rev}[/{path}]?recursive=` (paginated by
 * `Link`), and `GET|HEAD /[datasets/|spaces/]{id}/resolve/{rev}/{path}` with
 * `Range` (206 + `Content-Range`, `ETag`, `X-Repo-Commit`). Private repos
 * answer 401 without the token, gated ones 403 with another token, unknown
 * repos 404 `RepoNotFound`, unknown files 404 `EntryNotFound`. Listens on
 * 127.0.0.1 only.
 */
export async function startHubStandIn(options: HubStandInOptions): Promise<HubStandIn> {
  const requests: HubRequestLog[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 0 };
  const commits = new Map(Object.keys(options.repos).map((id) => [id, createHash("sha1").update(`commit:${id}`).digest("hex")]));
  const pageSize = options.pageSize ?? 1000;

  const server = createServer((req, res) => {
    const log: HubRequestLog = { method: req.method ?? "GET", url: req.url ?? "/", status: 0, bytes: 0, authorized: req.headers.authorization !== undefined };
    if (req.headers.range) log.range = req.headers.range;
    requests.push(log);
    const send = (status: number, body: string | Uint8Array = "", headers: Record<string, string> = {}) => {
      log.status = status;
      const bytes = typeof body === "string" ? Buffer.from(body) : body;
      res.writeHead(status, { "Content-Length": String(bytes.length), ...headers });
      if (req.method !== "HEAD") {
        log.bytes += bytes.length;
        res.end(bytes);
      } else res.end();
    };
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      send(status, JSON.stringify(value), { "Content-Type": "application/json", ...headers });
    if (failures.count > 0) {
      failures.count--;
      return json(failures.status, { error: `stand-in failure ${failures.status}` }, { "Retry-After": "0" });
    }
    handle(req, json, send, log).catch((error) => json(500, { error: String(error) }));
  });

  async function handle(
    req: IncomingMessage,
    json: (status: number, value: unknown, headers?: Record<string, string>) => void,
    send: (status: number, body?: string | Uint8Array, headers?: Record<string, string>) => void,
    log: HubRequestLog,
  ): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const path = url.pathname;
    const api = /^\/api\/(models|datasets|spaces)\/(.+?)\/(revision|tree)\/([^/]+)(?:\/(.*))?$/.exec(path);
    const resolve = /^\/(datasets\/|spaces\/)?(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const repoId = api ? decodeURIComponent(api[2]!) : resolve ? decodeURIComponent(resolve[2]!) : undefined;
    const repo = repoId !== undefined ? options.repos[repoId] : undefined;
    const wantType = api ? api[1]!.slice(0, -1) : resolve ? (resolve[1] ?? "").replace("s/", "") || "model" : undefined;
    if (!repoId || !repo || (repo.type ?? "model") !== wantType) {
      if (!api && !resolve) return json(404, { error: "Not Found" });
      return json(404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
    }
    const auth = req.headers.authorization;
    const tokenOk = options.token !== undefined && auth === `Bearer ${options.token}`;
    if ((repo.private || repo.gated) && !auth) return json(401, { error: "Invalid username or password." }, { "X-Error-Code": "RepoNotFound" });
    if (repo.private && !tokenOk) return json(401, { error: "Invalid credentials in Authorization header" });
    if (repo.gated && !tokenOk) return json(403, { error: `Access to model ${repoId} is restricted. You must have access to it.` }, { "X-Error-Code": "GatedRepo" });
    const sha = commits.get(repoId)!;
    const rev = decodeURIComponent(api ? api[4]! : resolve![3]!);
    const refs = repo.refs ?? ["main"];
    if (rev !== sha && rev !== "HEAD" && !refs.includes(rev))
      return json(404, { error: `Invalid rev id: ${rev}` }, { "X-Error-Code": "RevisionNotFound" });
    if (api?.[3] === "revision") {
      return json(200, {
        _id: `id-${repoId}`,
        id: repoId,
        sha,
        private: repo.private === true,
        gated: repo.gated === true ? "auto" : false,
        downloads: 0,
        likes: 0,
        lastModified: "2026-11-01T00:00:00.000Z",
        siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })),
      });
    }
    if (api?.[3] === "tree") {
      const under = api[5] ? decodeURIComponent(api[5]).replace(/\/$/, "") : "";
      const recursive = url.searchParams.get("recursive") === "true";
      const entries = await treeEntries(repo, under, recursive);
      const cursor = Number(url.searchParams.get("cursor") ?? "0");
      const page = entries.slice(cursor, cursor + pageSize);
      const headers: Record<string, string> = {};
      if (cursor + pageSize < entries.length) {
        const next = new URL(url.href);
        next.searchParams.set("cursor", String(cursor + pageSize));
        headers.Link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
      }
      return json(200, page, headers);
    }
    // resolve
    const filePath = decodeURIComponent(resolve![4]!);
    const file = repo.files[filePath];
    if (!file) return json(404, { error: "Entry not found" }, { "X-Error-Code": "EntryNotFound" });
    const size = await sizeOf(file);
    const etag = `"${oidOf(filePath, size)}"`;
    const common = { ETag: etag, "X-Repo-Commit": sha, "Accept-Ranges": "bytes" };
    const range = req.headers.range ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range) : undefined;
    if (req.headers.range && !range) return send(416, "", { "Content-Range": `bytes */${size}` });
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
      if (start >= size || end < start) return send(416, "", { "Content-Range": `bytes */${size}` });
      const bytes = req.method === "HEAD" ? new Uint8Array(0) : await slice(file, start, end + 1);
      log.status = 206;
      return send(206, bytes, { ...common, "Content-Range": `bytes ${start}-${end}/${size}` });
    }
    if (size > 64 * 1024 * 1024) return json(400, { error: "the stand-in serves large files by range only" });
    return send(200, req.method === "HEAD" ? new Uint8Array(0) : await slice(file, 0, size), common);
  }

  async function treeEntries(repo: HubRepo, under: string, recursive: boolean): Promise<unknown[]> {
    const isLfs = repo.lfs ?? ((p: string, size: number): boolean => size > 10 * 1024 * 1024 || /\.(safetensors|bin|pt|pth|ckpt|gguf)$/.test(p));
    const dirs = new Set<string>();
    const out: unknown[] = [];
    for (const [p, file] of Object.entries(repo.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (under && !p.startsWith(`${under}/`)) continue;
      const rest = under ? p.slice(under.length + 1) : p;
      const slash = rest.indexOf("/");
      if (slash >= 0) {
        const dir = (under ? `${under}/` : "") + rest.slice(0, slash);
        if (!dirs.has(dir)) {
          dirs.add(dir);
          out.push({ type: "directory", oid: oidOf(dir, 0), size: 0, path: dir });
        }
        if (!recursive) continue;
      }
      const size = await sizeOf(file);
      const entry: Record<string, unknown> = { type: "file", oid: oidOf(p, size), size, path: p };
      if (isLfs(p, size)) entry.lfs = { oid: createHash("sha256").update(`lfs:${p}:${size}`).digest("hex"), size, pointerSize: 134 };
      out.push(entry);
    }
    return out;
  }

  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    commitOf: (repo) => commits.get(repo) ?? "",
    requests,
    bytesServed: () => requests.reduce((n, r) => n + r.bytes, 0),
    failNext(count, status) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** URL path of a repository on the Hub (`datasets/org/name` for a dataset). */
export function hubRepoPath(id: string, type: HubRepo["type"] = "model"): string {
  return `${PREFIX[type]}${id}`;
}

function oidOf(path: string, size: number): string {
  return createHash("sha1").update(`blob:${path}:${size}`).digest("hex");
}

async function sizeOf(file: HubFile): Promise<number> {
  return file instanceof Uint8Array ? file.length : (await stat(file.diskPath)).size;
}

async function slice(file: HubFile, start: number, end: number): Promise<Uint8Array> {
  if (file instanceof Uint8Array) return file.subarray(start, end);
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file.diskPath, { start, end: end - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

