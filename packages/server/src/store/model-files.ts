import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Sql, Database } from "../db/database.js";
import { newId } from "../ids.js";

/** Bytes per stored chunk: uploads and downloads hold at most about one chunk in memory. */
export const CHUNK_BYTES = 1024 * 1024;

export interface ModelFileView {
  path: string;
  size: number;
  sha256: string;
  created_at: string;
}

/** Thrown when an upload passes its size limit. */
export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than the upload limit (${limit} bytes)`);
  }
}

/**
 * Checks a file path given for a model: relative, `/`-separated, no `.`/`..`
 * segments, no backslash, NUL or control characters, at most 1024 characters.
 * Returns the reason it is refused, or undefined.
 */
export function badModelPath(path: string): string | undefined {
  if (!path || path.length > 1024) return "the path must have 1 to 1024 characters";
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return "the path may not contain control characters or backslashes";
  if (path.startsWith("/")) return "the path must be relative";
  if (path.split("/").some((s) => s === "" || s === "." || s === "..")) return "the path may not have empty, . or .. segments";
  return undefined;
}

/**
 * Stores an uploaded file of a model from a stream, chunk by chunk, never
 * holding more than one chunk: the stream is stopped as soon as it passes
 * `maxBytes`. The file replaces an earlier one at the same path only once it
 * is complete (an interrupted upload leaves the old file in place).
 */
export async function storeModelFile(db: Database, modelId: string, path: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ModelFileView> {
  const id = newId("fil");
  await db.query("insert into model_files(id, model_id, path, size, sha256) values ($1, $2, $3, 0, '')", [id, modelId, path]);
  const hash = createHash("sha256");
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!pendingBytes) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db.query("insert into model_file_chunks(file_id, seq, data) values ($1, $2, $3)", [id, seq++, data]);
  };
  try {
    for await (const part of body) {
      size += part.length;
      if (size > maxBytes) throw new UploadTooLarge(maxBytes);
      hash.update(part);
      let at = 0;
      while (at < part.length) {
        const take = Math.min(CHUNK_BYTES - pendingBytes, part.length - at);
        pending.push(Buffer.from(part.buffer, part.byteOffset + at, take));
        pendingBytes += take;
        at += take;
        if (pendingBytes === CHUNK_BYTES) await flush();
      }
    }
    await flush();
    const sha256 = hash.digest("hex");
    return await db.transaction(async (tx) => {
      await tx.query("delete from model_files where model_id = $1 and path = $2 and complete", [modelId, path]);
      const rows = await tx.query<{ created_at: Date }>(
        "update model_files set complete = true, size = $2, sha256 = $3 where id = $1 returning created_at",
        [id, size, sha256],
      );
      return { path, size, sha256, created_at: rows[0]!.created_at.toISOString() };
    });
  } catch (error) {
    await db.query("delete from model_files where id = $1", [id]).catch(() => undefined);
    throw error;
  }
}

export async function listModelFiles(db: Sql, modelId: string): Promise<ModelFileView[]> {
  const rows = await db.query<{ path: string; size: number; sha256: string; created_at: Date }>(
    "select path, size, sha256, created_at from model_files where model_id = $1 and complete order by path",
    [modelId],
  );
  return rows.map((r) => ({ path: r.path, size: Number(r.size), sha256: r.sha256, created_at: r.created_at.toISOString() }));
}

/** Deletes every stored file of a model (after a scan, when uploads are not retained). */
export async function deleteModelFiles(db: Sql, modelId: string): Promise<void> {
  await db.query("delete from model_files where model_id = $1", [modelId]);
}

/**
 * Writes every complete file of a model under `folder` (paths were checked at
 * upload), streaming chunks a few at a time. Returns how many files were written.
 */
export async function materializeModelFiles(db: Sql, modelId: string, folder: string): Promise<number> {
  const files = await db.query<{ id: string; path: string }>("select id, path from model_files where model_id = $1 and complete order by path", [modelId]);
  for (const f of files) {
    const target = join(folder, ...f.path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    const out = createWriteStream(target, { flags: "wx", mode: 0o600 });
    try {
      for (let seq = 0; ; seq += 4) {
        const chunks = await db.query<{ data: Uint8Array }>(
          "select data from model_file_chunks where file_id = $1 and seq >= $2 and seq < $3 order by seq",
          [f.id, seq, seq + 4],
        );
        for (const c of chunks) if (!out.write(c.data)) await once(out, "drain");
        if (chunks.length < 4) break;
      }
    } finally {
      out.end();
      await once(out, "close");
    }
  }
  return files.length;
}
