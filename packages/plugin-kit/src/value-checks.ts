import type { AnalyzerContext, RuleMeta } from "@modelward/core";

/**
 * What string values of metadata say (configs, safetensors `__metadata__`,
 * GGUF and ONNX metadata): code, shell commands, URLs, credentials.
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

/** Rule ids a {@link ValueAudit} reports under (each analyzer has its own namespace). */
export interface ValueRuleIds {
  code: string;
  secret: string;
  url: string;
}

/** Where a value sits: a label for messages and an optional position. */
export interface ValueWhere {
  /** `tokenizer_config.json: /foo`, `__metadata__ key "x"`, `GGUF key general.url`. */
  label: string;
  jsonPointer?: string;
  byteOffset?: number;
}

/**
 * Reports what string values carry: one finding per code/shell/credential hit,
 * and URLs folded by host (one finding per host with a count), since a model
 * card can link the same site dozens of times. Call {@link check} per value,
 * then {@link flush} once.
 */
export class ValueAudit {
  private readonly urlHosts = new Map<string, { where: ValueWhere; excerpt: string; count: number }>();

  constructor(
    private readonly ctx: Pick<AnalyzerContext, "report">,
    private readonly rules: ValueRuleIds,
  ) {}

  check(value: string, where: ValueWhere): void {
    for (const hit of checkValue(value)) {
      if (hit.kind === "url") {
        const seen = this.urlHosts.get(hit.what);
        if (seen) seen.count++;
        else this.urlHosts.set(hit.what, { where, excerpt: hit.excerpt, count: 1 });
        continue;
      }
      this.ctx.report({
        ruleId: hit.kind === "secret" ? this.rules.secret : this.rules.code,
        message: `${where.label} holds ${hit.kind === "secret" ? "a credential" : hit.kind === "shell" ? "a shell command" : "Python code"} (${hit.what}): \`${hit.excerpt}\``,
        position: positionOf(where),
        evidence: { kind: hit.kind, pattern: hit.what },
      });
    }
  }

  flush(): void {
    for (const [host, u] of this.urlHosts) {
      this.ctx.report({
        ruleId: this.rules.url,
        message: `${u.where.label} points to ${host} (\`${u.excerpt}\`)${u.count > 1 ? `, and ${u.count - 1} more value(s) to the same host` : ""}`,
        position: positionOf(u.where),
        evidence: { host, count: u.count },
      });
    }
    this.urlHosts.clear();
  }
}

function positionOf(where: ValueWhere): { jsonPointer?: string; byteOffset?: number } {
  const p: { jsonPointer?: string; byteOffset?: number } = {};
  if (where.jsonPointer !== undefined) p.jsonPointer = where.jsonPointer;
  if (where.byteOffset !== undefined) p.byteOffset = where.byteOffset;
  return p;
}

/** The three metadata-value rules of one analyzer namespace (`<ns>/code-in-metadata` …). */
export interface MetadataValueRules {
  codeInMetadata: RuleMeta;
  urlInMetadata: RuleMeta;
  secretInMetadata: RuleMeta;
}

/**
 * Rules for what metadata string values carry, under `namespace`, for a
 * format whose metadata `where` describes (`safetensors \`__metadata__\``,
 * `ONNX \`metadata_props\` or \`doc_string\``). Each analyzer declares its
 * own copy, since rule ids carry the analyzer's namespace.
 */
export function metadataValueRules(namespace: string, format: string, where: string, references: string[]): MetadataValueRules {
  const taxonomy = (cwe: string[], atlas: string, owasp: string) => ({ cwe, atlas: [atlas], owasp: [owasp] });
  return {
    codeInMetadata: {
      id: `${namespace}/code-in-metadata`,
      title: `${format} metadata carries code or a shell command`,
      description: `A ${where} value holds Python code (\`__import__\`, \`os.system\`, \`eval(\`…) or a shell command (\`curl … | sh\`, \`rm -rf\`…). The format never runs its metadata, but tools that read it (training scripts, UIs, converters) may evaluate or template it; code has no reason to be there.`,
      remediation: "Remove the value; find out which tool was meant to run it.",
      defaultSeverity: "high",
      category: "runtime",
      taxonomy: taxonomy(["CWE-94", "CWE-78"], "AML.T0010.003", "LLM03:2025"),
      references,
    },
    urlInMetadata: {
      id: `${namespace}/url-in-metadata`,
      title: `${format} metadata carries a URL`,
      description: `A ${where} value is or contains a URL. Listed so reviewers know where the model's tooling may reach.`,
      remediation: "Check that the host is expected (documentation, licence, the publisher's site).",
      defaultSeverity: "low",
      category: "runtime",
      confidence: "low",
      taxonomy: taxonomy(["CWE-829"], "AML.T0010.003", "LLM03:2025"),
      references,
    },
    secretInMetadata: {
      id: `${namespace}/secret-in-metadata`,
      title: `${format} metadata looks like a credential`,
      description: `A ${where} value has the shape of an API token (OpenAI \`sk-\`, Hugging Face \`hf_\`, AWS \`AKIA\`, GitHub \`ghp_\`, Slack \`xox\`).`,
      remediation: "Revoke the credential and publish the model without it.",
      defaultSeverity: "medium",
      category: "secret",
      taxonomy: taxonomy(["CWE-798"], "AML.T0055", "LLM02:2025"),
      references: ["https://cwe.mitre.org/data/definitions/798.html"],
    },
  };
}

/** The rule ids a {@link ValueAudit} needs, from {@link metadataValueRules}. */
export function metadataRuleIds(rules: MetadataValueRules): ValueRuleIds {
  return { code: rules.codeInMetadata.id, secret: rules.secretInMetadata.id, url: rules.urlInMetadata.id };
}
