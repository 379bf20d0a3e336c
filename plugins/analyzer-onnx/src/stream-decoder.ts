import type { ByteSource } from "@modelward/core";
import { ChunkedReader } from "@modelward/plugin-kit";
import protobuf from "protobufjs/light.js";
import { ONNX_SCHEMA } from "./onnx-schema.generated.js";

/**
 * A decoded message as a plain object keyed by onnx.proto field names
 * (snake_case). Repeated fields are arrays; 64-bit integers are bigint;
 * bytes are Uint8Array. Fields too heavy to keep are replaced by
 * {@link Skipped} markers, so a 2 GB model decodes in a few megabytes.
 */
export type Decoded = { [field: string]: DecodedValue };
export type DecodedValue = string | number | bigint | boolean | Uint8Array | Skipped | Decoded | DecodedValue[];

/** A length-delimited field left unread: how many bytes it had. */
export class Skipped {
  constructor(readonly length: number) {}
}

/** Bounds of one decode. */
export interface DecodeLimits {
  /** Longest string kept (longer ones are skipped). */
  maxString: number;
  /** Longest non-tensor-data bytes field kept (attribute strings). */
  maxBytes: number;
  /** Most nested messages (subgraph in attribute in node in graph…). */
  maxDepth: number;
  /** Most fields decoded in total (a flood of tiny nodes is bounded). */
  maxFields: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxString: 1024 * 1024, maxBytes: 64 * 1024, maxDepth: 48, maxFields: 20_000_000 };

/** Tensor payload fields not kept beyond a few values: weights are numbers, not logic. `dims` is kept (sizes are checked). */
const TENSOR_DATA = new Set(["raw_data", "float_data", "int32_data", "string_data", "int64_data", "double_data", "uint64_data"]);
// Tensor payloads this small are kept: the scalars and short vectors a graph compares its input with
// (the backdoor heuristic judges the constant), never weights.
const SMALL_TENSOR_BYTES = 64;
const SMALL_TENSOR_VALUES = 16;
// Packed numeric lists kept up to this many values (dims, attribute ints); longer ones are counted, not kept.
const MAX_PACKED_KEPT = 64;
// Header-ish reads (tags, lengths, scalars) are small; 256 KiB chunks keep a big model to few reads between skips.
const CHUNK = 256 * 1024;

/** A decode that stopped: why, and at which byte. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Where the decode stopped early for a limit (not a malformed file): the reason for `ctx.incomplete`. */
export class DecodeLimitError extends DecodeError {}

let root: protobuf.Root | undefined;
/** The ONNX message types (protobufjs reflection over the shipped onnx.proto). */
export function onnxType(name: string): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SCHEMA as protobuf.INamespace);
  return root.lookupType(`onnx.${name}`);
}

const SCALAR_WIRE: Record<string, number> = {
  double: 1, float: 5, int32: 0, uint32: 0, sint32: 0, fixed32: 5, sfixed32: 5, int64: 0, uint64: 0, sint64: 0, fixed64: 1, sfixed64: 1, bool: 0,
};

/**
 * Streams a protobuf message from `source` with onnx.proto as the schema,
 * never holding more than one chunk plus what it keeps: tensor data (raw_data
 * and the typed lists) is skipped by its length unless it is a few values, long strings and bytes are
 * skipped and marked, and every length is checked against the enclosing
 * message before it is trusted. Throws {@link DecodeError} on malformed wire
 * data and {@link DecodeLimitError} on a limit or an abort.
 */
