import { ModelwardError } from "@modelward/core";
import type { LfsPointer } from "./lfs-pointer.js";

/** Where and how to download one LFS object, as the server's batch answer says. */
export interface LfsDownload {
  /** The object's URL (http or https). */
  href: string;
  /** Headers the server asks to be sent with it (its own short-lived authorization, usually). */
  header: Record<string, string>;
}

/** The batch answer for one object: a download action, or why there is none. */
export type LfsBatchResult = { ok: true; download: LfsDownload } | { ok: false; reason: string };

/** Objects per batch request: the batch API's documented recommendation. */
export const LFS_BATCH_SIZE = 100;
/** Most bytes of a batch answer read (100 objects with long signed URLs and headers stay far below). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** Most headers taken from one action, and longest value: a hostile server cannot make requests huge. */
const MAX_ACTION_HEADERS = 16;
const MAX_HEADER_VALUE = 8192;
const MEDIA_TYPE = "application/vnd.git-lfs+json";

/**
 * The LFS server of a clone URL, as git-lfs derives it when nothing is
 * configured: `<url>.git/info/lfs`, or `<url>/info/lfs` when the URL already
 * ends in `.git`. `.lfsconfig` and `lfs.url` in the repository are never
 * read: a scanned repository must not choose where its scanner sends the
 * clone's credentials.
 */
export function lfsEndpoint(cloneUrl: string): string {
  const url = new URL(cloneUrl);
  url.username = "";
  url.password = "";
  url.hash = "";
  url.search = "";
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = `${path.endsWith(".git") ? path : `${path}.git`}/info/lfs`;
  return url.href;
}

/**
 * Asks the batch API (`POST <endpoint>/objects/batch`, basic transfer) for
 * download actions of `pointers`, `LFS_BATCH_SIZE` at a time. `authorization`
 * (the clone's credentials) goes to the batch endpoint only. Returns one
 * result per oid; a request that fails as a whole gives every object of it
 * that reason. Messages never carry credentials (`scrub`).
 */
export async function lfsBatch(
  endpoint: string,
  pointers: LfsPointer[],
  o: { authorization?: string; ref?: string; signal: AbortSignal; fetch: typeof fetch; scrub: (s: string) => string },
): Promise<Map<string, LfsBatchResult>> {
  const results = new Map<string, LfsBatchResult>();
  const unique = [...new Map(pointers.map((p) => [p.oid, p])).values()];
  for (let at = 0; at < unique.length; at += LFS_BATCH_SIZE) {
    const chunk = unique.slice(at, at + LFS_BATCH_SIZE);
    let answer: Map<string, LfsBatchResult>;
    try {
      answer = await batchRequest(endpoint, chunk, o);
    } catch (error) {
      const reason = o.scrub(error instanceof Error ? error.message : String(error));
      answer = new Map(chunk.map((p) => [p.oid, { ok: false, reason }]));
    }
    for (const [oid, result] of answer) results.set(oid, result);
  }
  return results;
}

