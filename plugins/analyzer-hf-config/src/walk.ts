/** A string value found in a parsed config, with where it is. */
export interface StringAt {
  /** RFC 6901 pointer (`/chat_template/0/template`). */
  pointer: string;
  /** The key it sits under (last path segment), or "" for array items and the root. */
  key: string;
  value: string;
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Every string value of a parsed JSON/YAML document, depth-first, bounded:
 * stops after `maxValues` strings or below `maxDepth` levels, and says so.
 */
export function walkStrings(doc: unknown, maxValues = 100_000, maxDepth = 64): { strings: StringAt[]; truncated: boolean } {
  const strings: StringAt[] = [];
  let truncated = false;
  const visit = (v: unknown, pointer: string, key: string, depth: number) => {
    if (truncated) return;
    if (typeof v === "string") {
      if (strings.length >= maxValues) truncated = true;
      else strings.push({ pointer, key, value: v });
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (depth >= maxDepth) {
      truncated = true;
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${pointer}/${i}`, "", depth + 1));
      return;
    }
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) visit(item, `${pointer}/${escapeSegment(k)}`, k, depth + 1);
  };
  visit(doc, "", "", 0);
  return { strings, truncated };
}
