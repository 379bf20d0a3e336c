import { createGunzip, createInflate } from "node:zlib";
import type { ByteSource } from "@modelward/core";
// lz4, bzip2 and xz codecs are imported on first use (most scans never meet them).

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

/** Decompressed output larger than the cap, or a ratio above the limit. */
export class DecompressionLimitError extends Error {
  constructor(readonly what: string, readonly limit: number) {
    super(`${what} exceeds ${limit}`);
    this.name = "DecompressionLimitError";
  }
}

/** A compression this build cannot decode (reported, never skipped silently). */
export class UnsupportedCompressionError extends Error {}

async function collect(source: ByteSource, start: number, maxInput: number): Promise<Uint8Array> {
  if (source.size - start > maxInput) throw new DecompressionLimitError("compressed input", maxInput);
  const parts: Uint8Array[] = [];
  for await (const c of source.stream(start, source.size)) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

async function node(stream: NodeJS.ReadWriteStream, source: ByteSource, start: number, maxOut: number): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let total = 0;
  const done = new Promise<void>((resolve, reject) => {
    stream.on("data", (d: Buffer) => {
      total += d.length;
      if (total > maxOut) {
        reject(new DecompressionLimitError("decompressed size", maxOut));
        (stream as unknown as { destroy(): void }).destroy();
        return;
      }
      parts.push(d);
    });
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  (async () => {
    try {
      for await (const c of source.stream(start, source.size)) if (!stream.write(c)) await new Promise((r) => stream.once("drain", r));
      stream.end();
    } catch (e) {
      stream.emit("error", e);
    }
  })();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Decompresses a joblib payload into memory, never beyond `maxOut` bytes
 * (a bigger output is a {@link DecompressionLimitError}, reported by the caller).
 */
export async function decompress(kind: JoblibCompression, source: ByteSource, maxOut: number, maxInput: number): Promise<Uint8Array> {
  switch (kind) {
    case "zlib":
      return node(createInflate(), source, 0, maxOut);
    case "zfile": {
      // "ZF" + hex length padded to 18 characters, then a zlib stream (joblib numpy_pickle_compat).
      const head = await source.read(0, Math.min(source.size, 64));
      const z = head.findIndex((b, i) => i >= 2 && b === 0x78);
      if (z < 0) throw new UnsupportedCompressionError("ZF file without a zlib stream");
      return node(createInflate(), source, z, maxOut);
    }
    case "gzip":
      return node(createGunzip(), source, 0, maxOut);
    case "xz": {
      const it = source.stream(0, source.size)[Symbol.asyncIterator]();
      const input = new ReadableStream<Uint8Array>({
        async pull(ctrl) {
          const { value, done } = await it.next();
          if (done) ctrl.close();
          else ctrl.enqueue(value);
        },
      });
      const { default: xzDecompress } = await import("xz-decompress");
      const reader = new xzDecompress.XzReadableStream(input).getReader();
      const parts: Uint8Array[] = [];
      let total = 0;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          total += value.length;
          if (total > maxOut) throw new DecompressionLimitError("decompressed size", maxOut);
          parts.push(value);
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
      return new Uint8Array(Buffer.concat(parts));
    }
    case "bz2": {
      const input = Buffer.from(await collect(source, 0, maxInput));
      const out: number[] = [];
      const chunks: Uint8Array[] = [];
      let total = 0;
      const output = {
        writeByte(b: number) {
          out.push(b);
          if (out.length === 65536) {
            total += out.length;
            if (total > maxOut) throw new DecompressionLimitError("decompressed size", maxOut);
            chunks.push(Uint8Array.from(out));
            out.length = 0;
          }
        },
      };
      const { default: Bunzip } = await import("seek-bzip");
      (Bunzip as unknown as { decode(i: Buffer, o: unknown, multi: boolean): void }).decode(input, output, true);
      chunks.push(Uint8Array.from(out));
      return new Uint8Array(Buffer.concat(chunks));
    }
    case "lz4": {
      const input = await collect(source, 0, maxInput);
      const { default: lz4 } = await import("lz4js");
      const codec = lz4 as unknown as { decompressBound(s: Uint8Array): number; decompressFrame(s: Uint8Array, d: Uint8Array): number };
      const bound = codec.decompressBound(input);
      if (!(bound >= 0)) throw new UnsupportedCompressionError("lz4 frame without a usable size");
      // The output buffer never exceeds the cap; lz4js counts bytes past its end, so overflow is detected.
      const dst = new Uint8Array(Math.min(bound, maxOut + 1));
      const size = codec.decompressFrame(input, dst);
      if (size > maxOut) throw new DecompressionLimitError("decompressed size", maxOut);
      return dst.subarray(0, size);
    }
    case "lzma":
      throw new UnsupportedCompressionError("raw LZMA (FORMAT_ALONE) has no decoder in this build");
  }
}
