const SIMPLE: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The text of a JSON string body (without its quotes). Lenient where a cut or
 * hostile string would make a strict decoder give up: an unknown escape keeps
 * its character, an incomplete escape at the end is dropped, raw control
 * characters are kept (Python's `json.loads(strict=False)` keeps them too).
 * Lone surrogates from `\uD800` stay as they are, as in Python.
 */
export function unescapeJsonString(body: string): string {
  if (body.indexOf("\\") < 0) return body;
  let out = "";
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf("\\", i);
    if (slash < 0) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, slash);
    const kind = body[slash + 1];
    if (kind === undefined) break;
    if (kind === "u") {
      const hex = body.slice(slash + 2, slash + 6);
      if (hex.length < 4) break;
      if (/^[0-9a-fA-F]{4}$/.test(hex)) out += String.fromCharCode(parseInt(hex, 16));
      else out += hex;
      i = slash + 6;
      continue;
    }
    out += SIMPLE[kind] ?? kind;
    i = slash + 2;
  }
  return out;
}
