/** Shannon entropy of a string in bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_WORDS = /(x{4,}|X{4,}|\*{3,}|\.{3}|your|example|sample|dummy|placeholder|changeme|change_me|redacted|insert|replace|fake|secret_here|token_here|key_here|<[^>]*>|\$\{|\{\{|%\(|os\.environ|getenv|none|null|undefined|todo|tbd|abc123|123456|password)/i;

/**
 * True when a candidate value is a placeholder, a reference or an obvious
 * fake rather than a credential: `<your-token>`, `xxxx`, `${TOKEN}`,
 * `os.environ[...]`, one repeated character, or too little entropy for `min` bits per char.
 */
export function looksLikePlaceholder(value: string, minEntropy = 3): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (/^(.)\1+$/.test(value)) return true;
  if (/^(?:0123456789|abcdef|ABCDEF)+/.test(value)) return true;
  return entropy(value) < minEntropy;
}

/** The line of `text` around `offset` (without line breaks). */
export function lineAround(text: string, offset: number): string {
  const s = text.lastIndexOf("\n", offset - 1) + 1;
  const e = text.indexOf("\n", offset);
  return text.slice(s, e < 0 ? text.length : e);
}

/** Text of the lines around `offset`: `before` lines before and `after` after, for context words. */
export function contextAround(text: string, offset: number, before = 2, after = 1): string {
  let s = offset;
  for (let k = 0; k <= before && s > 0; k++) s = text.lastIndexOf("\n", s - 1);
  let e = offset;
  for (let k = 0; k <= after && e >= 0 && e < text.length; k++) e = text.indexOf("\n", e + 1);
  return text.slice(Math.max(0, s), e < 0 ? text.length : e);
}
