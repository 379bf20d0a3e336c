/** A dotted name written as code (not inside a string or comment) in a TorchScript source. */
export interface CodeName {
  /** The name with its dots, whitespace removed: `torch.ops.aten.add`, `__torch__.Net`, `eval`. */
  text: string;
  /** True when a `(` follows: the name is called. */
  called: boolean;
  /** True when a `.` precedes it (an attribute of an expression: `f(x).eval`, `xs[0].system`). */
  attribute: boolean;
  /** 1-based line and column of its first character. */
  line: number;
  column: number;
}

const IDENT_START = /[A-Za-z_\p{L}]/u;
const IDENT_PART = /[A-Za-z0-9_\p{L}\p{N}]/u;
const STRING_PREFIX = /^[rRbBuUfF]{1,2}$/;

/**
 * The dotted names of a Python-like source (TorchScript `code/**.py`), skipping
 * comments and the text of string literals (single, double, triple quoted, with
 * r/b/u/f prefixes and backslash escapes) so `"builtins.ValueError"` inside
 * `ops.prim.RaiseException(...)` is not code. The replacement fields of an
 * f-string are code in Python, so an f-string's text is read as code
 * (conservatively: a name there is reported, never missed). Never throws: an
 * unterminated string ends at the end of its line (single quotes) or of the text.
 */
export function codeNames(text: string): CodeName[] {
  const names: CodeName[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  const newline = (at: number): void => {
    line++;
    lineStart = at + 1;
  };
  // Index past the string literal opening at `i` (its quote), counting the newlines inside.
  const skipString = (start: number): number => {
    const q = text[start]!;
    const triple = text.startsWith(q + q + q, start);
    const close = triple ? q + q + q : q;
    let k = start + close.length;
    while (k < n) {
      const c = text[k]!;
      if (c === "\\") {
        if (text[k + 1] === "\n") newline(k + 1);
        k += 2;
        continue;
      }
      if (text.startsWith(close, k)) return k + close.length;
      if (c === "\n") {
        if (!triple) return k;
        newline(k);
      }
      k++;
    }
    return n;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      newline(i);
      i++;
      continue;
    }
    if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipString(i);
      continue;
    }
    if (c >= "0" && c <= "9") {
      // Numbers (1.5e3, 0x1f, 1_000): never names; `1.real` is not generated code.
      while (i < n && /[0-9A-Za-z_.]/.test(text[i]!)) i++;
      continue;
    }
    if (c === "." && i + 1 < n && text[i + 1]! >= "0" && text[i + 1]! <= "9") {
      i++;
      while (i < n && /[0-9A-Za-z_]/.test(text[i]!)) i++;
      continue;
    }
    if (!IDENT_START.test(c)) {
      i++;
      continue;
    }
    const startLine = line;
    const startColumn = i - lineStart + 1;
    let k = i;
    while (k < n && IDENT_PART.test(text[k]!)) k++;
    const word = text.slice(i, k);
    // A string prefix directly followed by a quote opens a literal.
    if ((text[k] === '"' || text[k] === "'") && STRING_PREFIX.test(word)) {
      if (/[fF]/.test(word)) {
        // f-string: its replacement fields are code; read its text as code.
        const end = skipString(k);
        const inner = codeNames(text.slice(k + 1, Math.max(k + 1, end - 1)));
        for (const m of inner) names.push({ ...m, line: startLine + m.line - 1, column: m.line === 1 ? startColumn + word.length + m.column : m.column });
        i = end;
        continue;
      }
      i = skipString(k);
      continue;
    }
    const parts = [word];
    // `.name` continuations, with spaces, tabs and backslash line continuations between.
    for (;;) {
      let j = k;
      while (j < n && (text[j] === " " || text[j] === "\t" || (text[j] === "\\" && text[j + 1] === "\n"))) j += text[j] === "\\" ? 2 : 1;
      if (text[j] !== ".") break;
      j++;
      while (j < n && (text[j] === " " || text[j] === "\t" || (text[j] === "\\" && text[j + 1] === "\n"))) j += text[j] === "\\" ? 2 : 1;
      if (j >= n || !IDENT_START.test(text[j]!)) break;
      let e = j;
      while (e < n && IDENT_PART.test(text[e]!)) e++;
      for (let x = k; x < j; x++) if (text[x] === "\n") newline(x);
      parts.push(text.slice(j, e));
      k = e;
    }
    let j = k;
    while (j < n && (text[j] === " " || text[j] === "\t")) j++;
    let b = i - 1;
    while (b >= 0 && (text[b] === " " || text[b] === "\t")) b--;
    names.push({ text: parts.join("."), called: text[j] === "(", attribute: b >= 0 && text[b] === ".", line: startLine, column: startColumn });
    i = k;
  }
  return names;
}
