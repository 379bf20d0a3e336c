import { meteredInput, type DecodeFn } from "../zip/decode.js";
import { rewriteSha256Xz, xzNamesSha256 } from "./xz-sha256.js";

// Input is handed to the WASM decoder in pieces of this size, pulled only on demand, so the
// decoder is never more than one piece ahead of its output and a running ratio over the
// pulled bytes stays close to the truth.
const XZ_PIECE = 16 * 1024;
// The stream header bytes that say which integrity check follows every block.
const HEAD_BYTES = 8;

/**
 * xz via xz-decompress (xz-embedded in WASM), streamed and cancelled when the
 * consumer stops; imported on first use (the WASM build costs start-up). A
 * stream checked with SHA-256, which xz-embedded refuses, is rewritten for it
 * and verified here (xz-sha256.ts).
 */
export const unxz: DecodeFn = async function* (encoded, meter) {
  const { default: xzDecompress } = await import("xz-decompress");
  const { head, rest } = await peek(meteredInput(encoded, meter, XZ_PIECE), HEAD_BYTES);
  let source = rest;
  let verified = (decoded: AsyncIterable<Uint8Array>) => decoded;
  if (xzNamesSha256(head)) ({ rewritten: source, verified } = rewriteSha256Xz(rest));
  const iterator = source[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const reader = new xzDecompress.XzReadableStream(input).getReader();
  async function* decoded() {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  yield* verified(decoded());
};

/** The first `n` bytes of `source` (fewer at its end) and the whole of it, those bytes included. */
async function peek(source: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const { value, done } = await iterator.next();
    if (done) {
      ended = true;
      break;
    }
    taken.push(value);
    length += value.length;
  }
  const head = new Uint8Array(Math.min(n, length));
  let at = 0;
  for (const piece of taken) {
    if (at >= head.length) break;
    const part = piece.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  const rest = (async function* () {
    try {
      yield* taken;
      if (!ended) {
        for (;;) {
          const { value, done } = await iterator.next();
          if (done) return;
          yield value;
        }
      }
    } finally {
      await iterator.return?.();
    }
  })();
  return { head, rest };
}
