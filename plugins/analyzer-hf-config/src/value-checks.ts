/**
 * What string values of a config say: code, shell commands, URLs, credentials.
 * Configs are data, so these patterns over values (never over templates,
 * which are parsed) are the check: each pattern is a construct with no place
 * in model metadata.
 */

const CODE_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/__import__\s*\(/, "__import__("],
  [/\b(?:os|posix|nt)\s*\.\s*(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?)\s*\(/, "os.system/popen/exec"],
  [/\bsubprocess\s*\.\s*(?:run|call|Popen|check_output|check_call|getoutput)\b/, "subprocess"],
  [/\b(?:eval|exec)\s*\(\s*['"a-zA-Z_(]/, "eval/exec("],
  [/\bimport\s+(?:os|subprocess|socket|pty|sys|shutil|ctypes)\b/, "import of os/subprocess/socket"],
  [/__(?:builtins|globals|subclasses|class|mro|bases)__/, "Python dunder access"],
  [/\b(?:pickle|marshal|dill)\s*\.\s*loads?\s*\(/, "pickle.loads"],
  [/\bbase64\s*\.\s*b64decode\s*\(/, "base64.b64decode("],
];

const SHELL_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:curl|wget)\b[^|;\n]*\|\s*(?:ba|z|da)?sh\b/, "download piped into a shell"],
  [/\brm\s+-[a-zA-Z]*[rf][a-zA-Z]*\s+(?:\/|~|\*|\$HOME)/, "rm -rf"],
  [/\b(?:ba)?sh\s+-c\s/, "sh -c"],
  [/\/bin\/(?:ba)?sh\b/, "/bin/sh"],
  [/\/dev\/tcp\//, "/dev/tcp reverse shell"],
  [/\bnc(?:at)?\s+(?:-[a-z]*e|.*\s-e\s)/, "netcat -e"],
  [/\bmkfifo\b/, "mkfifo"],
  [/\bpowershell(?:\.exe)?\s+-/i, "powershell"],
  [/\bchmod\s+\+?[0-7]*x\b/, "chmod +x"],
];

const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}/, "OpenAI-style key (sk-)"],
  [/\bhf_[A-Za-z0-9]{30,}/, "Hugging Face token (hf_)"],
  [/\bAKIA[0-9A-Z]{16}\b/, "AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}/, "GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "Slack token"],
];

const URL_PATTERN = /\b(?:https?|ftp|wss?):\/\/([^\s/'"<>)]+)[^\s'"<>)]*/i;

/** One thing a value says. */
export interface ValueHit {
  kind: "code" | "shell" | "secret" | "url";
  /** Which pattern (`os.system/popen/exec`, `download piped into a shell`, the URL's host). */
  what: string;
  /** The matching part, shortened. */
  excerpt: string;
}

function excerpt(s: string, at: number): string {
  const start = Math.max(0, at - 20);
  const text = s.slice(start, start + 100).replace(/\s+/g, " ");
  return (start > 0 ? "…" : "") + text + (s.length > start + 100 ? "…" : "");
}

/** Every kind of hit a string value has (at most one per kind). */
export function checkValue(value: string): ValueHit[] {
  const hits: ValueHit[] = [];
  for (const [list, kind] of [[CODE_PATTERNS, "code"], [SHELL_PATTERNS, "shell"], [SECRET_PATTERNS, "secret"]] as const) {
    for (const [re, what] of list) {
      const m = re.exec(value);
      if (m) {
        hits.push({ kind, what, excerpt: kind === "secret" ? `${m[0].slice(0, 6)}…` : excerpt(value, m.index) });
        break;
      }
    }
  }
  const url = URL_PATTERN.exec(value);
  if (url) hits.push({ kind: "url", what: (url[1] as string).toLowerCase(), excerpt: url[0].slice(0, 120) });
  return hits;
}
