import { readFile, readdir } from "node:fs/promises";
import { extname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The web console's policy: its own scripts, styles and images only, API calls to this origin
 * only, no frames, no plugins, no inline code. Nothing the console shows (file names, messages
 * from scanned artifacts) can run as code or load from elsewhere under it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves the built web console (`@modelward/web`'s flat assets folder) at `/` and
 * `/<file>`: GET and HEAD only, only the files the folder holds with a known type
 * (listed on the first request, so start-up reads nothing), each read once and kept.
 */
export class ConsoleAssets {
  private names?: Promise<Set<string>>;
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(private readonly dir: string) {}

  /** Answers a console request and returns true; false when the request is not for the console. */
  async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const name = path === "/" ? "index.html" : path.slice(1);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return false;
    this.names ??= readdir(this.dir).then((all) => new Set(all.filter((n) => TYPES[extname(n)] !== undefined)));
    if (!(await this.names).has(name)) return false;
    let bytes = this.cache.get(name);
    if (!bytes) {
      bytes = readFile(join(this.dir, name));
      this.cache.set(name, bytes);
      bytes.catch(() => this.cache.delete(name));
    }
    const body = await bytes;
    res.writeHead(200, {
      "content-type": TYPES[extname(name)]!,
      "content-length": body.length,
      "content-security-policy": CONSOLE_CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "x-frame-options": "DENY",
      // Not content-hashed names: the browser checks back, so a new build is seen at once.
      "cache-control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }
}
