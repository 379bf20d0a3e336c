const OPEN_BRACE = 0x7b;

/**
 * True when `head` (the first bytes of a file) looks like a Jupyter
 * notebook: a JSON object (after an optional BOM and whitespace) with the
 * nbformat keys in view. Jupyter writes keys sorted, so `"cells"` (v4) or
 * `"metadata"`/`"nbformat"`/`"worksheets"` (v3) come early; a first cell with
 * a huge source may push them out of the head, hence `"cell_type"` also counts.
 * Cheap and never throws.
 */
export function looksLikeNotebook(head: Uint8Array): boolean {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] !== OPEN_BRACE) return false;
  const text = new TextDecoder("latin1").decode(head.subarray(i, Math.min(head.length, i + 256 * 1024)));
  if (/"nbformat"\s*:/.test(text) || /"worksheets"\s*:\s*\[/.test(text)) return true;
  return /"cells"\s*:\s*\[/.test(text) && /"cell_type"\s*:/.test(text);
}
