import { bunzip2, gunzip, inflateZlib, unlzma, unxz, type DecodeFn } from "@modelward/plugin-kit";
// lz4 is imported on first use (most scans never meet it).

/** Compressions joblib writes (joblib/compressor.py). */
export type JoblibCompression = "zlib" | "zfile" | "gzip" | "bz2" | "xz" | "lzma" | "lz4";

/** The compression a joblib file's first bytes announce, if any. */
export function joblibCompression(head: Uint8Array): JoblibCompression | undefined {
  const at = (...b: number[]) => b.every((x, i) => head[i] === x);
  if (at(0x5a, 0x46)) return "zfile"; // "ZF": joblib < 0.10 zlib file with a length prefix
  if (head[0] === 0x78 && head.length > 1 && ((head[0]! << 8) | head[1]!) % 31 === 0) return "zlib";
  if (at(0x1f, 0x8b)) return "gzip";
  if (at(0x42, 0x5a, 0x68)) return "bz2";
  if (at(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "xz";
  if (at(0x5d, 0x00, 0x00)) return "lzma";
  if (at(0x04, 0x22, 0x4d, 0x18)) return "lz4";
  return undefined;
}

/** A compression this build cannot decode (reported, never skipped silently). */
export class UnsupportedCompressionError extends Error {}

/** Where a joblib payload's encoded bytes start, and the streaming decoder for them. */
export interface JoblibCodec {
  /** Offset of the compressed stream in the file. */
  start: number;
  /** Decoder producing the pickle as a stream (the consumer bounds it). */
  decode: DecodeFn;
}

// lz4js decodes whole frames in memory: its output buffer is never larger than this.
const LZ4_MAX_OUTPUT = 256 * 1024 * 1024;

/** lz4 frames through lz4js, which needs the whole input and a preallocated output: both bounded. */
function lz4(maxInput: number): DecodeFn {
  return async function* (encoded, meter) {
    const parts: Uint8Array[] = [];
    let total = 0;
    for await (const c of encoded) {
      total += c.length;
      if (total > maxInput) throw new Error(`lz4 input larger than the ${maxInput} bytes decoded in memory (maxReadBytes)`);
      parts.push(c);
    }
    const input = new Uint8Array(Buffer.concat(parts));
    if (meter) meter.consumed = input.length;
    const { default: codec } = (await import("lz4js")) as unknown as {
      default: { decompressBound(s: Uint8Array): number; decompressFrame(s: Uint8Array, d: Uint8Array): number };
    };
    const bound = codec.decompressBound(input);
    if (!(bound >= 0)) throw new Error("lz4 frame without a usable size");
    // lz4js counts bytes past the end of its output buffer, so a larger payload is detected.
    const dst = new Uint8Array(Math.min(bound, LZ4_MAX_OUTPUT + 1));
    const size = codec.decompressFrame(input, dst);
    if (size > LZ4_MAX_OUTPUT) throw new Error(`lz4 payload larger than the ${LZ4_MAX_OUTPUT} bytes decoded in memory`);
    for (let at = 0; at < size; at += 1 << 20) yield dst.subarray(at, Math.min(size, at + (1 << 20)));
  };
}

/**
 * The decoder for a joblib payload, as a stream the caller bounds (by the
 * output it accepts and the running ratio): nothing is held whole except
 * lz4, whose library needs it (bounded by `maxInput`).
 */
export function joblibDecoder(kind: JoblibCompression, head: Uint8Array, maxInput: number): JoblibCodec {
  switch (kind) {
    case "zlib":
      return { start: 0, decode: inflateZlib };
    case "zfile": {
      // "ZF" + hex length padded to 18 characters, then a zlib stream (joblib numpy_pickle_compat).
      const z = head.findIndex((b, i) => i >= 2 && b === 0x78);
      if (z < 0) throw new UnsupportedCompressionError("ZF file without a zlib stream");
      return { start: z, decode: inflateZlib };
    }
    case "gzip":
      return { start: 0, decode: gunzip };
    case "bz2":
      return { start: 0, decode: bunzip2 };
    case "xz":
      return { start: 0, decode: unxz };
    case "lz4":
      return { start: 0, decode: lz4(maxInput) };
    case "lzma":
      // joblib's compress=('lzma', n): LZMA1 in the LZMA-alone container, by plugin-kit's bounded decoder.
      return { start: 0, decode: unlzma };
  }
}
