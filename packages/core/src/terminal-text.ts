/**
 * Characters that change what a terminal shows rather than being shown:
 * C0 controls (newline, carriage return, escape…), DEL, C1 controls (0x9b is
 * a one-byte CSI), line/paragraph separators and the bidirectional overrides
 * and isolates that reorder text (Trojan Source).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;

/**
 * An untrusted string (an archive member name, a pickle module, a file name)
 * made safe to print on a terminal: every control or reordering character is
 * written as a visible escape (`\n`, `\x1b`, `\u202e`), so a name cannot
 * forge a line such as "Result: PASS", recolour the output or move the cursor.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
