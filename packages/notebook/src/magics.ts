/**
 * IPython's escapes in a code cell, found as IPython's input transformers
 * find them (`IPython/core/inputtransformer2.py`): a cell magic is a first
 * line starting with `%%`; a line magic (`%name`), shell escape (`!cmd`,
 * `!!cmd`) or their assignment form (`x = !ls`) starts a logical line outside
 * any string or bracket; a trailing backslash continues it. Nothing is run.
 */

/** One escape found in a cell. */
export interface MagicCommand {
  /** `shell` for `!cmd` / `!!cmd`; `line-magic` for `%name args`; `cell-magic` for a first-line `%%name args`. */
  kind: "shell" | "line-magic" | "cell-magic";
  /** Magic name without `%` (`pip`, `bash`, `sx`); `!` for a shell escape. */
  name: string;
  /** The arguments (for `!cmd`, the command), continuation lines joined with a space. */
  args: string;
  /** Body of a cell magic (the lines after the first). */
  body?: string;
  /** 1-based first and last line of the escape in the cell. */
  line: number;
  endLine: number;
  /** Offset of the escape's first character (`!`, `%`) and of its arguments in the cell source. */
  offset: number;
  argsOffset: number;
  /** Target of the assignment form `files = !ls`. */
  assignTo?: string;
  /** Written without `%` but run as a magic by IPython's automagic (`pip install x`). */
  automagic?: boolean;
  /**
   * The shell command line this runs, when it runs one: `!cmd`, `%sx`/`%system`,
   * `%pip`/`%conda`/`%mamba` (as `pip …`), `%%bash`/`%%sh`/`%%script sh` bodies.
   */
  shell?: string;
}

/** A cell split into Python and IPython escapes. */
export interface SplitSource {
  /**
   * The Python the kernel would run, with every escape line blanked to
   * spaces (same length, line breaks kept), so offsets of the original source
   * stay valid for a Python parser. Empty of code when the cell is a non-Python cell magic.
   */
  python: string;
  magics: MagicCommand[];
  /** The cell magic of the first line, if any. */
  cellMagic?: MagicCommand;
}

/** Cell magics whose body is Python run by the kernel (escapes inside are found too). */
const PYTHON_BODY = new Set(["time", "timeit", "capture", "prun", "debug"]);
/** Cell magics whose body is a shell script. */
const SHELL_BODY = new Set(["bash", "sh", "sx", "system", "zsh"]);
/** Line magics that run their arguments (or a package manager) in a shell. */
const SHELL_LINE: Record<string, string | undefined> = { sx: "", system: "", pip: "pip ", conda: "conda ", mamba: "mamba ", micromamba: "micromamba ", uv: "uv " };
/** Package-manager commands IPython's automagic runs without `%`. */
const AUTOMAGIC = /^(pip|conda|mamba)\s+(install|uninstall|download)\b/;

