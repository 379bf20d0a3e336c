import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A random identifier with a readable prefix (`mdl_…`, `scan_…`): 16 base32
 * characters, 80 random bits. Ids are not secrets (authorisation is by API key
 * and project, never by knowing an id); they only must not collide.
 */
export function newId(prefix: string): string {
  let out = "";
  for (const b of randomBytes(16)) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}
