import type { AnalyzerContext, ModelFile } from "@modelward/core";
import { spanFits, windowSource } from "@modelward/plugin-kit";
import { runPickle } from "@modelward/pickle";
import { LEGACY_PROTOCOL_VERSION, isMagicStream, legacyMagicLength, literalInt, literalStringList, littleEndianOf } from "./legacy-literals.js";
import { RULES } from "./rules.js";
import { countTensors, runTorchPickle, type StorageRef } from "./storage-refs.js";
import type { FormatHandler } from "@modelward/plugin-kit";

// The fixed pickles are a few bytes; the keys pickle is ~20 bytes per storage.
const MAX_LITERAL_STREAM = 64 * 1024 * 1024;
// Extra streams handed to the engine one by one; beyond this the rest is one member.
const MAX_EXTRA_STREAMS = 256;
const ROLES = ["magic number", "protocol version", "sys_info", "object", "storage keys"] as const;

/**
 * Legacy (non-zip) torch files: magic, protocol and sys_info pickles, the
 * object pickle (persistent ids for storages), the storage-keys pickle, then
 * per key an 8-byte element count and the raw storage. Mirrors
 * torch/serialization.py `_legacy_load`; every pickle is handed to the engine
 * as its own member, storages are skipped with bounds checks (never read), and
 * whatever the layout does not explain is reported and analyzed.
 */
export const torchLegacyHandler: FormatHandler = {
  match(file, head) {
    try {
      // The magic pickle alone (as a member this analyzer handed over) is not a legacy file.
      const magic = legacyMagicLength(head);
      return magic > 0 && file.size > magic;
    } catch {
      return false;
    }
  },
  async analyze(file, ctx) {
    await analyzeLegacy(file, ctx);
  },
};

interface Stream {
  start: number;
  end: number;
  complete: boolean;
}

async function nextStream(file: ModelFile, start: number, ctx: AnalyzerContext<unknown>): Promise<Stream | undefined> {
  const r = await runPickle(file, { start, multiStream: false, resync: false, signal: ctx.signal });
  const s = r.streams[0];
  return s ? { start: s.start, end: s.end, complete: s.complete } : undefined;
}

