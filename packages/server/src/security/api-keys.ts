import { createHash, randomBytes } from "node:crypto";

/**
 * API keys: `mwk_<32 base64url chars>` (192 random bits). Only the SHA-256 of
 * a key is stored: with that much entropy a slow password hash adds nothing,
 * and a lookup by hash is one indexed query. The first characters are kept as
 * `prefix` so a key can be recognised in a list without being usable.
 */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `mwk_${randomBytes(24).toString("base64url")}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 8) };
}

/** The stored form of a key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The key of an `Authorization: Bearer <key>` (or `X-API-Key`) header, or undefined. */
export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = headers["x-api-key"];
  return typeof x === "string" && x.trim() ? x.trim() : undefined;
}
