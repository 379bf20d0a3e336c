/** What a Git LFS pointer file says about the file it stands for. */
export interface LfsPointer {
  /** `sha256:<hex>`. */
  oid: string;
  /** Size of the real file in bytes. */
  size: number;
}

/** Pointer files are small by specification (the spec caps them at 1024 bytes). */
export const LFS_POINTER_MAX_BYTES = 1024;

const VERSION = "version https://git-lfs.github.com/spec/v1\n";

/**
 * Reads a Git LFS pointer (the spec's text form: a `version` line, then sorted
 * `key value` lines with `oid sha256:<64 hex>` and `size <n>`), or undefined
 * when the bytes are not one. Anything unexpected means "not a pointer": the
 * file is then scanned as what it is.
 */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length > LFS_POINTER_MAX_BYTES) return undefined;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (!text.startsWith(VERSION)) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d{1,16})$/m.exec(text)?.[1];
  if (oid === undefined || size === undefined || !Number.isSafeInteger(Number(size))) return undefined;
  return { oid: `sha256:${oid}`, size: Number(size) };
}
