import type { AnalyzerContext } from "@modelward/core";
import { bytesSource } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";

// A torch module of a Keras layer is model-sized; the cap only stops a config from
// making us decode more than the engine would read of a file.
const MAX_PAYLOAD_CHARS = 512 * 1024 * 1024;

/**
 * A `TorchModuleWrapper` layer: its `module` holds `torch.save(module)` bytes
 * (a plain string, base64, or a Keras `__bytes__` object). The layer is
 * reported and the decoded bytes are handed to the engine, so the pickle and
 * PyTorch analyzers judge what `torch.load` would run.
 */
export async function checkTorchModuleWrapper(config: unknown, ctx: AnalyzerContext<unknown>, at: string, pointer: string): Promise<void> {
  const c = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  const payload = payloadText(c.module);
  const name = typeof c.name === "string" ? c.name : "";
  const bytes = payload ? decodePayload(payload) : undefined;
  ctx.report({
    ruleId: RULES.embeddedPickle.id,
    message: `${at}: TorchModuleWrapper ${JSON.stringify(name)} runs torch.load on ${bytes ? `${bytes.length} embedded bytes (analyzed as member "${memberName(pointer)}")` : "a module that is not stored as bytes here"} when the model loads`,
    position: { jsonPointer: pointer },
    evidence: { layer: name, payloadBytes: bytes?.length ?? 0 },
  });
  if (!bytes) return;
  if (bytes.length > ctx.limits.maxReadBytes) {
    ctx.incomplete(`${at}: the TorchModuleWrapper payload (${bytes.length} bytes) is larger than maxReadBytes and was not analyzed`);
    return;
  }
  await ctx.scanNested({ ...bytesSource(bytes), name: memberName(pointer) });
}

function memberName(pointer: string): string {
  return `TorchModuleWrapper${pointer || "/"}.pt`;
}

function payloadText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (v.class_name === "__bytes__" && v.config && typeof v.config === "object") {
      const inner = (v.config as Record<string, unknown>).value;
      if (typeof inner === "string") return inner;
    }
  }
  return undefined;
}

function decodePayload(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > MAX_PAYLOAD_CHARS) return undefined;
  const compact = text.replace(/\s/g, "");
  // torch.save output is binary (a zip or a pickle), never base64 text itself; so base64-shaped means encoded.
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) return new Uint8Array(Buffer.from(compact, "base64"));
  // `bytes.decode("latin-1")`-style strings: one char per byte.
  return new Uint8Array(Buffer.from(text, "latin1"));
}
