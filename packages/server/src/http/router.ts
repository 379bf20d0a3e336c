import type { IncomingMessage, ServerResponse } from "node:http";

/** What a route handler gets: the request, its path parameters and query. */
export interface RouteContext<Auth = unknown> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  auth: Auth;
}

/** A handler returns the status and JSON body to send, or sends the response itself and returns undefined. */
export type RouteResult = { status: number; body?: unknown; type?: string } | undefined;

export interface Route<Auth> {
  method: string;
  /** `/v1/models/:modelId/files/*path`: `:name` matches one segment, `*name` the rest (at least one segment). */
  pattern: string;
  /** Reachable without an API key (the health check and the OpenAPI document only). */
  public?: boolean;
  handler: (ctx: RouteContext<Auth>) => Promise<RouteResult>;
}

/** Matches a path against a route pattern; returns the decoded parameters, or undefined. Malformed %-escapes do not match. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith("*")) {
      const rest = got.slice(i);
      // Empty segments are kept: the handler judges the whole path (and says why it refuses one).
      if (!rest.length) return undefined;
      try {
        params[w.slice(1)] = rest.map(decodeURIComponent).join("/");
      } catch {
        return undefined;
      }
      return params;
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(":")) {
      if (!g) return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return got.length === want.length ? params : undefined;
}
