import type { AnalyzerContext, ByteSource } from "@modelward/core";
import { checkKerasConfig, type ConfigSummary } from "./config-check.js";
import { parsePythonJson } from "./python-json.js";
import { RULES } from "./rules.js";

// Configs of the largest Keras models are a few MB; beyond this it is not a config Keras wrote.
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/**
 * Reads a whole JSON config (bounded), parses it as Python's json does and
 * checks it. A config that is too large, not UTF-8 or not JSON is a finding
 * and an incomplete analysis: never a pass.
 */
export async function checkConfigSource(source: ByteSource, ctx: AnalyzerContext<unknown>, where: string): Promise<ConfigSummary | undefined> {
  const limit = Math.min(MAX_CONFIG_BYTES, ctx.limits.maxReadBytes);
  if (source.size > limit) {
    ctx.report({ ruleId: RULES.malformedConfig.id, message: `${where} is ${source.size} bytes, over the ${limit}-byte bound for a Keras config; it was not checked`, evidence: { size: source.size, limit } });
    ctx.incomplete(`${where} not checked: larger than ${limit} bytes`);
    return undefined;
  }
  const bytes = await source.read(0, source.size);
  return checkConfigText(bytes, ctx, where);
}

/** Same as {@link checkConfigSource} for bytes already read (HDF5 attributes, protobuf strings). */
export async function checkConfigText(bytes: Uint8Array | string, ctx: AnalyzerContext<unknown>, where: string, pointerBase = ""): Promise<ConfigSummary | undefined> {
  let text: string;
  if (typeof bytes === "string") text = bytes;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      ctx.report({ ruleId: RULES.malformedConfig.id, message: `${where} is not valid UTF-8: Keras' json.loads refuses it, other readers may not`, evidence: { size: bytes.length } });
      text = new TextDecoder("utf-8").decode(bytes);
    }
  }
  const parsed = parsePythonJson(text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) {
    ctx.report({ ruleId: RULES.malformedConfig.id, message: `${where} is not valid JSON (${parsed.error}); it was not checked`, evidence: { error: parsed.error.slice(0, 200) } });
    ctx.incomplete(`${where} not checked: not valid JSON`);
    return undefined;
  }
  return checkKerasConfig(parsed.value, ctx, where, pointerBase);
}
