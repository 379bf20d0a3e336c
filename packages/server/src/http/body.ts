import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./api-error.js";

/** Refuses a body whose declared length passes `limit` before reading any of it. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
}

export const tooLarge = (limit: number) => new ApiError(413, "payload_too_large", `the body is larger than the limit (${limit} bytes)`);

/**
 * Reads a JSON body of at most `limit` bytes (declared or streamed: a chunked
 * body is cut off as soon as it passes), and parses it. Malformed JSON and a
 * content type other than JSON are 400/415.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  checkDeclaredLength(req, limit);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of unreadOnStop(req)) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    parts.push(chunk);
  }
  const text = Buffer.concat(parts, size).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`malformed JSON: ${(error as Error).message}`);
  }
}

/**
 * The body as an async iterable that, when the reader stops early (a limit
 * passed), leaves the request open instead of destroying it, so an error
 * answer can still be sent on the connection.
 */
export function unreadOnStop(req: IncomingMessage): AsyncIterable<Buffer> {
  return req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

/** Bytes of an unread body the server discards after answering before it closes the connection instead. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * Discards what is left of a request body without buffering it, so the client
 * reads the answer; a body with more than {@link DRAIN_LIMIT} left is cut off
 * by closing the connection.
 */
export function drain(req: IncomingMessage | undefined): void {
  if (!req || req.readableEnded || req.destroyed) return;
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}
