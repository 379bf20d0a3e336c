import { createHash } from "node:crypto";
import type { RuleMeta } from "@modelward/core";
import { githubChecksumValid } from "./github-checksum.js";
import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";
import { contextAround, looksLikePlaceholder } from "./text-checks.js";

/** One provider's token shape: a regex (group 1 = the secret when present) and an optional check of the match. */
interface Pattern {
  rule: RuleMeta;
  kind: string;
  re: RegExp;
  /** Words that must appear near the match (same line ± a few) for it to count. */
  context?: RegExp;
  /** Further judgement: drop (false) or adjust the hit. */
  check?: (value: string, text: string, at: number) => false | Partial<Hit> | undefined;
}

const placeholderPart = (min = 3) => (value: string) => (looksLikePlaceholder(value.replace(/^(hf_|r8_|sk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?|api_org_)/, ""), min) ? false : undefined);

/**
 * A value assigned to a name containing one of `keywords` (`FACEBOOK_APP_SECRET = "…"`, `linkedin_key: …`,
 * `--fb-secret=…`), as gitleaks' semi-generic rules read it: for credentials that have no prefix of their own,
 * the name is the only sign of what they are. Group 1 is the value. The regex is case-insensitive (for the name):
 * a check must test the value's case itself.
 */
function named(keywords: string, value: string): RegExp {
  return new RegExp(String.raw`(?:${keywords})[\w.-]{0,30}?["']?\s{0,3}(?::=|=>|=|:|,)\s{0,3}[rRbBuU]?["'\x60]?(${value})(?![\w.+/=-])`, "gi");
}

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
// The Azure Storage emulator's (Azurite's) account key, published in Microsoft's documentation: known by hash,
// so no credential-shaped literal sits in the source.
const AZURE_EMULATOR_KEY_SHA256 = "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059";
const hasDigitAndLetter = (v: string) => /\d/.test(v) && /[A-Za-z]/.test(v);
/** True when the line before `at` (the name a value is assigned to) says it is a credential, not a profile id or a URL slug. */
const CREDENTIAL_NAME = /(?:key|secret|client|token|api|app|consumer|credential)[\w.-]{0,20}["']?\s{0,3}(?::=|=>|=|:|,)\s{0,3}[rRbBuU]?["'\x60]?$/i;
const nameSaysCredential = (text: string, at: number) => CREDENTIAL_NAME.test(text.slice(Math.max(0, text.lastIndexOf("\n", at - 1) + 1, at - 120), at));

// Token formats from the providers' documentation (see each rule's references).
const PATTERNS: Pattern[] = [
  { rule: RULES.huggingface, kind: "Hugging Face token", re: /\b(hf_[A-Za-z0-9]{30,40})\b/g, check: placeholderPart() },
  { rule: RULES.huggingface, kind: "Hugging Face organisation token", re: /\b(api_org_[A-Za-z0-9]{30,40})\b/g, check: placeholderPart() },
  { rule: RULES.anthropic, kind: "Anthropic API key", re: /\b(sk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{32,200})/g, check: placeholderPart() },
  { rule: RULES.openai, kind: "OpenAI API key", re: /\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})/g, check: placeholderPart() },
  { rule: RULES.openai, kind: "OpenAI API key", re: /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200})/g, check: placeholderPart() },
  { rule: RULES.openai, kind: "OpenAI API key", re: /(?<![\w-])(sk-[A-Za-z0-9]{48})(?![\w-])/g, check: placeholderPart() },
  { rule: RULES.replicate, kind: "Replicate API token", re: /\b(r8_[A-Za-z0-9]{37})\b/g, check: placeholderPart() },
  { rule: RULES.neptune, kind: "Neptune API token", re: /\b(eyJhcGlfYWRkcmVzcyI6[A-Za-z0-9+/=_-]{40,})/g },
  {
    rule: RULES.wandb,
    kind: "Weights & Biases API key",
    re: /(?<![A-Za-z0-9])([a-f0-9]{40})(?![A-Za-z0-9])/g,
    context: /wandb|weights\s*(?:&|and)\s*biases/i,
    check: placeholderPart(2.5),
  },
  { rule: RULES.comet, kind: "Comet API key", re: /(?<![A-Za-z0-9])([A-Za-z0-9]{25})(?![A-Za-z0-9])/g, context: /comet/i, check: placeholderPart(3.5) },
  { rule: RULES.cohere, kind: "Cohere API key", re: /(?<![A-Za-z0-9])([A-Za-z0-9]{40})(?![A-Za-z0-9])/g, context: /cohere|CO_API_KEY/i, check: placeholderPart(3.5) },
  {
    rule: RULES.kaggle,
    kind: "Kaggle API key",
    re: /(?:"key"\s*:\s*"|KAGGLE_KEY\s*[=:]\s*["']?)([a-f0-9]{32})(?![A-Za-z0-9])/g,
    context: /username|KAGGLE_KEY|kaggle/i,
    check: placeholderPart(2.5),
  },
  {
    rule: RULES.github,
    kind: "GitHub token",
    re: /\b(gh[pousr]_[A-Za-z0-9]{36})\b/g,
    check: (value) => {
      if (looksLikePlaceholder(value.slice(4))) return false;
      return githubChecksumValid(value) ? { confidence: "high" } : { severity: "low", confidence: "low", note: "checksum does not match: probably a made-up token" };
    },
  },
  { rule: RULES.github, kind: "GitHub fine-grained token", re: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g, check: placeholderPart() },
  {
    rule: RULES.aws,
    kind: "AWS access key id",
    re: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g,
    check: (value) => (value.endsWith("EXAMPLE") ? { severity: "low", note: "AWS documentation example key" } : looksLikePlaceholder(value.slice(4), 2.5) ? false : { severity: "medium" }),
  },
  { rule: RULES.gcp, kind: "Google API key", re: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g, check: placeholderPart() },
  {
    rule: RULES.gcp,
    kind: "Google API key",
    // Google API keys are exactly 39 characters: a shorter `AIza…` is a truncated or made-up key, reported low.
    re: /\b(AIza[0-9A-Za-z_-]{12,34})(?![0-9A-Za-z_-])/g,
    check: (value) => (looksLikePlaceholder(value.slice(4)) ? false : { severity: "low", confidence: "low", note: `${value.length} characters where a Google API key has 39: truncated or made up` }),
  },
  { rule: RULES.gcp, kind: "Google OAuth client secret", re: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/g, check: (v) => (looksLikePlaceholder(v.slice(7)) ? false : undefined) },
  { rule: RULES.gcp, kind: "Google OAuth access token", re: /\b(ya29\.[A-Za-z0-9_-]{50,2048})(?![A-Za-z0-9_-])/g, check: (v) => (looksLikePlaceholder(v.slice(5)) ? false : undefined) },
  { rule: RULES.azure, kind: "Azure storage account key", re: /AccountKey=([A-Za-z0-9+/]{86}==)/g, check: azureKeyCheck },
  // A bare 64-byte storage key (86 base64 characters and `==`) assigned to an Azure or storage name.
  { rule: RULES.azure, kind: "Azure storage account key", re: named(String.raw`azure|storage|account[_-]?key`, "[A-Za-z0-9+/]{86}=="), check: azureKeyCheck },
  // Meta: app secrets are 32 hex characters under a Facebook name; user, page and system-user tokens start `EAA`;
  // app tokens are the app id, `|`, then the secret or a 27-character hash.
  { rule: RULES.facebook, kind: "Facebook app secret", re: named(String.raw`facebook|(?<![A-Za-z])fb(?=[_.-]?(?:app|client|secret|api|key|token))`, "[a-f0-9]{32}"), check: (v) => (/^[a-f0-9]+$/.test(v) && !looksLikePlaceholder(v) ? undefined : false) },
  { rule: RULES.facebook, kind: "Facebook access token", re: /\b(EAA[A-Za-z0-9]{90,400})\b/g, check: (v) => (hasDigitAndLetter(v.slice(3)) && /[a-z]/.test(v) && /[A-Z]/.test(v.slice(4)) && !looksLikePlaceholder(v.slice(3), 4) ? undefined : false) },
  { rule: RULES.facebook, kind: "Facebook app access token", re: /\b(\d{15,16}(?:\||%7C)[A-Za-z0-9_-]{27,32})(?![A-Za-z0-9_-])/g, context: /facebook|graph\.facebook|\bfb|access_token/i, check: (v) => (looksLikePlaceholder(v.replace(/^\d+(?:\||%7C)/, ""), 3) ? false : undefined) },
  // LinkedIn: the API key (client id) is 14 lowercase letters and digits, the secret key 16 letters and digits.
  {
    rule: RULES.linkedin,
    kind: "LinkedIn API key (client id)",
    re: named(String.raw`linked[_-]?in`, "[a-z0-9]{14}"),
    check: (v, text, at) => (!/^[a-z0-9]+$/.test(v) || !hasDigitAndLetter(v) || !nameSaysCredential(text, at) || looksLikePlaceholder(v, 2) ? false : { severity: "medium", note: "a client id identifies the app (it appears in sign-in URLs); its secret is the 16-character key" }),
  },
  { rule: RULES.linkedin, kind: "LinkedIn secret key", re: named(String.raw`linked[_-]?in`, "[A-Za-z0-9]{16}"), check: (v, text, at) => (!hasDigitAndLetter(v) || !nameSaysCredential(text, at) || looksLikePlaceholder(v, 2.5) ? false : undefined) },
  {
    rule: RULES.connectionString,
    kind: "connection string with a password",
    re: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|snowflake|clickhouse|mlflow|databricks)(?:\+[a-z0-9]+)?:\/\/[^:\s/@'"]{1,128}:([^@\s'"/]{1,256})@[^\s'"]{1,512}/gi,
    check: (value) => (looksLikePlaceholder(value, 1.5) || /^\$|^%|^\{/.test(value) ? false : undefined),
  },
];

function azureKeyCheck(value: string): false | Partial<Hit> | undefined {
  if (sha256(value) === AZURE_EMULATOR_KEY_SHA256) return { severity: "low", note: "the Azure Storage emulator's published well-known key" };
  return looksLikePlaceholder(value) ? false : undefined;
}

/**
 * Credentials of the providers Modelward knows (ML platforms and the common
 * clouds) in one text. Each hit's `value` is the secret part of the match.
 */
export function providerSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const value = m[1] ?? m[0];
      const start = m.index + m[0].indexOf(value);
      if (p.context && !p.context.test(contextAround(text, start))) continue;
      const verdict = p.check?.(value, text, start);
      if (verdict === false) continue;
      hits.push({ rule: p.rule, kind: p.kind, start, end: start + value.length, value, detector: "modelward", ...(verdict ?? {}) });
      if (hits.length > 10_000) return hits;
    }
  }
  return hits;
}
