import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { parseDocument } from "yaml";
import { describeConfig } from "./describe.js";
import { checkMetadata } from "./metadata-checks.js";
import { headHas, looksLikeText, readText } from "./read-text.js";
import { ALL_RULES, RULES } from "./rules.js";

const MAX_YAML_BYTES = 16 * 1024 * 1024;
// Model cards are mostly prose; only their front matter is metadata.
const MAX_CARD_BYTES = 4 * 1024 * 1024;

/** The YAML between a leading `---` line and the next `---` line, or undefined. */
export function frontMatter(text: string): string | undefined {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? (m[1] as string) : undefined;
}

function isCard(file: { name: string; extension: string }): boolean {
  return file.extension === "md";
}

/** Parses YAML without custom tags and with a bounded alias count (no billion laughs). */
function parseYaml(text: string): { doc?: unknown; error?: string } {
  const d = parseDocument(text, { uniqueKeys: false, schema: "core", customTags: [] });
  if (d.errors.length > 0) return { error: d.errors[0]?.message.split("\n")[0] ?? "invalid YAML" };
  try {
    return { doc: d.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * YAML configs (`*.yaml`/`*.yml` named like configs or carrying a
 * `chat_template`) and model cards (`README.md` front matter): the same
 * metadata checks as the JSON configs.
 */
export const yamlConfigAnalyzer: Analyzer = {
  id: "hf-yaml",
  version: 1,
  description: "YAML configs carrying chat templates and model-card (README.md) front matter: the Hugging Face metadata checks.",
  formats: ["yaml", "model-card"],
  rules: ALL_RULES,
  match(file, head) {
    if (!looksLikeText(head)) return false;
    if (isCard(file)) return /^(?:\uFEFF)?---[ \t]*\r?\n/.test(Buffer.from(head).toString("utf8", 0, Math.min(head.length, 16)));
    if (file.extension !== "yaml" && file.extension !== "yml") return false;
    return file.name.toLowerCase().includes("config") || headHas(head, "chat_template") || headHas(head, "auto_map");
  },
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const card = isCard(file);
    ctx.describe({ format: card ? "model-card" : "yaml" });
    const text = await readText(file, ctx, card ? MAX_CARD_BYTES : MAX_YAML_BYTES);
    if (text === undefined) return;
    const yamlText = card ? frontMatter(text) : text;
    if (yamlText === undefined) {
      if (card) ctx.report({ ruleId: RULES.malformed.id, severity: "low", message: `${file.name} opens a front matter block (---) that is never closed; its metadata was not checked` });
      return;
    }
    const { doc, error } = parseYaml(yamlText);
    if (error !== undefined) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${card ? `the front matter of ${file.name}` : file.name} is not valid YAML (${error}); its contents were not checked` });
      return;
    }
    describeConfig(doc, ctx);
    checkMetadata(doc, ctx, card ? `${file.name} front matter` : file.name);
  },
};
