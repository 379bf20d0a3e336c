import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { auditTemplate, reportTemplateAudit } from "@modelward/jinja-audit";
import { ValueAudit, metadataRuleIds } from "@modelward/plugin-kit";
import { parseGguf, type GgufHeader } from "./gguf-parser.js";
import { ALL_RULES, RULES } from "./rules.js";

const RULE_OF = { overflow: RULES.headerOverflow.id, "out-of-bounds": RULES.tensorOutOfBounds.id, malformed: RULES.malformed.id } as const;

function str(h: GgufHeader, key: string): string | undefined {
  const v = h.kvs.find((k) => k.key === key)?.value;
  return typeof v === "string" && v.length <= 200 ? v : undefined;
}

/** Inventory facts: architecture, name, licence, tensor and parameter counts, tensor types. */
function describe(h: GgufHeader, ctx: Pick<AnalyzerContext, "describe">): void {
  const props: Record<string, string | number | boolean> = { ggufVersion: h.version, tensorCount: Number(h.tensorCount), metadataCount: Number(h.kvCount) };
  if (h.bigEndian) props.bigEndian = true;
  const arch = str(h, "general.architecture");
  if (arch) props.architecture = arch;
  const name = str(h, "general.name");
  if (name) props.name = name;
  const license = str(h, "general.license");
  if (license) props.license = license;
  const sizeLabel = str(h, "general.size_label");
  if (sizeLabel) props.sizeLabel = sizeLabel;
  let params = 0n;
  let known = true;
  const byType = new Map<string, number>();
  for (const t of h.tensors) {
    if (t.elements === undefined) known = false;
    else params += t.elements;
    byType.set(t.typeName, (byType.get(t.typeName) ?? 0) + 1);
  }
  if (known && h.tensors.length > 0 && params <= BigInt(Number.MAX_SAFE_INTEGER)) props.parameterCount = Number(params);
  if (byType.size > 0) {
    props.dtypes = [...byType.keys()].sort().join(",");
    // The quantization is the most common tensor type that is not a plain float (norms stay F32 in quantized files).
    const quant = [...byType].filter(([t]) => !["F32", "F16", "BF16", "F64"].includes(t)).sort((a, b) => b[1] - a[1])[0];
    props.quantization = quant ? quant[0] : [...byType].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  }
  ctx.describe({ format: "gguf", framework: "ggml", properties: props });
}

/** Tokenizer vocabularies are data, not text meant for tools: their (kept) items are not audited. */
const VOCABULARY_KEYS = /^tokenizer\.ggml\.(tokens|merges|token_type|scores|added_tokens)$/;

/**
 * Chat templates (and any other value that holds Jinja) are parsed and
 * audited; every other string (and the items of small string arrays such as
 * `general.tags`) is checked for code, shell commands, credentials and URLs.
 */
function auditStrings(h: GgufHeader, ctx: AnalyzerContext): void {
  const values = new ValueAudit(ctx, metadataRuleIds(RULES));
  for (const kv of h.kvs) {
    const label = `GGUF key ${kv.key}`;
    if (typeof kv.value === "string") {
      if (kv.key.includes("chat_template") || /\{%[\s\S]*%\}|\{\{[\s\S]*\}\}/.test(kv.value)) {
        reportTemplateAudit(ctx, auditTemplate(kv.value), RULES, { label, byteOffset: kv.valueOffset });
      } else values.check(kv.value, { label, byteOffset: kv.valueOffset });
    } else if (kv.items && !VOCABULARY_KEYS.test(kv.key)) {
      for (const item of kv.items) if (typeof item === "string") values.check(item, { label, byteOffset: kv.valueOffset });
    }
  }
  values.flush();
}

/**
 * GGUF (llama.cpp, ollama, LM Studio): the header, metadata and tensor infos,
 * never the tensor data. Chat templates in `tokenizer.chat_template*` are
 * audited like any Jinja template.
 */
export const ggufAnalyzer: Analyzer = {
  id: "gguf",
  version: 1,
  description: "GGUF v1–v3 headers (either byte order): counts, lengths, dimensions and offsets checked with BigInt; chat templates audited.",
  formats: ["gguf"],
  rules: ALL_RULES,
  match: (_file, head) => head.length >= 4 && head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46,
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const h = await parseGguf(file, { signal: ctx.signal, maxKeptString: Math.min(16 * 1024 * 1024, ctx.limits.maxReadBytes - 16) });
    describe(h, ctx);
    for (const p of h.problems) {
      ctx.report({ ruleId: RULE_OF[p.kind], message: p.message, position: { byteOffset: p.offset }, evidence: { kind: p.kind } });
    }
    auditStrings(h, ctx);
    for (const u of h.unread) ctx.incomplete(u);
  },
};
