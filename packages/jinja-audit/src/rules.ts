import type { AnalyzerContext, RuleMeta, Taxonomy } from "@modelward/core";
import type { TemplateAudit, TemplateIssueKind } from "./types.js";

// CWE-1336: template-engine injection; the template runs as code when a model is used (inference time).
const SSTI: Taxonomy = { cwe: ["CWE-1336", "CWE-94"], atlas: ["AML.T0010.003", "AML.T0011.000"], owasp: ["LLM03:2025"] };
const UNREAD: Taxonomy = { cwe: ["CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const LLAMA_DRAMA = "https://github.com/abetlen/llama-cpp-python/security/advisories/GHSA-56xg-wfcc-g829";
const JFROG_SSTI = "https://jfrog.com/blog/genai-security-malicious-ml-model-chat-template-ssti/";
const SANDBOX = "https://jinja.palletsprojects.com/en/stable/sandbox/";
const HF_TEMPLATES = "https://huggingface.co/docs/transformers/chat_templating";

/** The four template rules of one analyzer namespace. */
export interface TemplateRules {
  sandboxEscape: RuleMeta;
  codeName: RuleMeta;
  unparsable: RuleMeta;
  unknownCall: RuleMeta;
}

/**
 * The template rules under `namespace` (`gguf/template-sandbox-escape`,
 * `hf/template-sandbox-escape` …): each analyzer that audits templates
 * declares its own copy, since rule ids carry the analyzer's namespace.
 */
export function templateRules(namespace: string): TemplateRules {
  return {
    sandboxEscape: {
      id: `${namespace}/template-sandbox-escape`,
      title: "Chat template reaches Python internals (SSTI)",
      description:
        "The Jinja template reads dunder attributes (`__class__`, `__globals__`, `__subclasses__`, `__builtins__`…), private `_` attributes, attributes of Jinja globals (`self`, `cycler`, `joiner`, `lipsum`, `namespace`…), or attributes whose names it computes. These are the steps of a server-side template injection: rendered by an unsandboxed Jinja (llama-cpp-python before 0.2.72, CVE-2024-34359) the template runs shell commands when the model formats a chat.",
      remediation:
        "Do not use this model's chat template. Replace it with the publisher's official template, and render templates only with a sandboxed environment (`jinja2.sandbox.ImmutableSandboxedEnvironment`).",
      defaultSeverity: "critical",
      category: "runtime",
      taxonomy: SSTI,
      references: [LLAMA_DRAMA, JFROG_SSTI, SANDBOX],
    },
    codeName: {
      id: `${namespace}/template-code-name`,
      title: "Chat template names modules or builtins used for code execution",
      description:
        "The template uses names such as `os`, `popen`, `subprocess`, `eval`, `exec` or `__import__`, builds such names with string tricks (`~`, `|join`, `|format`, `%`, `|replace`, reversed slices, `dict(...)|join`), or loads other templates/modules (`{% import %}`, `{% include %}`). Chat templates only format messages; none of these has a benign use there.",
      remediation: "Treat the template as hostile: replace it with the official one and render it in a sandboxed environment.",
      defaultSeverity: "high",
      category: "runtime",
      taxonomy: SSTI,
      references: [LLAMA_DRAMA, JFROG_SSTI],
    },
    unparsable: {
      id: `${namespace}/template-unparsable`,
      title: "Chat template does not parse",
      description:
        "The template is not valid in the Jinja subset chat-template renderers accept (transformers.js, llama.cpp). A full Jinja2 may still render it, so its names were judged from its tokens; an unparsable template is unusual in a published model and hides constructs a sandbox would reject.",
      remediation: "Inspect the template by hand, or replace it with the publisher's official template.",
      defaultSeverity: "medium",
      category: "runtime",
      taxonomy: UNREAD,
      references: [HF_TEMPLATES, "https://github.com/huggingface/huggingface.js/tree/main/packages/jinja"],
    },
    unknownCall: {
      id: `${namespace}/template-unknown-call`,
      title: "Chat template uses a filter, test or method not known to be safe",
      description:
        "Allow-first: a filter, test, method or function outside the ones chat templates use (Jinja's builtins, string and dict methods, `raise_exception`, `strftime_now`…), or a string constant that mentions a dunder name. Usually harmless, listed so a reviewer sees it.",
      remediation: "Check what the name does in the renderer that will use the template.",
      defaultSeverity: "low",
      category: "runtime",
      confidence: "low",
      taxonomy: SSTI,
      references: [HF_TEMPLATES],
    },
  };
}

const RULE_OF: Record<TemplateIssueKind, keyof TemplateRules> = {
  "sandbox-escape": "sandboxEscape",
  "private-attribute": "sandboxEscape",
  "dynamic-attribute": "sandboxEscape",
  "dangerous-name": "codeName",
  "obfuscated-name": "codeName",
  "loading-statement": "codeName",
  unparsable: "unparsable",
  "suspicious-string": "unknownCall",
  "unknown-call": "unknownCall",
};

/** Where a template came from, for messages and positions. */
export interface TemplateOrigin {
  /** Human description: `chat template "tool_use" (tokenizer_config.json)`, `GGUF key tokenizer.chat_template`. */
  label: string;
  /** JSON pointer when the template sits in a JSON document. */
  jsonPointer?: string;
  /** Byte offset of the template in the file, when known. */
  byteOffset?: number;
}

/** Reports every issue of an audit through `ctx`, and an incomplete analysis when part was not audited. */
export function reportTemplateAudit(ctx: Pick<AnalyzerContext, "report" | "incomplete">, audit: TemplateAudit, rules: TemplateRules, origin: TemplateOrigin): void {
  for (const issue of audit.issues) {
    const position: { jsonPointer?: string; byteOffset?: number } = {};
    if (origin.jsonPointer !== undefined) position.jsonPointer = origin.jsonPointer;
    if (origin.byteOffset !== undefined) position.byteOffset = origin.byteOffset;
    ctx.report({
      ruleId: rules[RULE_OF[issue.kind]].id,
      severity: issue.severity,
      message: `${origin.label}: ${issue.message}${issue.occurrences > 1 ? ` (${issue.occurrences} times)` : ""}`,
      position,
      evidence: { kind: issue.kind, name: issue.name, template: origin.label, occurrences: issue.occurrences },
    });
  }
  if (audit.incomplete) ctx.incomplete(`${origin.label}: ${audit.incomplete}`);
}
