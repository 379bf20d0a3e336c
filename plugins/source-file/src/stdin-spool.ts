import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A stream spooled to a private temporary file. */
export interface Spool {
  /** Absolute path of the spooled bytes. */
  path: string;
  /** Bytes written (at most the limit). */
  size: number;
  /** True when the stream had more than `limit` bytes: the spool holds only a prefix and must not be analysed as the whole. */
  truncated: boolean;
  /** Deletes the temporary folder. */
  remove(): Promise<void>;
}

/**
 * Copies `input` into a fresh temporary folder, keeping at most `limit`
 * bytes: analyzers need random access, which a pipe cannot give, and an
 * endless pipe must not fill the disk. Stops reading at the limit (the
 * producer sees a closed pipe), so `/dev/zero | modelward scan -` ends.
 */
export async function spoolToTempFile(input: AsyncIterable<Uint8Array | string>, limit: number, name = "stdin"): Promise<Spool> {
  const dir = await mkdtemp(join(tmpdir(), "modelward-stdin-"));
  const path = join(dir, name);
  const remove = () => rm(dir, { recursive: true, force: true });
  const out = createWriteStream(path, { mode: 0o600 });
  let size = 0;
  let truncated = false;
  try {
    for await (const piece of input) {
      const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
      const room = limit - size;
      if (chunk.length > room) {
        if (room > 0) await write(out, chunk.subarray(0, room));
        size += Math.max(0, room);
        truncated = true;
        break;
      }
      await write(out, chunk);
      size += chunk.length;
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  } catch (error) {
    out.destroy();
    await remove();
    throw error;
  }
  return { path, size, truncated, remove };
}

function write(out: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
