/** What a template audit can find. Each kind maps to one rule of the analyzers that use the audit. */
export type TemplateIssueKind =
  /** Dunder attribute/item access, format-field access, or attributes of a Jinja global: the SSTI climb to `__globals__`. */
  | "sandbox-escape"
  /** `_private` attribute access, which Jinja's sandbox refuses. */
  | "private-attribute"
  /** A module, builtin or method name only code execution needs (`os`, `popen`, `eval`, `__import__`…). */
  | "dangerous-name"
  /** A string built by tricks (`~`, `|join`, `|format`, `%`, `|replace`, reversed slices…) that spells such a name. */
  | "obfuscated-name"
  /** `|attr(x)` with a name that is not a constant. */
  | "dynamic-attribute"
  /** `{% import %}`, `{% include %}`, `{% extends %}`, `{% from %}`: the template pulls other code. */
  | "loading-statement"
  /** The template does not parse (a sandboxed renderer would reject it; the audit fell back to its tokens). */
  | "unparsable"
  /** A plain string constant mentioning a dunder name outside an access. */
  | "suspicious-string"
  /** A filter, test, method or function not known to be safe (allow-first). */
  | "unknown-call";

/** Severity of each kind, on Modelward's scale. */
export const ISSUE_SEVERITY = {
  "sandbox-escape": "critical",
  "private-attribute": "high",
  "dangerous-name": "high",
  "obfuscated-name": "high",
  "dynamic-attribute": "high",
  "loading-statement": "high",
  unparsable: "medium",
  "suspicious-string": "low",
  "unknown-call": "low",
} as const satisfies Record<TemplateIssueKind, "critical" | "high" | "medium" | "low">;

/** One problem in a template. */
export interface TemplateIssue {
  kind: TemplateIssueKind;
  /** Severity; usually {@link ISSUE_SEVERITY}, lowered for weaker forms (e.g. a global's plain attribute). */
  severity: "critical" | "high" | "medium" | "low";
  /** The name or value at stake (`__class__`, `popen`, the folded string). */
  name: string;
  /** Says what and how, with the expression in Jinja syntax. */
  message: string;
  /** How many times the same kind and name occurred. */
  occurrences: number;
}

/** The outcome of {@link auditTemplate}. */
export interface TemplateAudit {
  /** True when the template parsed into an AST (the full audit ran). */
  parsed: boolean;
  /** True when at least the tokens were read (the fallback audit ran). */
  tokenized: boolean;
  /** Why parsing (or tokenizing) failed. */
  error?: string;
  /** Set when part of the template was not examined (size or nesting limit). */
  incomplete?: string;
  /** Problems, most severe first. */
  issues: TemplateIssue[];
}

/** Bounds for one audit. */
export interface TemplateAuditOptions {
  /** Longest template audited, in UTF-16 code units (default 1,000,000). */
  maxChars?: number;
  /** Deepest AST nesting walked (default 400). */
  maxDepth?: number;
}
