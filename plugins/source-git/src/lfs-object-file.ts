import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { ModelwardError, type ModelFile } from "@modelward/core";
import { localFile, remoteFile, type RemoteFile } from "@modelward/plugin-kit";
import type { LfsDownload } from "./lfs-batch.js";
import type { LfsPointer } from "./lfs-pointer.js";

/** What opening an LFS object gave: a file to scan, or why it cannot be read. */
export type LfsObjectOpening = { ok: true; file: ModelFile } | { ok: false; reason: string };

/** How to reach one LFS object and where a whole download may go. */
export interface LfsObjectOptions {
  /** Repository path of the pointer file. */
  path: string;
  pointer: LfsPointer;
  download: LfsDownload;
  /** The clone's credentials, sent only when the href is on the LFS endpoint's origin and the action brings none. */
  authorization?: string;
  /** Origin of the LFS endpoint. */
  endpointOrigin: string;
  /** Folder (removed with the checkout) for objects that must be downloaded whole. */
  scratch: string;
  /** Largest object downloaded whole when the server ignores Range requests. */
  maxWholeBytes: number;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Removes credentials from a message. */
  scrub: (text: string) => string;
  /** Counts each request before it is sent; throws when the target's request budget is spent. */
  beforeRequest?: () => void;
}

/**
 * Opens a Git LFS object through the download action of the batch API, as a
 * ModelFile. One probe (`Range: bytes=0-0`) says whether the server honours
 * ranges:
 * - 206: the object is read by Range requests through the per-file block
 *   cache, so a 10 GB safetensors costs its header; the Content-Range total
 *   must equal the pointer's size. The content is then not hashed (the
 *   revision says so), unless it is streamed whole (`--hashes`): that stream
 *   is hashed and a mismatch with the oid leaves the file incomplete.
 * - 200: the server sends the whole object; it is written to the scratch
 *   folder (at most `maxWholeBytes`), its size and SHA-256 checked against the
 *   pointer before any analyzer sees a byte, then read as a local file.
 */
