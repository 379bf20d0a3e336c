import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { checkMetadata } from "./metadata-checks.js";
import { describeConfig } from "./describe.js";
import { firstSignificantByte, headHas, looksLikeText, readText } from "./read-text.js";
import { ALL_RULES, RULES } from "./rules.js";

// tokenizer_config.json files with large vocabularies of added tokens reach a few MB; 64 MB is far past any real one.
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Hugging Face JSON metadata: `config.json`, `tokenizer_config.json`,
 * `generation_config.json`, `processor_config.json`, `chat_template.json`,
 * any `*config*.json`, and JSON whose head names a `chat_template` or `auto_map`.
 */
export const jsonConfigAnalyzer: Analyzer = {
  id: "hf-config",
  version: 1,
  description: "Hugging Face JSON configs: chat templates, auto_map custom code, namespace claims, code/URLs/credentials in values.",
  formats: ["json"],
  rules: ALL_RULES,
  match(file, head) {
    if (file.extension !== "json" || firstSignificantByte(head) !== 0x7b || !looksLikeText(head)) return false;
    const name = file.name.toLowerCase();
    return name.includes("config") || name === "chat_template.json" || headHas(head, '"chat_template"') || headHas(head, '"auto_map"');
  },
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    ctx.describe({ format: "json" });
    const text = await readText(file, ctx, MAX_JSON_BYTES);
    if (text === undefined) return;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} is not valid JSON (${e instanceof Error ? e.message : String(e)}); its contents were not checked` });
      return;
    }
    describeConfig(doc, ctx);
    checkMetadata(doc, ctx, file.name);
  },
};