const ASSIGN = /^([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*(?=[!%])/;

/** Split a code cell's source into Python and IPython escapes. */
export function splitMagics(source: string): SplitSource {
  const lines = splitLines(source);
  const magics: MagicCommand[] = [];
  const blank: [number, number][] = [];

  let first = 0;
  while (first < lines.length && lines[first]!.text.trim() === "") first++;
  const head = lines[first];
  let bodyStart = 0;
  let cellMagic: MagicCommand | undefined;
  if (head && head.text.startsWith("%%")) {
    const m = /^%%([\w.!-]*)\s*(.*)$/.exec(head.text)!;
    const name = m[1]!;
    const args = m[2]!.trimEnd();
    const bodyFrom = head.start + head.full.length;
    cellMagic = {
      kind: "cell-magic",
      name,
      args,
      body: source.slice(bodyFrom),
      line: first + 1,
      endLine: lines.length,
      offset: head.start,
      argsOffset: head.start + head.text.length - m[2]!.length,
    };
    const interpreter = name === "script" ? args.split(/\s+/)[0]?.replace(/^.*\//, "") ?? "" : "";
    if (SHELL_BODY.has(name) || ["bash", "sh", "zsh", "dash"].includes(interpreter)) cellMagic.shell = cellMagic.body!;
    magics.push(cellMagic);
    blank.push([head.start, head.start + head.text.length]);
    if (!PYTHON_BODY.has(name)) {
      return { python: blankOut(source, [[0, source.length]]), magics, cellMagic };
    }
    bodyStart = first + 1;
  }

  let inString: string | null = null;
  let depth = 0;
  let continued = false;
  for (let i = bodyStart; i < lines.length; i++) {
    const ln = lines[i]!;
    const logicalStart = inString === null && depth === 0 && !continued;
    if (logicalStart) {
      const found = escapeAt(lines, i);
      if (found) {
        magics.push(found.magic);
        blank.push([ln.start, lines[found.lastLine]!.start + lines[found.lastLine]!.text.length]);
        i = found.lastLine;
        continued = false;
        continue;
      }
    }
    const st = scanLine(ln.text, inString, depth);
    inString = st.inString;
    depth = st.depth;
    continued = st.continued;
  }
  return { python: blankOut(source, blank), magics, ...(cellMagic ? { cellMagic } : {}) };
}

interface Line {
  text: string;
  /** The line with its terminator. */
  full: string;
  start: number;
}

function splitLines(source: string): Line[] {
  const out: Line[] = [];
  let at = 0;
  while (at <= source.length) {
    const nl = source.indexOf("\n", at);
    const end = nl < 0 ? source.length : nl + 1;
    const full = source.slice(at, end);
    out.push({ text: full.replace(/\r?\n$/, ""), full, start: at });
    if (nl < 0) break;
    at = end;
  }
  return out;
}

function escapeAt(lines: Line[], i: number): { magic: MagicCommand; lastLine: number } | null {
  const ln = lines[i]!;
  const indent = /^[ \t]*/.exec(ln.text)![0].length;
  let rest = ln.text.slice(indent);
  let assignTo: string | undefined;
  let lead = indent;
  const a = ASSIGN.exec(rest);
  if (a) {
    assignTo = a[1]!.replace(/\s+/g, "");
    lead += a[0].length;
    rest = rest.slice(a[0].length);
  }
  let kind: MagicCommand["kind"];
  let name: string;
  let argsRel: number;
  let automagic = false;
  if (rest.startsWith("!")) {
    kind = "shell";
    name = "!";
    argsRel = rest.startsWith("!!") ? 2 : 1;
  } else if (rest.startsWith("%") && !rest.startsWith("%%")) {
    const m = /^%([\w.]+)\s*/.exec(rest);
    if (!m) return null;
    kind = "line-magic";
    name = m[1]!;
    argsRel = m[0].length;
  } else if (!assignTo && AUTOMAGIC.test(rest)) {
    kind = "line-magic";
    name = /^\w+/.exec(rest)![0];
    argsRel = name.length + (/^\s*/.exec(rest.slice(name.length))![0].length);
    automagic = true;
  } else {
    return null;
  }
  let last = i;
  let args = rest.slice(argsRel);
  while (args.endsWith("\\") && last + 1 < lines.length) {
    last++;
    args = `${args.slice(0, -1)} ${lines[last]!.text.trim()}`;
  }
  args = args.trim();
  const offset = ln.start + lead;
  const magic: MagicCommand = { kind, name, args, line: i + 1, endLine: last + 1, offset, argsOffset: offset + argsRel };
  if (assignTo) magic.assignTo = assignTo;
  if (automagic) magic.automagic = true;
  if (kind === "shell") magic.shell = args;
  else if (SHELL_LINE[name] !== undefined) magic.shell = `${SHELL_LINE[name]}${args}`;
  return { magic, lastLine: last };
}

/**
 * Python lexical state after one physical line: open string delimiter
 * (triple quotes span lines), bracket depth, and whether a backslash continues it.
 */
function scanLine(text: string, inString: string | null, depth: number): { inString: string | null; depth: number; continued: boolean } {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (inString !== null) {
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (text.startsWith(inString, i)) {
        i += inString.length;
        inString = null;
        continue;
      }
      i++;
      continue;
    }
    if (c === "#") break;
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      inString = triple ? c.repeat(3) : c;
      i += triple ? 3 : 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
    i++;
  }
  const continued = /\\$/.test(text) && !text.trimStart().startsWith("#");
  // A single-quoted string does not survive the end of a line unless continued.
  if (inString !== null && inString.length === 1 && !continued) inString = null;
  return { inString, depth, continued };
}

/** `source` with the given spans replaced by spaces, line breaks kept. */
function blankOut(source: string, spans: [number, number][]): string {
  if (spans.length === 0) return source;
  const chars = source.split("");
  for (const [s, e] of spans) {
    for (let k = s; k < e && k < chars.length; k++) if (chars[k] !== "\n" && chars[k] !== "\r") chars[k] = " ";
  }
  return chars.join("");
}
