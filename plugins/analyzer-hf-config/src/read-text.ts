import type { AnalyzerContext, ModelFile } from "@modelward/core";

/**
 * The whole file as UTF-8 text when it is at most `maxBytes` (and within the
 * engine's read limit); otherwise undefined, with the analysis marked incomplete.
 */
export async function readText(file: ModelFile, ctx: Pick<AnalyzerContext, "incomplete" | "limits">, maxBytes: number): Promise<string | undefined> {
  const cap = Math.min(maxBytes, ctx.limits.maxReadBytes);
  if (file.size > cap) {
    ctx.incomplete(`${file.name} has ${file.size} bytes, more than the ${cap} read for a text config; not checked`);
    return undefined;
  }
  const bytes = await file.read(0, file.size);
  return new TextDecoder("utf-8").decode(bytes);
}

/** True when the first bytes are text (no NUL, few control characters). */
export function looksLikeText(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control <= head.length / 100;
}

/** First byte that is not JSON whitespace (skipping a UTF-8 BOM), or -1. */
export function firstSignificantByte(head: Uint8Array): number {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (; i < head.length; i++) {
    const b = head[i] as number;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return -1;
}

/** Does the head contain this ASCII text? */
export function headHas(head: Uint8Array, text: string): boolean {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes(text, 0, "latin1");
}
