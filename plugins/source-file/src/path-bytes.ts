const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * A file name read as bytes, as people and reports see it: itself when it is
 * valid UTF-8, otherwise with every non-ASCII byte written `\xNN` (so two
 * different names never print alike and nothing is silently replaced).
 */
export function displayName(raw: Uint8Array): string {
  try {
    return strict.decode(raw);
  } catch {
    let out = "";
    for (const b of raw) out += b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
    return out;
  }
}

/** True when the name is not valid UTF-8. */
export function isInvalidUtf8(raw: Uint8Array): boolean {
  try {
    strict.decode(raw);
    return false;
  } catch {
    return true;
  }
}
