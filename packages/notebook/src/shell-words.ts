/**
 * A shell command line split as POSIX `sh` would tokenise it, enough to read
 * what a notebook's `!cmd` runs: words with quotes removed and escapes
 * applied, and the operators between commands (`|`, `&&`, `||`, `;`, `&`).
 * No expansion is performed: `$VAR` and `$(…)` stay as written.
 */
export interface ShellCommand {
  /** Words of one simple command (redirections kept as words). */
  words: string[];
  /** Operator that follows this command, or "" for the last one. */
  operator: "|" | "&&" | "||" | ";" | "&" | "";
}

/** Split a command line into simple commands and their words. */
export function splitShell(line: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (operator: ShellCommand["operator"]) => {
    endWord();
    if (words.length || operator) out.push({ words, operator });
    words = [];
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "\\") {
      if (line[i + 1] === "\n") {
        i += 2;
        continue;
      }
      word += line[i + 1] ?? "";
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? line.length : end);
      inWord = true;
      i = end < 0 ? line.length : end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) i++;
        word += line[i];
        i++;
      }
      inWord = true;
      i++;
      continue;
    }
    if (c === "#" && !inWord) break;
    if (c === " " || c === "\t" || c === "\n") {
      endWord();
      i++;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      endCommand(two);
      i += 2;
      continue;
    }
    if (c === "|" || c === ";" || c === "&") {
      endCommand(c);
      i++;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand("");
  return out.filter((c) => c.words.length > 0);
}