export async function openLfsObject(o: LfsObjectOptions): Promise<LfsObjectOpening> {
  const { pointer } = o;
  const headers = actionHeaders(o);
  const get = (range?: string) => {
    o.beforeRequest?.();
    return o.fetch(o.download.href, {
      headers: { ...headers, ...(range ? { Range: range } : {}) },
      // Our own credentials never follow a redirect; the action's headers are the server's to send where it points.
      redirect: headers.Authorization !== undefined && o.download.header.Authorization === undefined ? "error" : "follow",
      signal: o.signal,
    });
  };
  try {
    const probe = pointer.size > 0 ? await get("bytes=0-0") : await get();
    if (probe.status === 206) {
      const total = /^bytes 0-0\/(\d+)$/.exec(probe.headers.get("content-range") ?? "")?.[1];
      const first = await boundedBytes(probe, 1);
      if (total === undefined || Number(total) !== pointer.size || first.length !== 1)
        return { ok: false, reason: `the LFS server answered a range of another object (Content-Range ${probe.headers.get("content-range") ?? "absent"}, the pointer says ${pointer.size} bytes)` };
      return { ok: true, file: rangedObject(o, get) };
    }
    if (probe.status !== 200) {
      await probe.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `downloading the LFS object failed with HTTP ${probe.status}` };
    }
    if (pointer.size > o.maxWholeBytes) {
      await probe.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `the LFS server does not honour Range requests, and the ${pointer.size}-byte object is larger than limits.maxReadBytes (${o.maxWholeBytes}) allows to download whole` };
    }
    return { ok: true, file: await wholeObject(o, probe) };
  } catch (error) {
    return { ok: false, reason: o.scrub(`downloading the LFS object failed: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

function actionHeaders(o: LfsObjectOptions): Record<string, string> {
  const headers: Record<string, string> = { ...o.download.header };
  const sameOrigin = new URL(o.download.href).origin === o.endpointOrigin;
  if (o.authorization !== undefined && sameOrigin && !Object.keys(headers).some((k) => k.toLowerCase() === "authorization")) headers.Authorization = o.authorization;
  return headers;
}

/** The object read by ranges; a whole stream of it is hashed against the oid. */
function rangedObject(o: LfsObjectOptions, get: (range?: string) => Promise<Response>): ModelFile {
  const { pointer } = o;
  const file: RemoteFile = remoteFile({
    path: o.path,
    size: pointer.size,
    revision: `${pointer.oid} (Git LFS object read by ranges: not hashed, so not verified against the oid)`,
    signal: o.signal,
    fetchRange: async (start, end) => {
      const response = await get(`bytes=${start}-${end - 1}`);
      if (response.status !== 206 || !(response.headers.get("content-range") ?? "").startsWith(`bytes ${start}-${end - 1}/${pointer.size}`)) {
        await response.body?.cancel().catch(() => undefined);
        throw new ModelwardError("MW_SOURCE_FAILED", `the LFS server answered HTTP ${response.status} to a ranged read of bytes ${start}-${end - 1}`);
      }
      return boundedBytes(response, end - start);
    },
  });
  let mismatch: string | undefined;
  return {
    ...file,
    // Getters of the remote file, not copies of their first values.
    get bytesTransferred() {
      return file.bytesTransferred + 1;
    },
    read: (start, end) => file.read(start, end),
    async *stream(start = 0, end = pointer.size) {
      const whole = start <= 0 && end >= pointer.size;
      const hash = whole ? createHash("sha256") : undefined;
      for await (const chunk of file.stream(start, end)) {
        hash?.update(chunk);
        yield chunk;
      }
      const digest = hash?.digest("hex");
      if (digest !== undefined && `sha256:${digest}` !== pointer.oid) mismatch = `the LFS object's SHA-256 is ${digest}, not the pointer's ${pointer.oid}`;
    },
    changed: async () => mismatch,
    close: () => file.close?.() ?? Promise.resolve(),
  } as ModelFile;
}

/** Writes the whole answer to the scratch folder, checking size and SHA-256, and reads it from there. */
async function wholeObject(o: LfsObjectOptions, response: Response): Promise<ModelFile> {
  const { pointer } = o;
  const hex = pointer.oid.replace(/^sha256:/, "");
  const abs = join(o.scratch, hex);
  const hash = createHash("sha256");
  let received = 0;
  const out = createWriteStream(abs, { mode: 0o600 });
  let writeError: Error | undefined;
  out.on("error", (error) => (writeError ??= error));
  try {
    const reader = response.body?.getReader();
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      received += next.value.length;
      if (received > pointer.size) {
        await reader?.cancel().catch(() => undefined);
        throw new Error(`the LFS server sent more than the pointer's ${pointer.size} bytes`);
      }
      hash.update(next.value);
      if (!out.write(next.value))
        await new Promise<void>((ok) => {
          out.once("drain", () => ok());
          out.once("error", () => ok());
        });
      if (writeError) throw writeError;
    }
  } finally {
    if (!out.destroyed) await new Promise<void>((ok) => out.end(() => ok()));
  }
  if (writeError) throw new Error(`the LFS object could not be written to the scratch folder: ${writeError.message}`);
  if (received !== pointer.size) throw new Error(`the LFS server sent ${received} bytes; the pointer says ${pointer.size}`);
  const digest = `sha256:${hash.digest("hex")}`;
  if (digest !== pointer.oid) throw new Error(`the downloaded LFS object's SHA-256 is ${digest.slice(7)}, not the pointer's ${pointer.oid}`);
  const file = localFile(abs, o.path, pointer.size);
  return {
    ...file,
    revision: `${pointer.oid} (Git LFS object, downloaded whole and verified)`,
    bytesTransferred: received,
    read: (start, end) => file.read(start, end),
    stream: (start, end) => file.stream(start, end),
    ...(file.close ? { close: () => file.close!() } : {}),
    ...(file.changed ? { changed: () => file.changed!() } : {}),
  } as ModelFile;
}

/** Exactly `n` bytes of the body, refusing a longer or shorter one. */
async function boundedBytes(response: Response, n: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  const out = new Uint8Array(n);
  let at = 0;
  if (reader)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > n) {
        await reader.cancel().catch(() => undefined);
        throw new ModelwardError("MW_SOURCE_FAILED", `the LFS server sent more than the ${n} bytes asked for`);
      }
      out.set(value, at);
      at += value.length;
    }
  if (at !== n) throw new ModelwardError("MW_SOURCE_FAILED", `the LFS server sent ${at} bytes for a ${n}-byte range`);
  return out;
}
