import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where {@link writeHfCache} put things. */
export interface HfCacheLayout {
  /** `<root>/models--<org>--<name>`: the repository folder of the cache. */
  repo: string;
  /** `<repo>/snapshots/<revision>`: the folder users (and loaders) point at. */
  snapshot: string;
  /** Blob path (`<repo>/blobs/<sha256>`) of each file name. */
  blobs: Record<string, string>;
}

/**
 * Writes a Hugging Face hub cache entry as `huggingface_hub` lays it out:
 * file contents under `blobs/<sha256>`, and `snapshots/<revision>/<name>` as
 * relative symlinks `../../blobs/<sha256>` (deeper names get more `../`), plus
 * `refs/main`. Node only: it writes to disk.
 */
export function writeHfCache(root: string, files: Record<string, Uint8Array>, options: { repoId?: string; revision?: string } = {}): HfCacheLayout {
  const repoId = options.repoId ?? "acme/tiny-model";
  const revision = options.revision ?? "0123456789abcdef0123456789abcdef01234567";
  const repo = join(root, `models--${repoId.replace("/", "--")}`);
  const snapshot = join(repo, "snapshots", revision);
  mkdirSync(join(repo, "blobs"), { recursive: true });
  mkdirSync(join(repo, "refs"), { recursive: true });
  writeFileSync(join(repo, "refs", "main"), revision);
  const blobs: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    const sha = createHash("sha256").update(bytes).digest("hex");
    const blob = join(repo, "blobs", sha);
    writeFileSync(blob, bytes);
    blobs[name] = blob;
    const depth = name.split("/").length - 1;
    mkdirSync(join(snapshot, ...name.split("/").slice(0, -1)), { recursive: true });
    symlinkSync(`${"../".repeat(depth + 2)}blobs/${sha}`, join(snapshot, name));
  }
  return { repo, snapshot, blobs };
}
