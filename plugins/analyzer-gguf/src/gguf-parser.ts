import type { ByteSource } from "@modelward/core";
import { ChunkedReader } from "@modelward/plugin-kit";
import {
  GGML_MAX_DIMS,
  GGML_MAX_NAME,
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_TYPE_ARRAY,
  GGUF_TYPE_STRING,
  GGUF_VALUE_TYPES,
  INT64_MAX,
} from "./ggml-types.js";

/** What a problem means for a loader: an allocation/offset overflow (CVE class), or a file loaders reject or misread. */
export type GgufProblemKind = "overflow" | "out-of-bounds" | "malformed";

/** One problem in the header. */
export interface GgufProblem {
  kind: GgufProblemKind;
  message: string;
  /** Byte offset of the field. */
  offset: number;
}

/** A metadata value as kept: scalars, strings up to the keep limit, small arrays. */
export type GgufScalar = number | bigint | boolean | string;

/** One metadata entry. */
export interface GgufKvEntry {
  key: string;
  /** GGUF value type name (`string`, `u32`, `array` …). */
  type: string;
  /** Offset of the entry's key. */
  offset: number;
  /** Offset of the value (for strings: of its bytes). */
  valueOffset: number;
  /** The value, when scalar or a kept string. */
  value?: GgufScalar;
  /** Arrays: element type name and count. */
  elementType?: string;
  count?: bigint;
  /** Arrays of at most {@link KEEP_ARRAY_ITEMS} scalars or short strings. */
  items?: GgufScalar[];
}

/** One tensor info. */
export interface GgufTensorInfo {
  name: string;
  dims: bigint[];
  /** ggml type id and name (`Q4_K`, or `type 99` when unknown). */
  type: number;
  typeName: string;
  /** Offset inside the data section. */
  offset: bigint;
  /** ggml_nbytes, when the type is known and nothing overflowed. */
  nbytes?: bigint;
  /** Element count (product of dims), when it did not overflow. */
  elements?: bigint;
}

/** Bounds of one parse. */
export interface GgufParseLimits {
  /** Longest string kept in memory (longer ones are skipped and noted). Default 16 MiB. */
  maxKeptString: number;
  /** Most KV entries and tensor infos walked. Default 1,000,000 each. */
  maxEntries: number;
}

/** The header as read, with every problem found. */
export interface GgufHeader {
  version: number;
  bigEndian: boolean;
  tensorCount: bigint;
  kvCount: bigint;
  kvs: GgufKvEntry[];
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Start of the data section, when the tensor infos were read to the end. */
  dataOffset?: number;
  problems: GgufProblem[];
  /** Parts not examined (limits, an abort), for `ctx.incomplete`. */
  unread: string[];
  /** Bytes fetched from the source. */
  bytesRead: number;
}

export const KEEP_ARRAY_ITEMS = 64;
const MAX_PROBLEMS = 100;
const DEFAULT_LIMITS: GgufParseLimits = { maxKeptString: 16 * 1024 * 1024, maxEntries: 1_000_000 };
// Header reads are small and sequential; 64 KiB chunks keep a header-only scan to a few reads.
const CHUNK = 64 * 1024;

class Stop extends Error {}

/**
 * Reads a GGUF header (v1–v3, either byte order) without touching tensor
 * data. Every count, length, dimension and offset is a BigInt compared with
 * the bytes the file still has (and with the others) before anything is read
 * or kept, so a hostile header costs at most its own size. Problems are
 * collected, not thrown; parsing stops where the layout can no longer be
 * trusted.
 */
