import type { AnalyzerContext } from "@modelward/core";
import type { FormatHandler } from "@modelward/plugin-kit";
import { bytesSource } from "@modelward/plugin-kit";
import { Dataset, File as Hdf5File, type Group } from "jsfive";
import { checkConfigText } from "./config-document.js";
import { RULES } from "./rules.js";

// HDF5 signature (Format Specification §III.A); the superblock may follow a user block of 512·2ⁿ bytes.
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const SUPERBLOCK_OFFSETS = [0, 512, 1024, 2048, 4096, 8192, 16384, 32768];
// jsfive reads from one in-memory buffer; beyond this the file is not read (incomplete).
const MAX_HDF5_BYTES = 512 * 1024 * 1024;
// Objects (groups and datasets) visited for embedded payloads, and the size of one that is read: weights are float, payloads bytes.
const MAX_DATASETS = 20_000;
const MAX_BYTE_DATASET = 64 * 1024 * 1024;
// The Keras configs Keras 2 stores as root attributes.
const CONFIG_ATTRIBUTES = ["model_config", "training_config"] as const;

/** Offset of the HDF5 superblock in `head`, or -1. */
export function hdf5SuperblockOffset(head: Uint8Array): number {
  return SUPERBLOCK_OFFSETS.find((o) => o + SIGNATURE.length <= head.length && SIGNATURE.every((b, i) => head[o + i] === b)) ?? -1;
}

/**
 * HDF5 files: Keras 2 `.h5` models (`model_config` and `training_config` root
 * attributes, walked like any Keras config), `.keras` weights files, and any
 * other HDF5 file. Every dataset of a byte or opaque type (where a pickle or
 * another payload fits; weights are floats) is handed to the engine. A file
 * the HDF5 reader cannot parse is a finding and incomplete, never a pass.
 */
export const hdf5Handler: FormatHandler = {
  formats: ["keras", "hdf5"],
  match(_file, head) {
    return hdf5SuperblockOffset(head) >= 0;
  },
  async analyze(file, ctx) {
    const limit = Math.min(MAX_HDF5_BYTES, ctx.limits.maxReadBytes);
    if (file.size > limit) {
      ctx.report({ ruleId: RULES.malformedConfig.id, severity: "medium", message: `HDF5 file of ${file.size} bytes is over the ${limit}-byte bound of the HDF5 reader; its attributes and datasets were not checked`, evidence: { size: file.size, limit } });
      ctx.incomplete(`HDF5 not read: larger than ${limit} bytes`);
      ctx.describe({ format: "hdf5" });
      return;
    }
    const bytes = await file.read(0, file.size);
    let root: Hdf5File;
    try {
      root = new Hdf5File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, file.name);
    } catch (error) {
      unreadable(ctx, "the HDF5 structure", error);
      return;
    }
    const properties: Record<string, string | number | boolean> = {};
    let keras = false;
    const attrs = readAttributes(root, ctx);
    for (const key of ["keras_version", "backend"] as const) {
      const v = attrs && textOf(attrs[key]);
      if (v !== undefined) properties[key === "keras_version" ? "kerasVersion" : "backend"] = v.slice(0, 64);
    }
    for (const name of CONFIG_ATTRIBUTES) {
      const text = attrs && textOf(attrs[name]);
      if (attrs && name in attrs && text === undefined) {
        ctx.report({ ruleId: RULES.malformedConfig.id, message: `the ${name} attribute is not a string the reader can decode; it was not checked`, evidence: { attribute: name } });
        ctx.incomplete(`${name} attribute not decoded`);
      }
      if (text === undefined) continue;
      keras = true;
      const summary = await checkConfigText(text, ctx, name);
      if (summary?.topClass && name === "model_config") properties.modelClass = summary.topClass;
      if (summary && name === "model_config") properties.lambdas = summary.lambdas;
    }
    properties.datasets = await sniffDatasets(root, ctx);
    ctx.describe({ format: keras ? "keras" : "hdf5", ...(keras ? { framework: "keras" } : {}), properties });
  },
};

function readAttributes(group: Group, ctx: AnalyzerContext<unknown>): Record<string, unknown> | undefined {
  try {
    return group.attrs;
  } catch (error) {
    unreadable(ctx, "the root attributes", error);
    return undefined;
  }
}

function unreadable(ctx: AnalyzerContext<unknown>, what: string, error: unknown): void {
  const why = String(error instanceof Error ? error.message : error).slice(0, 200);
  ctx.report({ ruleId: RULES.malformedConfig.id, message: `${what} could not be read (${why}): h5py and Keras may read what this reader cannot, so the file was not fully checked`, evidence: { error: why } });
  ctx.incomplete(`HDF5: ${what} not read: ${why}`);
}

/** An attribute as text: a string, bytes, or a one-element array of either (NULs stripped). */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.replace(/\0+$/, "");
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).replace(/\0+$/, "");
  if (Array.isArray(value) && value.length === 1) return textOf(value[0]);
  return undefined;
}

async function sniffDatasets(root: Hdf5File, ctx: AnalyzerContext<unknown>): Promise<number> {
  // Breadth-first over keys/get (jsfive's own visititems never terminates); the object
  // bound also stops hard-link cycles.
  const datasets: Dataset[] = [];
  const queue: Group[] = [root];
  let objects = 0;
  while (queue.length > 0 && objects <= MAX_DATASETS) {
    const group = queue.shift()!;
    let keys: string[];
    try {
      keys = group.keys;
    } catch (error) {
      unreadable(ctx, `group ${group.name}`, error);
      continue;
    }
    for (const key of keys) {
      if (++objects > MAX_DATASETS) break;
      let obj: Group | Dataset | null;
      try {
        obj = group.get(key);
      } catch (error) {
        unreadable(ctx, `object ${group.name}/${key}`, error);
        continue;
      }
      if (obj instanceof Dataset) datasets.push(obj);
      else if (obj) queue.push(obj);
    }
  }
  if (objects > MAX_DATASETS) ctx.incomplete(`more than ${MAX_DATASETS} HDF5 objects; the rest were not checked for payloads`);
  for (const ds of datasets) {
    ctx.signal.throwIfAborted();
    let dtype: unknown;
    try {
      dtype = ds.dtype;
    } catch (error) {
      unreadable(ctx, `dataset ${ds.name}`, error);
      continue;
    }
    if (!isByteType(dtype)) continue;
    let bytes: Uint8Array | undefined;
    try {
      bytes = bytesOf(ds.value);
    } catch (error) {
      unreadable(ctx, `dataset ${ds.name}`, error);
      continue;
    }
    if (!bytes) continue;
    if (bytes.length > MAX_BYTE_DATASET) {
      ctx.incomplete(`dataset ${ds.name} (${bytes.length} bytes) not checked for payloads`);
      continue;
    }
    if (bytes.length > 0) await ctx.scanNested({ ...bytesSource(bytes), name: `h5:${ds.name.replace(/^\/+/, "")}` });
  }
  return datasets.length;
}

// Byte, char and opaque element types: where serialized payloads are stored.
function isByteType(dtype: unknown): boolean {
  if (typeof dtype !== "string") return false;
  return /^[<>|=]?([ui]1|S\d*|V\d*|b1)$/.test(dtype);
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "number")) return Uint8Array.from(value as number[], (v) => v & 0xff);
    if (value.every((v) => typeof v === "string")) return new TextEncoder().encode((value as string[]).join(""));
  }
  if (typeof value === "string") return new TextEncoder().encode(value);
  return undefined;
}
