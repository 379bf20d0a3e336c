/**
 * Parses JSON the way Python's `json.loads` (what Keras uses) accepts it:
 * the bare `NaN`, `Infinity` and `-Infinity` tokens `json.dumps` writes for
 * non-finite floats are read as `null` instead of failing, so a config that
 * Keras loads is never left unchecked. Returns the error message on failure.
 */
export function parsePythonJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) return { ok: false, error: (error as Error).message };
  }
  try {
    return { ok: true, value: JSON.parse(replaceNonFinite(text)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

// Replaces the tokens outside strings only; strings are copied as they are.
function replaceNonFinite(text: string): string {
  let out = "";
  let i = 0;
  let from = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    const token = text.startsWith("-Infinity", i) ? "-Infinity" : text.startsWith("Infinity", i) ? "Infinity" : text.startsWith("NaN", i) ? "NaN" : undefined;
    if (token) {
      out += `${text.slice(from, i)}null`;
      i += token.length;
      from = i;
      continue;
    }
    i++;
  }
  return out + text.slice(from);
}