async function analyzeLegacy(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<void> {
  const properties: Record<string, string | number | boolean> = { layout: "legacy" };
  let pos = 0;
  let index = 0;
  let littleEndian = true;
  let storages = new Map<string, StorageRef>();
  let keys: string[] | undefined;
  const hand = async (start: number, end: number): Promise<void> => {
    await ctx.scanNested({ name: `pickle#${index++}@${start}`, ...windowSource(file, start, end - start) });
  };
  const malformed = (message: string, at: number, severity?: "low" | "medium" | "high"): void =>
    ctx.report({ ruleId: RULES.malformedLayout.id, message, position: { byteOffset: at }, evidence: { offset: at }, ...(severity ? { severity } : {}) });

  for (let role = 0; role < ROLES.length; role++) {
    const s = await nextStream(file, pos, ctx);
    if (!s || s.end <= s.start) {
      malformed(`the ${ROLES[role]} pickle expected at byte ${pos} is missing or unreadable`, pos);
      await unexplained(file, ctx, pos, hand);
      return describe(ctx, properties);
    }
    if (role !== 3 && s.end - s.start > MAX_LITERAL_STREAM) {
      await hand(s.start, s.end);
      malformed(`the ${ROLES[role]} pickle at byte ${s.start} is ${s.end - s.start} bytes long, far more than torch writes`, s.start, "high");
      await unexplained(file, ctx, s.end, hand);
      return describe(ctx, properties);
    }
    const literal = role === 3 ? undefined : await file.read(s.start, s.end);
    // The literal magic number is verified byte for byte here: it has nothing else to judge.
    if (role === 0 && isMagicStream(literal!)) index++;
    else await hand(s.start, s.end);
    pos = s.end;
    if (!s.complete) {
      malformed(`the ${ROLES[role]} pickle at byte ${s.start} does not end with STOP: torch.load stops there, after running what came before`, s.start);
      await unexplained(file, ctx, pos, hand);
      return describe(ctx, properties);
    }
    if (role === 0 && !isMagicStream(literal!)) malformed(`the first pickle is not the literal magic number: torch compares its value, so it may be computed at load time`, s.start, "high");
    if (role === 1) {
      const v = literalInt(literal!);
      if (v !== LEGACY_PROTOCOL_VERSION) malformed(`the protocol pickle at byte ${s.start} is not the literal ${LEGACY_PROTOCOL_VERSION}: torch raises "Invalid protocol version" after unpickling it`, s.start);
      else properties.protocolVersion = v;
    }
    if (role === 2) {
      littleEndian = littleEndianOf(literal!) ?? true;
      properties.byteorder = littleEndian ? "little" : "big";
    }
    if (role === 3) {
      const run = await runTorchPickle(file, { legacy: true, start: s.start, end: s.end, signal: ctx.signal });
      storages = run.storages;
      properties.tensors = countTensors(run.result);
      for (const b of run.bad.slice(0, 10)) malformed(`object pickle: ${b.why}: torch's persistent_load raises "Unknown saved id type"`, b.offset);
    }
    if (role === 4) {
      keys = literalStringList(literal!);
      if (!keys) {
        malformed(`the storage-keys pickle at byte ${s.start} is not a list of keys: torch cannot locate the storages, and the bytes after it are not what the layout says`, s.start, "high");
        await unexplained(file, ctx, pos, hand);
        return describe(ctx, properties);
      }
    }
  }

  let elements = 0n;
  properties.storages = keys!.length;
  for (const key of keys!) {
    const ref = storages.get(key);
    const elementSize = ref?.elementSize;
    if (!ref || elementSize === undefined || ref.numel === undefined) {
      malformed(ref ? `storage "${key}" has type ${ref.type}, whose element size is unknown, so its data cannot be skipped` : `storage key "${key}" is not referenced by the object pickle (torch asserts it is)`, pos);
      await unexplained(file, ctx, pos, hand);
      return describe(ctx, properties);
    }
    if (!spanFits(pos, 8, file.size)) {
      malformed(`the file ends before storage "${key}" (expected at byte ${pos})`, pos);
      return describe(ctx, properties);
    }
    const head = await file.read(pos, pos + 8);
    const view = new DataView(head.buffer, head.byteOffset, 8);
    const count = view.getBigInt64(0, littleEndian);
    const nbytes = count * BigInt(elementSize);
    if (count !== ref.numel || count < 0n || !spanFits(BigInt(pos) + 8n, nbytes, file.size)) {
      ctx.report({
        ruleId: count < 0n || !spanFits(BigInt(pos) + 8n, nbytes, file.size) ? RULES.malformedLayout.id : RULES.storageSizeMismatch.id,
        message: `storage "${key}" at byte ${pos} declares ${count} elements; the object pickle says ${ref.numel}${spanFits(BigInt(pos) + 8n, nbytes < 0n ? 0n : nbytes, file.size) ? "" : ", and the data would run past the end of the file"}: torch raises "storage has wrong byte size" or reads short`,
        position: { byteOffset: pos },
        evidence: { key, declared: count.toString(), expected: ref.numel.toString() },
      });
      await unexplained(file, ctx, pos, hand);
      return describe(ctx, properties);
    }
    elements += count;
    pos += 8 + Number(nbytes);
  }
  if (elements <= BigInt(Number.MAX_SAFE_INTEGER)) properties.parameters = Number(elements);
  if (pos < file.size) await trailing(file, ctx, pos, hand);
  describe(ctx, properties);
}

function describe(ctx: AnalyzerContext<unknown>, properties: Record<string, string | number | boolean>): void {
  ctx.describe({ format: "pytorch", framework: "pytorch", properties });
}

/**
 * Bytes after the point where the layout stopped making sense: every pickle
 * stream in them is handed to the engine as its own member and reported as an
 * extra stream; bytes that are no pickle are handed over as one member.
 */
async function unexplained(file: ModelFile, ctx: AnalyzerContext<unknown>, from: number, hand: (s: number, e: number) => Promise<void>): Promise<void> {
  if (from >= file.size) return;
  const r = await runPickle(file, { start: from, multiStream: true, resync: true, signal: ctx.signal });
  // Raw storage bytes decode as short broken "streams"; a pickle is one that completes or resolves something.
  const streams = r.streams.filter((s, i) => s.end > s.start && (s.complete || r.globals.some((g) => g.stream === i) || r.calls.some((c) => c.stream === i)));
  for (const s of streams.slice(0, MAX_EXTRA_STREAMS)) await hand(s.start, s.end);
  if (streams.length > MAX_EXTRA_STREAMS) {
    const rest = streams[MAX_EXTRA_STREAMS]!.start;
    await ctx.scanNested({ name: `rest@${rest}`, ...windowSource(file, rest, file.size - rest) });
  }
  if (streams.length > 0) {
    ctx.report({
      ruleId: RULES.legacyExtraStream.id,
      message: `${streams.length} pickle stream(s) from byte ${streams[0]!.start} on are outside the legacy layout (scanners that read one or five pickles stop before them); each was analyzed as a member`,
      position: { byteOffset: streams[0]!.start },
      evidence: { streams: streams.length, first: streams[0]!.start },
    });
  }
  const covered = streams.length ? streams[Math.min(streams.length, MAX_EXTRA_STREAMS) - 1]!.end : from;
  if (streams.length === 0 || r.unanalysedBytes > 0) {
    await ctx.scanNested({ name: `unparsed@${covered}`, ...windowSource(file, covered, file.size - covered) });
    if (r.unanalysedBytes > 0) ctx.incomplete(`${r.unanalysedBytes} bytes after byte ${r.end} of a broken legacy layout were not searched for pickles`);
  }
}

async function trailing(file: ModelFile, ctx: AnalyzerContext<unknown>, from: number, hand: (s: number, e: number) => Promise<void>): Promise<void> {
  const r = await runPickle(file, { start: from, multiStream: true, resync: true, signal: ctx.signal });
  if (r.streams.some((s) => s.complete || r.globals.length > 0)) {
    await unexplained(file, ctx, from, hand);
    return;
  }
  ctx.report({
    ruleId: RULES.legacyTrailingData.id,
    message: `${file.size - from} bytes follow the last storage at byte ${from}; torch never reads them`,
    position: { byteOffset: from },
    evidence: { offset: from, bytes: file.size - from },
  });
  await ctx.scanNested({ name: `trailing@${from}`, ...windowSource(file, from, file.size - from) });
}
