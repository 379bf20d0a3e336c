/** One tensor of a safetensors file. */
export interface SafetensorsTensor {
  name: string;
  /** safetensors dtype (`F32`, `BF16`, `I64`, `F4` …). Default `F32`. */
  dtype?: string;
  shape: Array<number | bigint>;
  /** Writes these offsets instead of the packed ones (lying offsets). */
  dataOffsets?: [number | bigint, number | bigint];
}

/** Options of {@link buildSafetensors}. */
export interface SafetensorsOptions {
  tensors?: SafetensorsTensor[];
  /** `__metadata__` (string → string as writers emit; anything else to test readers). */
  metadata?: Record<string, unknown>;
  /** Writes this text as the header instead of the generated JSON (duplicate keys, bad JSON…). */
  headerText?: string;
  /** Writes this header length instead of the real one. */
  lengthOverride?: bigint;
  /**
   * Tensor data to append: `"full"` (default) zeroes for every tensor, a number
   * that many bytes, `"none"` nothing (for sparse files, see {@link SafetensorsBuild.dataSize}).
   */
  data?: "full" | "none" | number;
  /** Bytes appended after the data (a polyglot tail). */
  trailing?: Uint8Array;
}

/** What {@link buildSafetensors} returns. */
export interface SafetensorsBuild {
  bytes: Uint8Array;
  /** Bytes of header JSON (padded), after the 8-byte length. */
  headerLength: number;
  /** Bytes the declared tensors need. */
  dataSize: bigint;
}

const BITS: Record<string, number> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
};

/**
 * Builds a safetensors file as `safetensors.serialize` writes it: u64 LE
 * header length, a JSON header (`__metadata__` first, then tensors with
 * packed `data_offsets`) padded with spaces to 8 bytes, then the data.
 * Big numbers are written exactly (BigInt), so hostile shapes and offsets
 * can be expressed.
 */
export function buildSafetensors(options: SafetensorsOptions = {}): SafetensorsBuild {
  const parts: string[] = [];
  if (options.metadata) parts.push(`"__metadata__":${JSON.stringify(options.metadata)}`);
  let offset = 0n;
  for (const t of options.tensors ?? []) {
    const dtype = t.dtype ?? "F32";
    const elements = t.shape.reduce<bigint>((a, d) => a * BigInt(d), 1n);
    const bytes = (elements * BigInt(BITS[dtype] ?? 8) + 7n) / 8n;
    const [s, e] = t.dataOffsets ?? [offset, offset + bytes];
    offset = BigInt(e) > offset ? BigInt(e) : offset;
    parts.push(`${JSON.stringify(t.name)}:{"dtype":${JSON.stringify(dtype)},"shape":[${t.shape.map(String).join(",")}],"data_offsets":[${s},${e}]}`);
  }
  let header = options.headerText ?? `{${parts.join(",")}}`;
  if (options.headerText === undefined) header += " ".repeat((8 - (new TextEncoder().encode(header).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(header);
  const dataSize = offset;
  const data = options.data ?? "full";
  const dataLength = data === "full" ? Number(dataSize) : data === "none" ? 0 : data;
  const trailing = options.trailing ?? new Uint8Array(0);
  const out = new Uint8Array(8 + headerBytes.length + dataLength + trailing.length);
  new DataView(out.buffer).setBigUint64(0, options.lengthOverride ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(trailing, 8 + headerBytes.length + dataLength);
  return { bytes: out, headerLength: headerBytes.length, dataSize };
}
