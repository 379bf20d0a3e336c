import { meteredInput, type DecodeFn } from "../zip/decode.js";

// Input is handed to the WASM decoder in pieces of this size, pulled only on demand, so the
// decoder is never more than one piece ahead of its output and a running ratio over the
// pulled bytes stays close to the truth.
const XZ_PIECE = 16 * 1024;

/**
 * xz via xz-decompress (xz-embedded in WASM), streamed and cancelled when the
 * consumer stops; imported on first use (the WASM build costs start-up).
 */
export const unxz: DecodeFn = async function* (encoded, meter) {
  const { default: xzDecompress } = await import("xz-decompress");
  const iterator = meteredInput(encoded, meter, XZ_PIECE)[Symbol.asyncIterator]();
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
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
};
