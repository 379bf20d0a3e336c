import { closeSync, openSync, writeSync } from "node:fs";

/** A stream the CLI writes to; `once("drain")` is used for back-pressure when present. */
export interface CliOutput {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** Terminal width, when a terminal. */
  columns?: number;
  once?(event: "drain", listener: () => void): unknown;
}

/** Where the CLI writes and how it sees its environment; injectable for tests. */
export interface CliIO {
  stdout: CliOutput;
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The real process's IO. */
export function processIO(): CliIO {
  return { stdout: quietOnClosedPipe(process.stdout), stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/**
 * stdout that stops writing, without an error, once its reader has gone
 * (`modelward scan … -f json | head`): EPIPE is the reader's choice, not a
 * failure. The scan's exit code stands; whoever waits for "drain" is released.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): CliOutput {
  let closed = false;
  const waiting = new Set<() => void>();
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
    for (const release of waiting) release();
    waiting.clear();
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (chunk) => (closed ? true : stream.write(chunk)),
    once: (_event, listener) => {
      if (closed) return void listener();
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        waiting.delete(release);
        listener();
      };
      waiting.add(release);
      stream.once("drain", release);
    },
  };
}

/** Exit codes: 0 clean, 1 findings at or above fail-on (or an incomplete analysis), 2 usage/config/target error. */
export const EXIT = { clean: 0, failed: 1, error: 2 } as const;

/** Whether to colour output for a stream: honours NO_COLOR and FORCE_COLOR. */
export function wantsColor(stream: { isTTY?: boolean }, env: CliIO["env"], flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

type Chunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Writes chunks to a stream in batches of about 1 MB, waiting for it to drain, so a huge report never sits in memory twice. */
export async function writeChunks(out: CliOutput, chunks: Chunks): Promise<void> {
  let batch: (string | Uint8Array)[] = [];
  let size = 0;
  const flush = async () => {
    if (!size) return;
    const data = batch.every((c) => typeof c === "string") ? batch.join("") : Buffer.concat(batch.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));
    batch = [];
    size = 0;
    if (out.write(data) === false && out.once) await new Promise<void>((resolve) => out.once!("drain", resolve));
  };
  const add = (chunk: string | Uint8Array) => {
    batch.push(chunk);
    size += chunk.length;
    return size >= 1 << 20;
  };
  // A report of 100 k files is millions of small chunks: iterate a synchronous source without
  // an await per chunk (each would cost a microtask turn), awaiting only at each flush.
  if (Symbol.iterator in chunks) {
    for (const chunk of chunks) if (add(chunk)) await flush();
  } else {
    for await (const chunk of chunks) if (add(chunk)) await flush();
  }
  await flush();
}

/** Writes chunks to a file (created or truncated), in batches. */
export async function writeChunksToFile(path: string, chunks: Chunks): Promise<void> {
  const fd = openSync(path, "w");
  try {
    await writeChunks(
      {
        write: (data) => {
          const bytes = typeof data === "string" ? Buffer.from(data) : data;
          // A write to a regular file may still be partial: loop until all of it is written.
          for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        },
      },
      chunks,
    );
  } finally {
    closeSync(fd);
  }
}
