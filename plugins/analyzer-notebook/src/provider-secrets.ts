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
  { rule: RULES.azure, kind: "Azure storage account key", re: /AccountKey=([A-Za-z0-9+/]{86}==)/g, check: placeholderPart() },
  {
    rule: RULES.connectionString,
    kind: "connection string with a password",
    re: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|snowflake|clickhouse|mlflow|databricks)(?:\+[a-z0-9]+)?:\/\/[^:\s/@'"]{1,128}:([^@\s'"/]{1,256})@[^\s'"]{1,512}/gi,
    check: (value) => (looksLikePlaceholder(value, 1.5) || /^\$|^%|^\{/.test(value) ? false : undefined),
  },
];

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