export async function parseGguf(source: ByteSource, options: Partial<GgufParseLimits> & { signal?: AbortSignal } = {}): Promise<GgufHeader> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const r = new ChunkedReader(source, { chunkSize: CHUNK, maxRead: limits.maxKeptString + 16 });
  const size = BigInt(source.size);
  const h: GgufHeader = {
    version: 0,
    bigEndian: false,
    tensorCount: 0n,
    kvCount: 0n,
    kvs: [],
    tensors: [],
    alignment: GGUF_DEFAULT_ALIGNMENT,
    problems: [],
    unread: [],
    bytesRead: 0,
  };
  let dropped = 0;
  const problem = (kind: GgufProblemKind, message: string, offset: number) => {
    // A hostile header can repeat one fault a million times: the first ones say enough.
    if (h.problems.length < MAX_PROBLEMS) h.problems.push({ kind, message, offset });
    else dropped++;
  };
  let le = true;
  const remaining = () => BigInt(r.remaining);

  const bytes = async (n: number, what: string): Promise<Uint8Array> => {
    const at = r.position;
    if (!(await r.ensure(n))) {
      problem("malformed", `the file ends inside ${what} at byte ${at}`, at);
      throw new Stop();
    }
    return r.readSync(n);
  };
  const view = async (n: number, what: string) => {
    const b = await bytes(n, what);
    return new DataView(b.buffer, b.byteOffset, n);
  };
  const u32 = async (what: string) => (await view(4, what)).getUint32(0, le);
  const u64 = async (what: string) => (await view(8, what)).getBigUint64(0, le);
  /** Counts and lengths: u32 in v1, u64 after. */
  const count = async (what: string) => (h.version === 1 ? BigInt(await u32(what)) : u64(what));
  const lengthSize = () => (h.version === 1 ? 4 : 8);

  /** A string's length, checked against the file; undefined when it cannot fit (a finding, then stop). */
  const stringLength = async (what: string): Promise<bigint> => {
    const at = r.position;
    const n = await count(`the length of ${what}`);
    if (n > remaining()) {
      problem("overflow", `${what} declares ${n} bytes at byte ${at} but only ${remaining()} remain: a loader that allocates the declared length first overflows or exhausts memory`, at);
      throw new Stop();
    }
    return n;
  };
  const string = async (what: string): Promise<{ text?: string; length: bigint; at: number }> => {
    const n = await stringLength(what);
    const at = r.position;
    if (n > BigInt(limits.maxKeptString)) {
      r.skip(Number(n));
      return { length: n, at };
    }
    return { text: new TextDecoder("utf-8").decode(await bytes(Number(n), what)), length: n, at };
  };

  /**
   * The elements of a string array (a tokenizer's vocabulary and merges: often 100,000+).
   * Lengths and kept strings are taken synchronously from the buffered chunk; the reader
   * is awaited only when a chunk runs out, so a vocabulary costs a few dozen reads and
   * awaits instead of several per element. Each length is still checked against the file.
   */
  const stringArray = async (key: string, n: bigint, keepIn: GgufKvEntry | undefined) => {
    const ls = lengthSize();
    const count = Number(n); // n × ls fits the file (checked by the caller), so it is a safe integer.
    for (let j = 0; j < count; j++) {
      if ((j & 0xfff) === 0 && options.signal?.aborted) {
        h.unread.push(`the analysis was aborted inside \`${key}\``);
        throw new Stop();
      }
      if (r.available < ls && !(await r.ensure(ls))) {
        problem("malformed", `the file ends inside the length of element ${j} of \`${key}\` at byte ${r.position}`, r.position);
        throw new Stop();
      }
      const at = r.position;
      const b = r.readSync(ls);
      const dv = new DataView(b.buffer, b.byteOffset, ls);
      // u64 lengths as two u32 halves: exact below 2^53, and anything above is past the file anyway.
      const len = ls === 4 ? dv.getUint32(0, le) : dv.getUint32(le ? 4 : 0, le) * 2 ** 32 + dv.getUint32(le ? 0 : 4, le);
      if (len > r.remaining) {
        const declared = ls === 4 ? BigInt(len) : dv.getBigUint64(0, le);
        problem("overflow", `element ${j} of \`${key}\` declares ${declared} bytes at byte ${at} but only ${r.remaining} remain: a loader that allocates the declared length first overflows or exhausts memory`, at);
        throw new Stop();
      }
      if (keepIn && len <= 4096) {
        if (r.available < len) await r.ensure(len);
        keepIn.items?.push(new TextDecoder().decode(r.readSync(len)));
      } else r.skip(len);
    }
  };

  const scalar = async (type: number, what: string): Promise<GgufScalar> => {
    switch (type) {
      case 0: return (await view(1, what)).getUint8(0);
      case 1: return (await view(1, what)).getInt8(0);
      case 2: return (await view(2, what)).getUint16(0, le);
      case 3: return (await view(2, what)).getInt16(0, le);
      case 4: return (await view(4, what)).getUint32(0, le);
      case 5: return (await view(4, what)).getInt32(0, le);
      case 6: return (await view(4, what)).getFloat32(0, le);
      case 7: return (await view(1, what)).getUint8(0) !== 0;
      case 10: return (await view(8, what)).getBigUint64(0, le);
      case 11: return (await view(8, what)).getBigInt64(0, le);
      case 12: return (await view(8, what)).getFloat64(0, le);
      default: throw new Error(`not a scalar type ${type}`);
    }
  };

  try {
    const magic = await bytes(4, "the magic");
    if (magic[0] !== 0x47 || magic[1] !== 0x47 || magic[2] !== 0x55 || magic[3] !== 0x46) {
      problem("malformed", "the file does not start with the GGUF magic", 0);
      throw new Stop();
    }
    const vb = await view(4, "the version");
    const vle = vb.getUint32(0, true);
    const vbe = vb.getUint32(0, false);
    // A big-endian file (v3 allows it) reads as a huge little-endian version.
    if (vle >= 1 && vle <= 3) h.version = vle;
    else if (vbe >= 1 && vbe <= 3) {
      h.version = vbe;
      h.bigEndian = true;
      le = false;
    } else {
      problem("malformed", `unsupported GGUF version ${vle} (known: 1, 2, 3)`, 4);
      throw new Stop();
    }
    if (h.version === 1) problem("malformed", "GGUF v1 (32-bit counts and lengths): current llama.cpp refuses it, older loaders read it with 32-bit arithmetic", 4);

    const countsAt = r.position;
    h.tensorCount = await count("the tensor count");
    h.kvCount = await count("the metadata count");
    // The smallest KV is a 0-byte key, a type and a u8 value; the smallest tensor info a 0-byte name,
    // n_dims, type and offset with no dims. Counts beyond what the file can hold are the loader-overflow pattern.
    const minKv = BigInt(lengthSize() + 4 + 1);
    const minTensor = BigInt(lengthSize() + 4 + 4 + 8);
    if (h.kvCount * minKv + h.tensorCount * minTensor > remaining()) {
      problem(
        "overflow",
        `the header declares ${h.kvCount} metadata entries and ${h.tensorCount} tensors, more than the ${remaining()} remaining bytes can hold: loaders that size arrays from these counts overflow (CVE-2026-27940 class)`,
        countsAt,
      );
      throw new Stop();
    }

    const seenKeys = new Set<string>();
    let alignmentValue: GgufScalar | undefined;
    for (let i = 0n; i < h.kvCount; i++) {
      if (i >= BigInt(limits.maxEntries)) {
        h.unread.push(`metadata entries past the first ${limits.maxEntries} were not read (limit)`);
        throw new Stop();
      }
      if (options.signal?.aborted) {
        h.unread.push("the analysis was aborted while reading metadata");
        throw new Stop();
      }
      const at = r.position;
      const k = await string(`metadata key ${i}`);
      const key = k.text ?? `<key of ${k.length} bytes>`;
      if (k.text === undefined) problem("malformed", `metadata key ${i} is ${k.length} bytes long`, at);
      if (seenKeys.has(key)) problem("malformed", `duplicate metadata key \`${key}\` at byte ${at}: llama.cpp rejects the file, other readers keep the first or the last`, at);
      seenKeys.add(key);
      const typeAt = r.position;
      const type = await u32(`the type of \`${key}\``);
      const vt = GGUF_VALUE_TYPES.get(type);
      if (!vt) {
        problem("malformed", `metadata \`${key}\` has the invalid value type ${type}`, typeAt);
        throw new Stop();
      }
      const entry: GgufKvEntry = { key, type: vt.name, offset: at, valueOffset: r.position };
      if (type === GGUF_TYPE_STRING) {
        const s = await string(`the value of \`${key}\``);
        entry.valueOffset = s.at;
        if (s.text !== undefined) entry.value = s.text;
        else h.unread.push(`the ${s.length}-byte string \`${key}\` was not read (limit ${limits.maxKeptString})`);
      } else if (type === GGUF_TYPE_ARRAY) {
        const etAt = r.position;
        const et = await u32(`the element type of \`${key}\``);
        const evt = GGUF_VALUE_TYPES.get(et);
        const nAt = r.position;
        const n = await count(`the length of \`${key}\``);
        entry.count = n;
        if (!evt || et === GGUF_TYPE_ARRAY) {
          problem("malformed", `array \`${key}\` has the element type ${evt ? "array (nested arrays)" : et}, which loaders reject`, etAt);
          throw new Stop();
        }
        entry.elementType = evt.name;
        const minElement = BigInt(et === GGUF_TYPE_STRING ? lengthSize() : evt.size);
        if (n * minElement > remaining()) {
          problem(
            "overflow",
            `array \`${key}\` declares ${n} ${evt.name} elements at byte ${nAt} (at least ${n * minElement} bytes) but only ${remaining()} remain: a loader that resizes to the declared count first overflows or exhausts memory`,
            nAt,
          );
          throw new Stop();
        }
        const keep = n <= BigInt(KEEP_ARRAY_ITEMS);
        if (keep) entry.items = [];
        if (et === GGUF_TYPE_STRING) {
          await stringArray(key, n, keep ? entry : undefined);
        } else if (keep) {
          for (let j = 0n; j < n; j++) entry.items?.push(await scalar(et, `element ${j} of \`${key}\``));
        } else {
          r.skip(Number(n * minElement));
        }
      } else {
        entry.value = await scalar(type, `the value of \`${key}\``);
      }
      if (key === "general.alignment") alignmentValue = type === 4 ? entry.value : undefined;
      if (key === "general.alignment" && type !== 4) problem("malformed", `general.alignment is a ${vt.name}, not a u32: loaders assert or ignore it`, typeAt);
      h.kvs.push(entry);
    }
    if (alignmentValue !== undefined) {
      const a = Number(alignmentValue);
      if (a === 0 || (a & (a - 1)) !== 0) {
        problem("malformed", `general.alignment is ${a}, not a power of two: llama.cpp rejects the file`, 0);
      } else h.alignment = a;
    }

    const seenNames = new Set<string>();
    for (let i = 0n; i < h.tensorCount; i++) {
      if (i >= BigInt(limits.maxEntries)) {
        h.unread.push(`tensor infos past the first ${limits.maxEntries} were not read (limit)`);
        throw new Stop();
      }
      if ((i & 0xfffn) === 0n && options.signal?.aborted) {
        h.unread.push("the analysis was aborted while reading tensor infos");
        throw new Stop();
      }
      const at = r.position;
      const nm = await string(`the name of tensor ${i}`);
      const name = nm.text ?? `<name of ${nm.length} bytes>`;
      if (nm.length >= BigInt(GGML_MAX_NAME)) problem("malformed", `tensor ${i} has a ${nm.length}-byte name (ggml allows ${GGML_MAX_NAME - 1})`, at);
      if (seenNames.has(name)) problem("malformed", `duplicate tensor name \`${name}\`: loaders reject the file or bind the wrong data`, at);
      seenNames.add(name);
      const ndAt = r.position;
      const nDims = await u32(`n_dims of \`${name}\``);
      if (nDims > GGML_MAX_DIMS) {
        problem("overflow", `tensor \`${name}\` declares ${nDims} dimensions (ggml has ${GGML_MAX_DIMS}): loaders that copy them into ne[${GGML_MAX_DIMS}] write out of bounds`, ndAt);
        if (BigInt(nDims) * BigInt(lengthSize()) > remaining()) throw new Stop();
      }
      const dims: bigint[] = [];
      let elements: bigint | undefined = 1n;
      for (let d = 0; d < nDims; d++) {
        const dimAt = r.position;
        const raw = await count(`dimension ${d} of \`${name}\``);
        // ne[] is int64 in ggml: the high bit makes it negative.
        const ne = h.version === 1 ? raw : BigInt.asIntN(64, raw);
        dims.push(ne);
        if (ne < 0n) {
          problem("overflow", `tensor \`${name}\` has the negative dimension ${ne} (ne[${d}]): size arithmetic in loaders wraps`, dimAt);
          elements = undefined;
        } else if (elements !== undefined) {
          elements *= ne;
          if (elements > INT64_MAX) {
            problem("overflow", `tensor \`${name}\` has ${dims.join(" × ")}… elements, past INT64_MAX: the element count overflows (CVE-2026-33298 class)`, dimAt);
            elements = undefined;
          }
        }
      }
      const typeAt = r.position;
      const type = await u32(`the type of \`${name}\``);
      const offsetAt = r.position;
      const offset = await u64(`the offset of \`${name}\``);
      const gt = GGML_TYPES.get(type);
      const info: GgufTensorInfo = { name, dims, type, typeName: gt?.name ?? `type ${type}`, offset };
      if (elements !== undefined) info.elements = elements;
      if (!gt) problem("malformed", `tensor \`${name}\` has the unknown ggml type ${type}`, typeAt);
      else if (elements !== undefined) {
        const ne0 = dims[0] ?? 1n;
        if (ne0 % BigInt(gt.block) !== 0n) problem("malformed", `tensor \`${name}\`: ne[0] = ${ne0} is not a multiple of the ${gt.name} block size ${gt.block}`, typeAt);
        const nbytes = (elements / BigInt(gt.block)) * BigInt(gt.size);
        if (nbytes > INT64_MAX) problem("overflow", `tensor \`${name}\` needs ${nbytes} bytes, past INT64_MAX: the byte size overflows`, typeAt);
        else info.nbytes = nbytes;
      }
      if (offset % BigInt(h.alignment) !== 0n) problem("malformed", `tensor \`${name}\` starts at data offset ${offset}, not a multiple of the alignment ${h.alignment}`, offsetAt);
      h.tensors.push(info);
    }
    const end = BigInt(r.position);
    const align = BigInt(h.alignment);
    const dataOffset = ((end + align - 1n) / align) * align;
    h.dataOffset = Number(dataOffset);
    checkLayout(h, size - dataOffset, problem);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  if (dropped > 0) h.problems.push({ kind: "malformed", message: `${dropped} further header problems were not listed (the first ${MAX_PROBLEMS} are)`, offset: 0 });
  h.bytesRead = r.bytesFetched;
  return h;
}

