import type { ByteSource } from "@modelward/core";
import { isKind, runPickle, type PickleRunResult, type PickleValue } from "@modelward/pickle";

// torch._utils._element_size of each storage class torch pickles as `torch.<X>Storage`
// (torch/storage.py _LegacyStorage subclasses; UntypedStorage counts bytes).
const ELEMENT_SIZES: Readonly<Record<string, number>> = {
  FloatStorage: 4, DoubleStorage: 8, HalfStorage: 2, BFloat16Storage: 2, LongStorage: 8, IntStorage: 4, ShortStorage: 2,
  CharStorage: 1, ByteStorage: 1, BoolStorage: 1, ComplexFloatStorage: 8, ComplexDoubleStorage: 16, QUInt8Storage: 1,
  QInt8Storage: 1, QInt32Storage: 4, QUInt4x2Storage: 1, QUInt2x4Storage: 1, UntypedStorage: 1,
  Float8_e4m3fnStorage: 1, Float8_e5m2Storage: 1, Float8_e4m3fnuzStorage: 1, Float8_e5m2fnuzStorage: 1,
};

/** Element size of a `torch.<X>Storage` global, or undefined when it is not one torch knows. */
export function storageElementSize(module: string, name: string): number | undefined {
  if (module === "torch" || module === "torch.storage") return ELEMENT_SIZES[name];
  return undefined;
}

/** One storage reference a pickle hands to torch's `persistent_load`. */
export interface StorageRef {
  /** Record key (`data/<key>` in zips; the storage id in legacy files). */
  key: string;
  /** `module.name` of the storage type, as written. */
  type: string;
  /** Element size of that type; undefined when the type is not a torch storage class. */
  elementSize: number | undefined;
  /** Element count (bytes for UntypedStorage); undefined when not a plain integer. */
  numel: bigint | undefined;
  /** Device string (`cpu`, `cuda:0`). */
  location: string;
  /** Offset of the BINPERSID. */
  offset: number;
}

/** A persistent id that is not a well-formed torch storage reference. */
export interface BadPersistentId {
  offset: number;
  why: string;
}

/** What a run with torch's persistent_load semantics found. */
export interface TorchPickleRun {
  result: PickleRunResult;
  /** First reference per key, in order of appearance. */
  storages: Map<string, StorageRef>;
  /** Persistent ids torch's persistent_load would reject. */
  bad: BadPersistentId[];
  /** Legacy `('module', type, source_file, source)` ids (full-module saves of old torch). */
  modules: number;
}

const asKey = (v: PickleValue | undefined): string | undefined =>
  typeof v === "string" ? v : isKind(v, "bytes") ? Buffer.from(v.head).toString("latin1") : undefined;

/**
 * Runs one pickle stream the way torch.load's unpickler would, with
 * persistent_load collecting storage references: zip format
 * `('storage', storage_type, key, location, numel)` (torch/serialization.py `_load`),
 * legacy format with a sixth `view_metadata` item, or `('module', …)`.
 * Never throws; the VM's own limits bound the work.
 */
export async function runTorchPickle(source: ByteSource, options: { legacy: boolean; start?: number; end?: number; signal?: AbortSignal; multiStream?: boolean }): Promise<TorchPickleRun> {
  const storages = new Map<string, StorageRef>();
  const bad: BadPersistentId[] = [];
  let modules = 0;
  const persistentLoad = (pid: PickleValue, offset: number): PickleValue | undefined => {
    if (!isKind(pid, "tuple")) {
      if (bad.length < 100) bad.push({ offset, why: "persistent id is not a tuple (torch asserts it is)" });
      return undefined;
    }
    const [tag, type, key, location, numel] = pid.items;
    const typename = asKey(tag);
    if (options.legacy && typename === "module") {
      modules++;
      // torch's _legacy_load returns the class itself; the VM does the same by default.
      return undefined;
    }
    const want = options.legacy ? 6 : 5;
    if (typename !== "storage" || pid.count !== want) {
      if (bad.length < 100) bad.push({ offset, why: `persistent id is not ('storage', type, key, location, numel${options.legacy ? ", view_metadata" : ""}) but has ${pid.count} items starting with ${JSON.stringify(typename ?? "?")}` });
      return undefined;
    }
    const k = asKey(key);
    if (k === undefined) {
      if (bad.length < 100) bad.push({ offset, why: "storage key is not a string" });
      return undefined;
    }
    if (storages.has(k)) return undefined;
    const g = isKind(type, "global") ? type : undefined;
    const n = typeof numel === "number" && Number.isInteger(numel) ? BigInt(numel) : typeof numel === "bigint" ? numel : undefined;
    storages.set(k, {
      key: k,
      type: g ? `${g.module}.${g.name}` : "?",
      elementSize: g ? storageElementSize(g.module, g.name) : undefined,
      numel: n,
      location: asKey(location) ?? "?",
      offset,
    });
    return undefined;
  };
  const result = await runPickle(source, {
    start: options.start ?? 0,
    ...(options.end !== undefined ? { end: options.end } : {}),
    multiStream: options.multiStream ?? false,
    resync: false,
    persistentLoad,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { result, storages, bad, modules };
}

/** Number of tensors rebuilt (calls to torch's `_rebuild_tensor*` helpers). */
export function countTensors(r: PickleRunResult): number {
  let n = 0;
  for (const c of r.calls) if (c.kind === "reduce" && /^torch\._utils\._rebuild_(tensor|qtensor|sparse|meta|device|wrapper|nested)/.test(c.callee)) n++;
  return n;
}
