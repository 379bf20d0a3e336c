import { splitMagics, splitShell, type ShellCommand } from "@modelward/notebook";

/** A shell escape of a notebook cell that runs content it downloads. */
export interface ShellRisk {
  /** 1-based line in the cell where the escape starts. */
  line: number;
  /** `pipe` (`curl … | sh`), `substitution` (`bash <(curl …)`, `sh -c "$(wget …)"`) or `download-then-run` (fetched to a file, then executed). */
  how: "pipe" | "substitution" | "download-then-run";
  /** The downloader and the interpreter (`curl`, `sh`). */
  downloader: string;
  interpreter: string;
  /** Host of the first URL, when there is one (never the full URL: it may carry a token). */
  host?: string;
  /** `!`, `%%bash`, `%sx` … */
  escape: string;
}

const DOWNLOADERS = new Set(["curl", "wget", "fetch", "aria2c", "http", "Invoke-WebRequest", "iwr"]);
const INTERPRETERS = new Set(["sh", "bash", "zsh", "dash", "ksh", "python", "python3", "python2", "perl", "ruby", "node", "php", "source", "."]);

const base = (w: string | undefined) => (w ?? "").replace(/^.*\//, "");

/** The executable of a command, past `sudo`, `env` and `VAR=value` prefixes. */
function exe(cmd: ShellCommand): { name: string; args: string[] } {
  let w = cmd.words;
  while (w.length && (w[0] === "sudo" || w[0] === "env" || /^[A-Za-z_]\w*=/.test(w[0]!) || (w[0]!.startsWith("-") && w !== cmd.words))) w = w.slice(1);
  return { name: base(w[0]), args: w.slice(1) };
}

function hostOf(text: string): string | undefined {
  const m = /\b(?:https?|ftp):\/\/([^/\s"'`:@]+(?::\d+)?)(?=[/\s"'`]|$)/i.exec(text) ?? /\b(?:https?|ftp):\/\/[^@\s/]*@([^/\s"'`:]+)/i.exec(text);
  return m?.[1];
}

/** Files a download command writes: `-o f`, `-O f`, `--output f`, `wget URL` (its last path part). */
function downloadedFiles(name: string, args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === "-o" || a === "-O" || a === "--output" || a === "--output-document") && args[i + 1] && args[i + 1] !== "-") out.push(args[i + 1]!);
    else if (/^--output(?:-document)?=/.test(a)) out.push(a.slice(a.indexOf("=") + 1));
    else if (name === "wget" && /^https?:\/\//.test(a)) out.push(a.replace(/[?#].*$/, "").replace(/\/+$/, "").replace(/^.*\//, ""));
    else if (name === "curl" && (a === "-O" || a === "--remote-name")) {
      const url = args.find((x) => /^https?:\/\//.test(x));
      if (url) out.push(url.replace(/[?#].*$/, "").replace(/^.*\//, ""));
    }
  }
  return out.filter(Boolean).map((f) => f.replace(/^\.\//, ""));
}

/** Shell risks in one shell script or command line (`line` = its first line in the cell). */
function scanShell(script: string, firstLine: number, escape: string, downloaded: Map<string, string>, out: ShellRisk[]): void {
  script.split("\n").forEach((text, k) => {
    const line = firstLine + k;
    const host = hostOf(text);
    const sub = /\b((?:ba|z|da|k)?sh|python3?|perl|source)\b[^|;&\n]*?(?:<\(|\$\(|`)\s*(curl|wget)\b/.exec(text);
    if (sub) out.push({ line, how: "substitution", downloader: sub[2]!, interpreter: sub[1]!, ...(host ? { host } : {}), escape });
    const cmds = splitShell(text);
    cmds.forEach((cmd, i) => {
      const { name, args } = exe(cmd);
      if (DOWNLOADERS.has(name)) {
        const next = cmds[i + 1];
        if (cmd.operator === "|" && next && INTERPRETERS.has(exe(next).name)) {
          out.push({ line, how: "pipe", downloader: name, interpreter: exe(next).name, ...(host ? { host } : {}), escape });
        }
        for (const f of downloadedFiles(name, args)) downloaded.set(f, name);
        return;
      }
      if (downloaded.size === 0) return;
      const target = (name === "chmod" ? args.filter((a) => !a.startsWith("-") && !/^[ugoa]*[+=-][rwxX]+$|^\d+$/.test(a)) : INTERPRETERS.has(name) ? args.filter((a) => !a.startsWith("-")).slice(0, 1) : [name === "" ? "" : cmd.words[0]!])
        .map((f) => f.replace(/^\.\//, ""))
        .find((f) => downloaded.has(f));
      if (target) out.push({ line, how: "download-then-run", downloader: downloaded.get(target)!, interpreter: name === "chmod" ? "chmod +x" : INTERPRETERS.has(name) ? name : `./${target}`, escape });
    });
  });
}

/**
 * Risks of one shell command line or script run by Python (`os.system(…)`,
 * `subprocess.run(…, shell=True)`), lines numbered from 1. `downloaded` carries
 * the files earlier commands of the same program fetched (`wget x.sh` then `bash x.sh`).
 */
export function commandLineRisks(script: string, escape: string, downloaded: Map<string, string>): ShellRisk[] {
  const out: ShellRisk[] = [];
  scanShell(script, 1, escape, downloaded, out);
  return out;
}

/**
 * Shell escapes of a code cell that run what they download: `!curl … | sh`,
 * `%%bash` cells that fetch a script and run it, `bash <(curl …)`. Plain
 * downloads (datasets, weights) are not reported. Strings and comments of
 * the Python code are not shell: only IPython escapes are read.
 */
export function shellRisks(source: string): ShellRisk[] {
  const out: ShellRisk[] = [];
  const split = splitMagics(source);
  // Files fetched by one escape and run by a later one of the same cell (`!wget …` then `!bash x.sh`).
  const downloaded = new Map<string, string>();
  for (const m of split.magics) {
    if (m.shell === undefined) continue;
    const escape = m.kind === "shell" ? "!" : m.kind === "cell-magic" ? `%%${m.name}` : `%${m.name}`;
    scanShell(m.shell, m.kind === "cell-magic" ? m.line + 1 : m.line, escape, downloaded, out);
  }
  return out;
}
