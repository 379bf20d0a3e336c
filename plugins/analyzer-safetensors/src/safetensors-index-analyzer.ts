import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { INDEX_RULES } from "./rules.js";
import { parseStrictJson } from "./strict-json.js";

// An index lists one entry per tensor (tens of thousands for the largest models), a few MB of JSON.
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
// Distinct shard files an index may name; real models have tens to a few hundred.
const MAX_SHARDS = 10_000;

/** A shard name that stays in the index's folder: relative, no `..` climbing out, no URL or drive, no NUL. */
export function shardPathProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.includes("\0")) return "contains a NUL byte";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return "is a URL";
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return "is an absolute path";
  let depth = 0;
  for (const segment of name.split(/[\\/]+/)) {
    if (segment === "..") depth--;
    else if (segment !== "." && segment !== "") depth++;
    if (depth < 0) return "climbs out of the model's folder with `..`";
  }
  return undefined;
}

/**
 * `model.safetensors.index.json` (sharded safetensors, as transformers writes it):
 * `weight_map` maps every tensor to the shard file that holds it. transformers opens
 * each shard as `os.path.join(folder, name)`, so every name must be a plain file
 * beside the index; each one is recorded for the engine's scan-level check (it exists
 * in the folder and is itself scanned as safetensors).
 */
export const safetensorsIndexAnalyzer: Analyzer = {
  id: "safetensors-index",
  version: 1,
  description: "Sharded safetensors indexes (`*.safetensors.index.json`): weight_map shard names stay in the folder, exist and are scanned.",
  formats: ["safetensors-index"],
  rules: Object.values(INDEX_RULES),
  match: (file) => file.name.toLowerCase().endsWith(".safetensors.index.json"),
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    ctx.describe({ format: "safetensors-index" });
    const malformed = (message: string, jsonPointer?: string) =>
      ctx.report({ ruleId: INDEX_RULES.indexMalformed.id, message, ...(jsonPointer ? { position: { jsonPointer } } : {}) });
    const limit = Math.min(MAX_INDEX_BYTES, ctx.limits.maxReadBytes);
    if (file.size > limit) {
      ctx.incomplete(`the ${file.size}-byte index was not read (limit ${limit} bytes): its shards were not checked`);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.read(0, file.size));
    } catch {
      malformed("the index is not valid UTF-8: transformers cannot read it");
      return;
    }
    const parsed = parseStrictJson(text);
    if (!parsed.ok) {
      malformed(`the index is not valid JSON: ${parsed.message} at character ${parsed.offset}`);
      return;
    }
    for (const d of parsed.duplicates.slice(0, 20)) malformed(`duplicate key \`${d.key.slice(0, 80)}\` at ${d.pointer}: readers disagree on which shard holds it`, d.pointer);
    const doc = parsed.value;
    // parseStrictJson keeps objects as Maps (so `__proto__` is an ordinary key).
    const map = doc instanceof Map ? doc.get("weight_map") : undefined;
    if (!(map instanceof Map)) {
      malformed("the index has no `weight_map` object: transformers cannot tell which shard holds which tensor");
      return;
    }
    const shards = new Map<string, { first: string; tensors: number }>();
    let tensors = 0;
    for (const [tensor, shard] of map) {
      tensors++;
      const pointer = `/weight_map/${tensor.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (typeof shard !== "string") {
        malformed(`tensor \`${tensor.slice(0, 100)}\` maps to a ${shard === null ? "null" : typeof shard}, not a shard file name`, pointer);
        continue;
      }
      const known = shards.get(shard);
      if (known) {
        known.tensors++;
        continue;
      }
      const problem = shardPathProblem(shard);
      if (problem) {
        ctx.report({
          ruleId: INDEX_RULES.shardEscape.id,
          message: `tensor \`${tensor.slice(0, 100)}\` is read from the shard \`${shard.slice(0, 200)}\`, which ${problem}: the loader joins it to the model's folder and opens it`,
          position: { jsonPointer: pointer },
          evidence: { shard: shard.slice(0, 200), problem },
        });
        shards.set(shard, { first: tensor, tensors: 1 });
        continue;
      }
      if (shards.size >= MAX_SHARDS) {
        ctx.incomplete(`more than ${MAX_SHARDS} shard files; the rest were not checked`);
        break;
      }
      shards.set(shard, { first: tensor, tensors: 1 });
    }
    for (const [shard, { first, tensors: n }] of shards) {
      if (shardPathProblem(shard)) continue;
      ctx.recordReference({
        role: `safetensors shard of ${n} tensor${n === 1 ? "" : "s"} (first: ${first.slice(0, 80)})`,
        path: shard.replace(/\\/g, "/"),
        mustBeAnalysed: true,
        rules: { missing: INDEX_RULES.shardMissing.id, outside: INDEX_RULES.shardEscape.id },
      });
    }
    ctx.describe({ format: "safetensors-index", properties: { tensorCount: tensors, shardCount: shards.size } });
  },
};
