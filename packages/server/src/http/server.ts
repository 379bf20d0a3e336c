import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describeError } from "@modelward/core";
import { apiRoutes, type ApiDeps, type Auth } from "../api/routes.js";
import { keyFromHeaders } from "../security/api-keys.js";
import { authenticate } from "../store/projects.js";
import { ApiError } from "./api-error.js";
import { drain } from "./body.js";
import { ConsoleAssets } from "./console-assets.js";
import { matchPattern, type Route, type RouteResult } from "./router.js";

/**
 * The HTTP server of `/v1`: routes, API-key authentication before any body
 * is read, JSON errors, and one log line per request (method, path, status,
 * time; never headers, bodies or keys). With `consoleAssetsDir`, the web
 * console's static files are served at `/` too (they hold no secret: the
 * console signs in with the user's key and calls `/v1` like any client).
 */
export function createHttpServer(deps: ApiDeps, log?: (line: string) => void, options: { consoleAssetsDir?: string } = {}): Server {
  const routes = apiRoutes(deps);
  const assets = options.consoleAssetsDir ? new ConsoleAssets(options.consoleAssetsDir) : undefined;
  const server = createServer((req, res) => {
    const started = Date.now();
    handle(routes, deps, req, res, assets)
      .catch((error) => sendError(res, error, log))
      .finally(() => log?.(`${req.method} ${(req.url ?? "").split("?")[0]} ${res.statusCode} ${Date.now() - started}ms`));
  });
  // Slow-loris guard: a request must arrive in full within these.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30 * 60_000;
  return server;
}

async function handle(routes: Route<Auth>[], deps: ApiDeps, req: IncomingMessage, res: ServerResponse, assets?: ConsoleAssets): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (assets && !path.startsWith("/v1/") && (await assets.serve(req, res, path))) return drain(req);
  const matches = routes.map((r) => ({ r, params: matchPattern(r.pattern, path) })).filter((m) => m.params);
  if (!matches.length) throw new ApiError(404, "not_found", `no route ${path}`);
  const match = matches.find((m) => m.r.method === req.method);
  let auth: Auth | undefined;
  if (!match?.r.public) {
    // Authentication comes before method and body checks: without a key, nothing about the API leaks but 401.
    const key = keyFromHeaders(req.headers);
    if (!key) throw new ApiError(401, "unauthorized", "give an API key: Authorization: Bearer <key>");
    const found = await authenticate(deps.db, key);
    if (!found) throw new ApiError(401, "unauthorized", "unknown or revoked API key");
    auth = { projectId: found.projectId, keyId: found.keyId };
  }
  if (!match) {
    res.setHeader("allow", matches.map((m) => m.r.method).join(", "));
    throw new ApiError(405, "method_not_allowed", `${req.method} is not allowed on ${path}`);
  }
  const result: RouteResult = await match.r.handler({ req, res, params: match.params!, query: url.searchParams, auth: auth as Auth });
  if (!result) return;
  drain(req);
  if (result.body === undefined) {
    res.writeHead(result.status).end();
    return;
  }
  const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
  res.writeHead(result.status, { "content-type": `${result.type ?? "application/json"}; charset=utf-8`, "cache-control": "no-store" }).end(text);
}

function sendError(res: ServerResponse, error: unknown, log?: (line: string) => void): void {
  const e =
    error instanceof ApiError
      ? error
      : (log?.(`internal error: ${describeError(error)}`), new ApiError(500, "internal", "internal error (see the server log)"));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
  res.writeHead(e.status, { "content-type": "application/json; charset=utf-8" }).end(body);
  // A body refused before it was read in full is discarded (up to a limit), so the client sees this answer.
  drain(res.req);
}

/** The port a listening server got. */
export const portOf = (server: Server) => (server.address() as AddressInfo).port;
