import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";
import { looksLikePlaceholder } from "./text-checks.js";

// A name that says its value is a secret: it must end with the word (`db_password`, `HF_TOKEN`, `apiKey`).
const SECRET_NAME = String.raw`[A-Za-z_][\w.-]{0,60}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?key|credentials?|client[_-]?secret)`;
// Quoted literal after `=`, `:` or `:=` (Python, JSON, YAML, TOML, INI), with Python string prefixes.
const QUOTED = new RegExp(String.raw`(?<![\w.])(${SECRET_NAME})["']?\s*(?::=|=|:)\s*[rRbBuU]?(["'])([^"'\s\\]{8,256})\2`, "gi");
// os.environ["OPENAI_API_KEY"] = "…" and os.environ.setdefault("…", "…")
const ENVIRON = new RegExp(String.raw`environ(?:\[\s*|\.setdefault\(\s*)["'](${SECRET_NAME})["']\s*(?:\]\s*=|,)\s*(["'])([^"'\s\\]{8,256})\2`, "gi");
// .env / shell / %env lines: NAME=value unquoted.
const UNQUOTED = new RegExp(String.raw`^[ \t]*(?:export[ \t]+|%env[ \t]+|%set_env[ \t]+)?(${SECRET_NAME})[ \t]*=[ \t]*()([^\s'"#]{8,256})[ \t]*\r?$`, "gim");

// Names ending in "token" that hold a tokenizer's special token, not a credential.
const NOT_SECRET_NAME = /(?:^|[_.-])(?:pad|eos|bos|unk|sep|cls|mask|special|start|end|eot|stop|begin|im_start|im_end|sos|next|max|num|n|total|input|output|prompt|completion)[_-]?tokens?$|tokeniz|^(?:token|auth|credential|credentials|secret)$/i;

/**
 * Values assigned to names that say they are secrets, when the value looks
 * like a real credential: quoted or `.env`-style, 8+ characters, mixed
 * characters with enough entropy, not a placeholder, reference, path, URL or model id.
 */
export function assignmentSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const re of [QUOTED, ENVIRON, UNQUOTED]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[1]!;
      const value = m[3]!;
      if (NOT_SECRET_NAME.test(name)) continue;
      if (!plausibleSecret(value)) continue;
      const start = m.index + m[0].lastIndexOf(value);
      hits.push({ rule: RULES.assignment, kind: `value of ${name.length > 40 ? `${name.slice(0, 40)}…` : name}`, start, end: start + value.length, value, detector: "modelward" });
      if (hits.length > 10_000) return hits;
    }
  }
  return hits;
}

function plausibleSecret(value: string): boolean {
  if (/^(?:https?|s3|gs|file):\/\//i.test(value) || value.includes("/") || value.includes("\\")) return false;
  if (/^[a-z]+(?:[-_.][a-z0-9]+)*$/.test(value)) return false; // a word, an identifier or model name
  if (/^\d+(?:\.\d+)*$/.test(value)) return false; // a number or version
  if (/^[A-Z_]+$/.test(value)) return false; // a constant's name
  if (!/\d/.test(value) && !/[A-Z]/.test(value)) return false;
  return !looksLikePlaceholder(value, 3);
}