/** Tensor data must lie inside the file, packed in order as gguf.cpp expects, without overlaps. */
function checkLayout(h: GgufHeader, dataBytes: bigint, problem: (k: GgufProblemKind, m: string, o: number) => void): void {
  const align = BigInt(h.alignment);
  let expected = 0n;
  let reportedOrder = false;
  const spans: Array<[bigint, bigint, string]> = [];
  const outside: GgufTensorInfo[] = [];
  for (const t of h.tensors) {
    if (t.nbytes === undefined) {
      expected = -1n;
      continue;
    }
    const endAt = t.offset + t.nbytes;
    if (endAt > dataBytes) outside.push(t);
    if (expected >= 0n && t.offset !== expected && !reportedOrder) {
      problem("malformed", `tensor \`${t.name}\` is at data offset ${t.offset}, where gguf.cpp expects ${expected} (tensors packed in order): llama.cpp rejects the file`, h.dataOffset ?? 0);
      reportedOrder = true;
    }
    if (expected >= 0n) expected = t.offset + ((t.nbytes + align - 1n) / align) * align;
    spans.push([t.offset, endAt, t.name]);
  }
  const first = outside[0];
  if (first?.nbytes !== undefined) {
    problem(
      "out-of-bounds",
      `tensor \`${first.name}\` (${first.typeName}, ${first.dims.join(" × ")}) spans data bytes ${first.offset}–${first.offset + first.nbytes} but the data section has ${dataBytes < 0n ? 0n : dataBytes}${outside.length > 1 ? `, and ${outside.length - 1} more tensors lie past it` : ""}: loaders that map it read past the end of the file`,
      h.dataOffset ?? 0,
    );
  }
  spans.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1] as [bigint, bigint, string];
    const cur = spans[i] as [bigint, bigint, string];
    if (cur[0] < prev[1] && cur[1] > cur[0]) {
      problem("malformed", `tensors \`${prev[2]}\` and \`${cur[2]}\` overlap in the data section`, h.dataOffset ?? 0);
      break;
    }
  }
}
