import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { readProtobuf } from "./saved-model-handler.js";
import { hasTableMagic, readTable } from "./sstable.js";
import { decodeTf } from "./tf-proto.js";

// Tensors listed per checkpoint; a real model has thousands, not millions.
const MAX_ENTRIES = 1_000_000;
const MAX_SHARDS = 100_000;

interface BundleEntry {
  dtype?: string;
  shard_id?: number;
  offset?: string;
  size?: string;
}

/**
 * TensorFlow checkpoints by content (the table magic at the end), whatever
 * they are called: `variables/variables.index`, `model.ckpt-100.index`, V1
 * `.ckpt`. The tensor-bundle index is read whole: its header (shard count),
 * and every entry's shard, offset and size, checked for overflow and for
 * tensors overlapping inside a shard. The data shards are other files: each is
 * recorded as a reference (`<prefix>.data-0000i-of-0000n`, at least as long as the
 * end of its last tensor) for the engine's check against the folder.
 */
export const checkpointHandler: FormatHandler = {
  formats: ["tensorflow"],
  match(_file, _head, tail) {
    return hasTableMagic(tail);
  },
  async analyze(file, ctx) {
    const bytes = await readProtobuf(file, ctx);
    if (!bytes) return;
    let table;
    try {
      table = readTable(bytes, MAX_ENTRIES);
    } catch (error) {
      const why = String(error instanceof Error ? error.message : error);
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} is not a readable checkpoint table (${why})`, evidence: { error: why.slice(0, 200) } });
      ctx.incomplete(`${file.name}: checkpoint table not read`);
      return;
    }
    if (table.truncated) ctx.incomplete(`${file.name}: more than ${MAX_ENTRIES} checkpoint entries; the rest were not checked`);
    const header = table.entries.find((e) => e.key.length === 0);
    const properties: Record<string, string | number | boolean> = { tensors: table.entries.length - (header ? 1 : 0) };
    if (!header) {
      // V1 checkpoints (SavedSliceMeta tables) have no bundle header: recognised, not validated further.
      properties.layout = "checkpoint-v1";
      ctx.describe({ format: "tensorflow", framework: "tensorflow", properties });
      return;
    }
    const h = decodeTf<{ num_shards?: number }>("BundleHeaderProto", header.value);
    const shards = h.ok ? (h.value.num_shards ?? 0) : -1;
    if (shards < 1 || shards > MAX_SHARDS) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name}: the bundle header declares ${shards < 0 ? "an undecodable" : shards} shard count`, evidence: { shards } });
      return;
    }
    properties.layout = "tensor-bundle";
    properties.shards = shards;
    const extents = new Map<number, { start: bigint; end: bigint; name: string }[]>();
    let bad = 0;
    for (const e of table.entries) {
      if (e === header) continue;
      const name = new TextDecoder().decode(e.key);
      const decoded = decodeTf<BundleEntry>("BundleEntryProto", e.value);
      const shard = decoded.ok ? (decoded.value.shard_id ?? 0) : -1;
      const offset = decoded.ok ? BigInt(decoded.value.offset ?? "0") : -1n;
      const size = decoded.ok ? BigInt(decoded.value.size ?? "0") : -1n;
      if (!decoded.ok || shard < 0 || shard >= shards || offset < 0n || size < 0n || offset + size > 2n ** 63n) {
        if (++bad <= 20)
          ctx.report({ ruleId: RULES.malformed.id, message: `${file.name}: tensor ${JSON.stringify(name.slice(0, 200))} points at shard ${shard} of ${shards}, offset ${offset}, size ${size}: TensorFlow cannot restore it as declared`, evidence: { tensor: name.slice(0, 200), shard, offset: offset.toString(), size: size.toString() } });
        continue;
      }
      const list = extents.get(shard) ?? [];
      list.push({ start: offset, end: offset + size, name });
      extents.set(shard, list);
    }
    for (const [shard, list] of extents) {
      list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const cur = list[i]!;
        if (cur.start < prev.end && cur.end > cur.start) {
          ctx.report({ ruleId: RULES.malformed.id, message: `${file.name}: tensors ${JSON.stringify(prev.name.slice(0, 100))} and ${JSON.stringify(cur.name.slice(0, 100))} overlap in shard ${shard}: two variables restore from the same bytes`, evidence: { shard, first: prev.name.slice(0, 200), second: cur.name.slice(0, 200) } });
          break;
        }
      }
      if (shard < 4) properties[`shard${shard}Bytes`] = Number(list.reduce((m, x) => (x.end > m ? x.end : m), 0n));
    }
    const prefix = indexPrefix(file.name);
    if (prefix !== undefined) {
      for (let shard = 0; shard < shards; shard++) {
        const end = (extents.get(shard) ?? []).reduce((m, x) => (x.end > m ? x.end : m), 0n);
        ctx.recordReference({
          role: `data shard ${shard} of ${shards} of the checkpoint`,
          path: shardName(prefix, shard, shards),
          minSize: end.toString(),
          rules: { missing: RULES.checkpointShard.id, short: RULES.checkpointShard.id },
        });
      }
    }
    ctx.describe({ format: "tensorflow", framework: "tensorflow", properties });
  },
};

/** `model.ckpt-100.index` → `model.ckpt-100`; undefined for a table not named as an index (its shards cannot be named). */
function indexPrefix(name: string): string | undefined {
  return name.endsWith(".index") && name.length > ".index".length ? name.slice(0, -".index".length) : undefined;
}

/** TensorFlow's `DataFilename`: `<prefix>.data-00000-of-00002` (five digits at least). */
export function shardName(prefix: string, shard: number, shards: number): string {
  const pad = (n: number) => String(n).padStart(5, "0");
  return `${prefix}.data-${pad(shard)}-of-${pad(shards)}`;
}
