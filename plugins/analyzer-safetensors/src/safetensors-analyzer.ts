import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { auditTemplate, reportTemplateAudit } from "@modelward/jinja-audit";
import { ValueAudit, metadataRuleIds, windowSource } from "@modelward/plugin-kit";
import { MAX_HEADER_SIZE } from "./dtypes.js";
import { validateHeader, type ValidatedHeader } from "./header-validation.js";
import { ALL_RULES, RULES } from "./rules.js";
import { parseStrictJson } from "./strict-json.js";

const RULE_OF = { overflow: RULES.headerOverflow.id, "out-of-bounds": RULES.tensorOutOfBounds.id, malformed: RULES.malformed.id } as const;

/** `__metadata__["format"]` as safetensors' own bindings write it, to the framework name. */
const FRAMEWORKS: Record<string, string> = { pt: "pytorch", tf: "tensorflow", flax: "flax", np: "numpy", mlx: "mlx", paddle: "paddle" };

/** u64 little-endian header length that fits the file, then `{`: the layout without relying on the name. */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10 || head[8] !== 0x7b) return false;
  const n = new DataView(head.buffer, head.byteOffset, head.byteLength).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(size - 8);
}

function describe(h: ValidatedHeader, headerLength: number, ctx: Pick<AnalyzerContext, "describe">): void {
  const props: Record<string, string | number | boolean> = { tensorCount: h.tensors.length, headerBytes: headerLength };
  let params = 0n;
  let known = true;
  const dtypes = new Set<string>();
  for (const t of h.tensors) {
    if (t.elements === undefined) known = false;
    else params += t.elements;
    dtypes.add(t.dtype);
  }
  if (known && h.tensors.length > 0 && params <= BigInt(Number.MAX_SAFE_INTEGER)) props.parameterCount = Number(params);
  if (dtypes.size > 0) props.dtypes = [...dtypes].sort().join(",");
  const meta = new Map(h.metadata);
  const format = meta.get("format");
  const framework = format === undefined ? undefined : FRAMEWORKS[format];
  for (const key of ["format", "license", "model_name", "name", "architecture", "quantization"]) {
    const v = meta.get(key);
    if (v !== undefined && v.length <= 200) props[key === "format" ? "metadataFormat" : key] = v;
  }
  ctx.describe(framework ? { format: "safetensors", framework, properties: props } : { format: "safetensors", properties: props });
}

/** Chat templates and other Jinja in metadata are parsed; every other value is checked for code, commands, URLs, credentials. */
function auditMetadata(metadata: Array<[string, string]>, ctx: AnalyzerContext): void {
  const values = new ValueAudit(ctx, metadataRuleIds(RULES));
  for (const [key, value] of metadata) {
    const jsonPointer = `/__metadata__/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const label = `__metadata__ key \`${key.slice(0, 80)}\``;
    if (/chat_template/i.test(key) || /\{%[\s\S]*%\}|\{\{[\s\S]*\}\}/.test(value)) {
      reportTemplateAudit(ctx, auditTemplate(value), RULES, { label, jsonPointer });
    } else values.check(value, { label, jsonPointer });
  }
  values.flush();
}

/**
 * safetensors: the 8-byte length, the JSON header and nothing else. The
 * header is validated as the reference loader validates it, every violation a
 * finding; tensor data is never read. Bytes after the last tensor (where a
 * polyglot hides a zip or a pickle) are handed back to the engine.
 */
export const safetensorsAnalyzer: Analyzer = {
  id: "safetensors",
  version: 1,
  description: "safetensors headers validated like the reference loader (length, UTF-8 JSON, dtypes, shapes, offsets tiling the data) without reading tensor data; __metadata__ audited.",
  formats: ["safetensors"],
  rules: ALL_RULES,
  match: (file, head) => looksLikeSafetensors(head, file.size) || file.extension === "safetensors",
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const report = (kind: keyof typeof RULE_OF, message: string, position: { byteOffset?: number; jsonPointer?: string } = {}) =>
      ctx.report({ ruleId: RULE_OF[kind], message, position, evidence: { kind } });
    if (file.size < 8) {
      report("malformed", `the file has ${file.size} bytes, fewer than the 8-byte header length`);
      ctx.describe({ format: "safetensors" });
      return;
    }
    const lengthBytes = await file.read(0, 8);
    const n = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
    const size = BigInt(file.size);
    if (n > size - 8n) {
      report("overflow", `the header length says ${n} bytes but only ${size - 8n} follow it: a loader that allocates the declared length first exhausts memory, and the file is truncated or crafted`, { byteOffset: 0 });
      ctx.describe({ format: "safetensors" });
      return;
    }
    if (n < 2n) {
      report("malformed", `the header length is ${n}: no JSON object fits`, { byteOffset: 0 });
      ctx.describe({ format: "safetensors" });
      return;
    }
    const limit = Math.min(MAX_HEADER_SIZE, ctx.limits.maxReadBytes);
    if (n > BigInt(MAX_HEADER_SIZE)) report("malformed", `the header is ${n} bytes, over the reference loader's ${MAX_HEADER_SIZE}-byte limit (HeaderTooLarge): it refuses the file, other readers may not`, { byteOffset: 0 });
    if (n > BigInt(limit)) {
      ctx.describe({ format: "safetensors" });
      ctx.incomplete(`the ${n}-byte header was not read (limit ${limit} bytes)`);
      return;
    }
    const headerLength = Number(n);
    const raw = await file.read(8, 8 + headerLength);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    } catch {
      report("malformed", "the header is not valid UTF-8: the reference loader refuses the file", { byteOffset: 8 });
      ctx.describe({ format: "safetensors" });
      return;
    }
    if (!text.startsWith("{")) report("malformed", "the header does not start with `{` (InvalidHeaderStart): the reference loader refuses the file", { byteOffset: 8 });
    const parsed = parseStrictJson(text);
    if (!parsed.ok) {
      report("malformed", `the header is not valid JSON: ${parsed.message} at header character ${parsed.offset}`, { byteOffset: 8 });
      ctx.describe({ format: "safetensors" });
      return;
    }
    for (const d of parsed.duplicates.slice(0, 20)) {
      report("malformed", `duplicate key \`${d.key.slice(0, 80)}\` at ${d.pointer}: readers disagree on which value counts (serde and Python keep the last, others the first), so what is reviewed may not be what is loaded`, { jsonPointer: d.pointer });
    }
    const dataSize = size - 8n - n;
    const h = validateHeader(parsed.value, dataSize);
    describe(h, headerLength, ctx);
    for (const p of h.problems) report(p.kind, p.message, p.jsonPointer === undefined ? { byteOffset: 8 } : { jsonPointer: p.jsonPointer });
    auditMetadata(h.metadata, ctx);
    if (h.dataEnd < dataSize) {
      const at = 8 + headerLength + Number(h.dataEnd);
      await ctx.scanNested({ ...windowSource(file, at, file.size - at), name: "trailing-bytes", key: `safetensors-trailing@${at}` });
    }
  },
};
