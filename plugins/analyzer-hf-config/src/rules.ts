import type { RuleMeta, Taxonomy } from "@modelward/core";
import { templateRules } from "@modelward/jinja-audit";

// Crosswalk of docs/peers-and-threats.md §3.5 (N3: config RCE) and §7.
const REMOTE_CODE: Taxonomy = { cwe: ["CWE-94", "CWE-829"], atlas: ["AML.T0010.003", "AML.T0011.000"], owasp: ["LLM03:2025"] };
const SPOOF: Taxonomy = { cwe: ["CWE-1007", "CWE-345"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const CODE_STRING: Taxonomy = { cwe: ["CWE-94", "CWE-78"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const URL: Taxonomy = { cwe: ["CWE-829"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const SECRET: Taxonomy = { cwe: ["CWE-798"], atlas: ["AML.T0055"], owasp: ["LLM02:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const TRUST_REMOTE_CODE = "https://huggingface.co/docs/transformers/custom_models";
const NOAUTOLOAD = "https://jfrog.com/blog/data-scientists-targeted-by-malicious-hugging-face-ml-models-with-silent-backdoor/";
const TYPOSQUAT = "https://cwe.mitre.org/data/definitions/1007.html";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `hf/${id}`, ...r };
}

/** Every rule the Hugging Face metadata analyzers report. */
export const RULES = {
  ...templateRules("hf"),
  customCode: rule("custom-code", {
    title: "Config maps Auto classes to Python code shipped with the model",
    description:
      "`auto_map` (or `custom_pipelines`) names modules of the repository that `from_pretrained(..., trust_remote_code=True)` imports and runs. The file is listed so its code gets reviewed: it runs with the user's privileges at load time.",
    remediation: "Review the named `.py` files before loading with `trust_remote_code=True`, or use a model whose architecture transformers ships.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: REMOTE_CODE,
    references: [TRUST_REMOTE_CODE],
  }),
  customCodeMissing: rule("custom-code-missing", {
    title: "Config maps Auto classes to a Python file the folder does not hold",
    description:
      "`auto_map` (or `custom_pipelines`) names a module that is not beside the config in the scanned folder. With `trust_remote_code=True`, transformers then downloads that file from the Hub repository the model is loaded from (at whatever revision is asked for) and runs it: the code that runs is not the code that was reviewed here. Checked across the scanned folder (a config scanned alone has no siblings to compare).",
    remediation: "Get the whole repository (with its `.py` files) and review them, or do not load with `trust_remote_code=True`.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: REMOTE_CODE,
    references: [TRUST_REMOTE_CODE],
  }),
  remoteCodeReference: rule("remote-code-reference", {
    title: "Config pulls Python code from another repository",
    description:
      "An `auto_map` entry has the `owner/repo--module.Class` form: loading with `trust_remote_code=True` downloads and runs a module from a different repository, which can change after this model was reviewed.",
    remediation: "Do not load with `trust_remote_code=True`. Vendor and review the code, or pin the remote repository to a revision you audited.",
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: REMOTE_CODE,
    references: [TRUST_REMOTE_CODE],
  }),
  namespaceTyposquat: rule("namespace-typosquat", {
    title: "Model claims a namespace that imitates a major publisher",
    description:
      "`_name_or_path`, `base_model` or a similar claim names an organisation one or two edits (or look-alike characters) away from a major publisher (`meta-llama`, `mistralai`, `google`, `Qwen`…). Typosquatted namespaces are how poisoned models pass for official ones.",
    remediation: "Check the claimed namespace letter by letter; get the model from the publisher's own organisation.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: SPOOF,
    references: [TYPOSQUAT],
  }),
  namespaceTrustClaim: rule("namespace-trust-claim", {
    title: "Model claims an 'official' or 'trusted' namespace",
    description:
      "The claimed namespace is made of trust words (`official`, `trusted`, `verified`…) rather than a publisher's name: a common impersonation pattern.",
    remediation: "Confirm who publishes the model; prefer models from a known publisher's organisation.",
    defaultSeverity: "medium",
    category: "integrity",
    confidence: "low",
    taxonomy: SPOOF,
    references: [TYPOSQUAT],
  }),
  codeInValue: rule("code-in-value", {
    title: "Config value carries code or a shell command",
    description:
      "A string value holds Python code (`__import__`, `os.system`, `eval(`…) or a shell command (`curl … | sh`, `rm -rf`, `/dev/tcp`…). Configs are data; code that ends up in them is waiting for a tool that evaluates or templates it.",
    remediation: "Remove the value; find out which tool was meant to run it.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: CODE_STRING,
    references: [NOAUTOLOAD],
  }),
  urlInValue: rule("url-in-value", {
    title: "Config value carries a URL",
    description: "A string value is or contains a URL. Listed so reviewers know where the model's tooling may reach.",
    remediation: "Check that the host is expected (documentation, licence, the publisher's site).",
    defaultSeverity: "low",
    category: "runtime",
    confidence: "low",
    taxonomy: URL,
    references: [NOAUTOLOAD],
  }),
  secretInValue: rule("secret-in-value", {
    title: "Config value looks like a credential",
    description: "A string value has the shape of an API token (OpenAI `sk-`, Hugging Face `hf_`, AWS `AKIA`, GitHub `ghp_`, Slack `xox`).",
    remediation: "Revoke the credential and remove it from the repository and its history.",
    defaultSeverity: "medium",
    category: "secret",
    taxonomy: SECRET,
    references: ["https://cwe.mitre.org/data/definitions/798.html"],
  }),
  malformed: rule("malformed", {
    title: "Config file does not parse",
    description: "A JSON or YAML config (or a model card's front matter) is not valid, so its contents could not be checked; loaders would also reject or misread it.",
    remediation: "Inspect the file; regenerate it with the library that owns it.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: ["https://www.rfc-editor.org/rfc/rfc8259", "https://yaml.org/spec/1.2.2/"],
  }),
} satisfies Record<string, RuleMeta>;

export const ALL_RULES: RuleMeta[] = Object.values(RULES);
