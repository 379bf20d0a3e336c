import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { auditTemplate, reportTemplateAudit } from "@modelward/jinja-audit";
import { looksLikeText, readText } from "./read-text.js";
import { ALL_RULES, RULES } from "./rules.js";

const TEMPLATE_EXTENSIONS = new Set(["jinja", "jinja2", "j2", "template"]);
// Templates are short programs; 4 MB is far past any chat template.
const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/** Standalone Jinja templates (`chat_template.jinja`, `*.j2`, `*.template`). There is no magic: the extension decides, text content confirms. */
export const templateFileAnalyzer: Analyzer = {
  id: "chat-template",
  version: 1,
  description: "Standalone Jinja chat templates (.jinja, .j2, .template): parsed and audited, never rendered.",
  formats: ["jinja"],
  rules: ALL_RULES,
  match(file, head) {
    return TEMPLATE_EXTENSIONS.has(file.extension) && looksLikeText(head);
  },
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    ctx.describe({ format: "jinja" });
    const text = await readText(file, ctx, MAX_TEMPLATE_BYTES);
    if (text === undefined) return;
    reportTemplateAudit(ctx, auditTemplate(text), RULES, { label: `template ${file.name}` });
  },
};
