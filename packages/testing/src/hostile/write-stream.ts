import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Writes the chunks of a generator to `path` with back-pressure, so a 100 MB input is never whole in memory. */
export async function writeChunked(path: string, chunks: () => Iterable<Uint8Array>): Promise<string> {
  const out = createWriteStream(path);
  for (const c of chunks()) if (!out.write(c)) await once(out, "drain");
  out.end();
  await once(out, "finish");
  return path;
}

/** `count` copies of `unit`, in blocks of about 1 MB. */
export function* repeated(unit: Uint8Array, count: number): Generator<Uint8Array> {
  const per = Math.max(1, Math.floor((1 << 20) / Math.max(1, unit.length)));
  const block = new Uint8Array(unit.length * per);
  for (let i = 0; i < per; i++) block.set(unit, i * unit.length);
  let left = count;
  while (left >= per) {
    yield block;
    left -= per;
  }
  if (left > 0) yield block.subarray(0, left * unit.length);
}