async function batchRequest(
  endpoint: string,
  pointers: LfsPointer[],
  o: { authorization?: string; ref?: string; signal: AbortSignal; fetch: typeof fetch },
): Promise<Map<string, LfsBatchResult>> {
  if (o.signal.aborted) throw new Error("the scan was cancelled");
  const body = {
    operation: "download",
    transfers: ["basic"],
    ...(o.ref ? { ref: { name: o.ref } } : {}),
    objects: pointers.map((p) => ({ oid: hexOf(p.oid), size: p.size })),
    hash_algo: "sha256",
  };
  const response = await o.fetch(`${endpoint}/objects/batch`, {
    method: "POST",
    headers: { Accept: MEDIA_TYPE, "Content-Type": MEDIA_TYPE, ...(o.authorization ? { Authorization: o.authorization } : {}) },
    body: JSON.stringify(body),
    redirect: "error",
    signal: o.signal,
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the LFS batch request failed with HTTP ${response.status}${statusHint(response.status)}`);
  }
  const text = await boundedText(response, MAX_ANSWER_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("the LFS batch answer is not JSON");
  }
  const answer = parsed as { transfer?: unknown; objects?: unknown };
  if (answer.transfer !== undefined && answer.transfer !== "basic") throw new Error(`the LFS server chose transfer ${JSON.stringify(answer.transfer)}; only basic was offered`);
  if (!Array.isArray(answer.objects)) throw new Error("the LFS batch answer has no objects list");
  const wanted = new Map(pointers.map((p) => [hexOf(p.oid), p]));
  const results = new Map<string, LfsBatchResult>();
  for (const raw of answer.objects as unknown[]) {
    const obj = raw as { oid?: unknown; size?: unknown; error?: { code?: unknown; message?: unknown }; actions?: { download?: { href?: unknown; header?: unknown } } };
    const pointer = typeof obj.oid === "string" ? wanted.get(obj.oid) : undefined;
    if (!pointer || results.has(pointer.oid)) continue;
    results.set(pointer.oid, objectResult(obj, pointer, endpoint));
  }
  for (const p of pointers) if (!results.has(p.oid)) results.set(p.oid, { ok: false, reason: "the LFS server's batch answer left this object out" });
  return results;
}

function objectResult(
  obj: { size?: unknown; error?: { code?: unknown; message?: unknown }; actions?: { download?: { href?: unknown; header?: unknown } } },
  pointer: LfsPointer,
  endpoint: string,
): LfsBatchResult {
  if (obj.error) {
    const code = typeof obj.error.code === "number" ? ` ${obj.error.code}` : "";
    const message = typeof obj.error.message === "string" ? `: ${obj.error.message.slice(0, 200)}` : "";
    return { ok: false, reason: `the LFS server refused the object (error${code}${message})` };
  }
  if (obj.size !== pointer.size) return { ok: false, reason: `the LFS server lists the object with size ${String(obj.size)}, the pointer says ${pointer.size}` };
  const action = obj.actions?.download;
  if (!action || typeof action.href !== "string") return { ok: false, reason: "the LFS server gave no download action for the object" };
  let href: URL;
  try {
    href = new URL(action.href);
  } catch {
    return { ok: false, reason: "the LFS download action's href is not a URL" };
  }
  if (href.protocol !== "https:" && href.protocol !== "http:") return { ok: false, reason: `the LFS download action uses ${href.protocol}; only http(s) is fetched` };
  // A download over plain HTTP when the batch went over HTTPS would send the action's headers in clear.
  if (href.protocol === "http:" && new URL(endpoint).protocol === "https:") return { ok: false, reason: "the LFS download action downgrades HTTPS to plain HTTP" };
  if (href.username || href.password) return { ok: false, reason: "the LFS download action's href carries credentials" };
  const header: Record<string, string> = {};
  if (action.header !== undefined) {
    if (typeof action.header !== "object" || action.header === null) return { ok: false, reason: "the LFS download action's headers are not an object" };
    const entries = Object.entries(action.header as Record<string, unknown>);
    if (entries.length > MAX_ACTION_HEADERS) return { ok: false, reason: `the LFS download action asks for ${entries.length} headers` };
    for (const [key, value] of entries) {
      if (typeof value !== "string" || value.length > MAX_HEADER_VALUE || !/^[A-Za-z0-9-]{1,64}$/.test(key) || /[\r\n]/.test(value))
        return { ok: false, reason: "the LFS download action has a malformed header" };
      header[key] = value;
    }
  }
  return { ok: true, download: { href: href.href, header } };
}

function hexOf(oid: string): string {
  return oid.replace(/^sha256:/, "");
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ": the LFS server refused the clone's credentials (give git_token for a private repository)";
  if (status === 404) return ": the repository has no LFS server at the default URL";
  return "";
}

/** The body as text, refusing more than `limit` bytes. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ModelwardError("MW_SOURCE_FAILED", `the LFS batch answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