export async function decodeStream(
  source: ByteSource,
  typeName: string,
  options: { limits?: Partial<DecodeLimits>; signal?: AbortSignal } = {},
): Promise<{ message: Decoded; bytesRead: number; skippedBytes: number }> {
  const limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
  const r = new ChunkedReader(source, { chunkSize: CHUNK, maxRead: Math.max(limits.maxString, limits.maxBytes) + 16 });
  let fields = 0;
  let skippedBytes = 0;

  const need = async (n: number) => {
    if (r.available >= n) return;
    if (!(await r.ensure(n))) throw new DecodeError(`the file ends inside a field at byte ${r.position}`, r.position);
  };
  const varint = async (): Promise<bigint> => {
    await r.ensure(Math.min(10, r.remaining));
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (r.available < 1) throw new DecodeError(`the file ends inside a varint at byte ${r.position}`, r.position);
      const b = r.readByteSync();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new DecodeError(`a varint longer than 10 bytes at byte ${r.position}`, r.position);
  };
  const skip = (n: number, end: number) => {
    if (r.position + n > end) throw new DecodeError(`a field of ${n} bytes at byte ${r.position} runs past its message (which ends at ${end})`, r.position);
    r.skip(n);
  };
  const skipWire = async (wire: number, end: number) => {
    if (wire === 0) await varint();
    else if (wire === 1) skip(8, end);
    else if (wire === 5) skip(4, end);
    else if (wire === 2) skip(await length(end), end);
    else throw new DecodeError(`wire type ${wire} (groups or invalid) at byte ${r.position}`, r.position);
  };
  const length = async (end: number): Promise<number> => {
    const at = r.position;
    const n = await varint();
    if (n > BigInt(end - r.position)) throw new DecodeError(`a length of ${n} bytes at byte ${at} runs past its message (${end - r.position} bytes left)`, at);
    return Number(n);
  };
  const scalar = async (type: string, wire: number): Promise<number | bigint | boolean> => {
    if (wire === 0) {
      const v = await varint();
      if (type === "bool") return v !== 0n;
      if (type === "int64" || type === "sint64" || type === "uint64") {
        const signed = type === "uint64" ? v : type === "sint64" ? (v >> 1n) ^ -(v & 1n) : BigInt.asIntN(64, v);
        return signed;
      }
      // int32 and enums are written sign-extended to 64 bits.
      return type === "uint32" ? Number(v & 0xffffffffn) : Number(BigInt.asIntN(32, v));
    }
    if (wire === 5) {
      await need(4);
      const b = r.readSync(4);
      const dv = new DataView(b.buffer, b.byteOffset, 4);
      return type === "float" ? dv.getFloat32(0, true) : type === "sfixed32" ? dv.getInt32(0, true) : dv.getUint32(0, true);
    }
    await need(8);
    const b = r.readSync(8);
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    return type === "double" ? dv.getFloat64(0, true) : type === "sfixed64" ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true);
  };

  const decode = async (type: protobuf.Type, end: number, depth: number): Promise<Decoded> => {
    const out: Decoded = {};
    const put = (field: protobuf.Field, v: DecodedValue) => {
      if (field.repeated) ((out[field.name] ??= []) as DecodedValue[]).push(v);
      else out[field.name] = v;
    };
    while (r.position < end) {
      if (++fields > limits.maxFields) throw new DecodeLimitError(`more than ${limits.maxFields} protobuf fields`, r.position);
      if ((fields & 0xffff) === 0 && options.signal?.aborted) throw new DecodeLimitError("the analysis was aborted", r.position);
      const tagAt = r.position;
      const tag = await varint();
      const id = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (id === 0) throw new DecodeError(`field number 0 at byte ${tagAt}`, tagAt);
      const field = type.fieldsById[id];
      if (!field) {
        await skipWire(wire, end);
        continue;
      }
      field.resolve();
      const sub = field.resolvedType;
      if (sub instanceof protobuf.Type) {
        if (wire !== 2) throw new DecodeError(`${type.name}.${field.name} has wire type ${wire}, not a message, at byte ${tagAt}`, tagAt);
        const n = await length(end);
        if (depth >= limits.maxDepth) throw new DecodeLimitError(`messages nested deeper than ${limits.maxDepth} levels at byte ${tagAt}`, tagAt);
        put(field, await decode(sub, r.position + n, depth + 1));
        continue;
      }
      if (field.type === "string" || field.type === "bytes") {
        if (wire !== 2) throw new DecodeError(`${type.name}.${field.name} has wire type ${wire}, not length-delimited, at byte ${tagAt}`, tagAt);
        const n = await length(end);
        const heavy = TENSOR_DATA.has(field.name) && type.name === "TensorProto" && (field.name === "string_data" || n > SMALL_TENSOR_BYTES);
        const keep = !heavy && n <= (field.type === "string" ? limits.maxString : limits.maxBytes);
        if (!keep) {
          skip(n, end);
          skippedBytes += n;
          put(field, new Skipped(n));
          continue;
        }
        await need(n);
        const bytes = r.readSync(n);
        put(field, field.type === "string" ? new TextDecoder().decode(bytes) : bytes.slice());
        continue;
      }
      // Scalars and enums (enums are varints), possibly packed.
      const scalarType = sub instanceof protobuf.Enum ? "int32" : field.type;
      if (wire === 2 && field.repeated) {
        const n = await length(end);
        const stop = r.position + n;
        if ((TENSOR_DATA.has(field.name) && type.name === "TensorProto" && n > SMALL_TENSOR_BYTES) || SCALAR_WIRE[scalarType] === undefined) {
          skip(n, end);
          skippedBytes += n;
          put(field, new Skipped(n));
          continue;
        }
        const elementWire = SCALAR_WIRE[scalarType] ?? 0;
        let kept = 0;
        while (r.position < stop) {
          const v = await scalar(scalarType, elementWire);
          if (kept++ < MAX_PACKED_KEPT) put(field, v);
          else {
            const rest = stop - r.position;
            skip(rest, stop);
            put(field, new Skipped(rest));
          }
        }
        if (r.position !== stop) throw new DecodeError(`a packed ${type.name}.${field.name} ends inside a value at byte ${r.position}`, r.position);
        continue;
      }
      if (wire !== (SCALAR_WIRE[scalarType] ?? -1)) throw new DecodeError(`${type.name}.${field.name} has wire type ${wire} at byte ${tagAt}`, tagAt);
      const v = await scalar(scalarType, wire);
      if (TENSOR_DATA.has(field.name) && type.name === "TensorProto") {
        // Unpacked tensor values: the first few kept, the rest counted as skipped.
        const kept = out[field.name];
        if (!Array.isArray(kept) || kept.length < SMALL_TENSOR_VALUES) put(field, v);
        else if (!kept.some((k) => k instanceof Skipped)) kept.push(new Skipped(0));
        continue;
      }
      put(field, v);
    }
    if (r.position !== end) throw new DecodeError(`a ${type.name} field runs past the end of its message (byte ${end})`, end);
    return out;
  };

  const message = await decode(onnxType(typeName), source.size, 0);
  return { message, bytesRead: r.bytesFetched, skippedBytes };
}
