/**
 * What an analyzer's `match` may look at: names and sizes, never content
 * beyond the bytes it is handed.
 */
export interface FileRef {
  /** Path of the top-level file relative to the target root, `/`-separated. */
  readonly path: string;
  /** Member chain inside `path` (outermost first); empty for a top-level file. */
  readonly members: readonly string[];
  /** Base name of the innermost artifact (`data.pkl`). */
  readonly name: string;
  /** Lower-case extension of `name` without the dot (`pkl`), or `""`. A hint only. */
  readonly extension: string;
  /** Size in bytes. */
  readonly size: number;
  /** Nesting depth: 0 for a top-level file, 1 for a member of it, and so on. */
  readonly depth: number;
}

/**
 * Random-access bytes of an artifact. Reads are positioned: a header-only
 * analyzer never pulls the rest of the file (over HTTP a read is a Range request).
 */
export interface ByteSource {
  /** Size in bytes. */
  readonly size: number;
  /**
   * Bytes `[start, end)`, clamped to the size. Throws if the span exceeds the
   * engine's `maxReadBytes` limit: callers must bound what they ask for.
   */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Sequential chunks of `[start, end)` (defaults: the whole artifact), for hashing and inflating. */
  stream(start?: number, end?: number): AsyncIterable<Uint8Array>;
  /** Release handles held for reading. The engine calls it once the artifact's analysis is over. */
  close?(): Promise<void>;
  /**
   * Why the bytes may not be the ones listed (the file grew, shrank or was
   * modified while it was read), or undefined when they are. The engine asks
   * once the analysis is over and records an incomplete analysis on a reason.
   */
  changed?(): Promise<string | undefined>;
  /**
   * Bytes that went over the wire to serve the reads so far, for a remote
   * source with its own block cache. When present the engine reports it as the
   * file's `bytesRead` (what the scan cost), instead of the bytes analyzers asked for.
   */
  readonly bytesTransferred?: number;
}

/** An artifact to analyze: a file from a source, or a member of another artifact. */
export interface ModelFile extends FileRef, ByteSource {
  /** The real path a symlink led to, when the file was reached through one (reported with the file). */
  readonly linkedTo?: string;
  /**
   * The version of this file the source read, so a report can be reproduced:
   * an S3 version id or ETag, a Git blob id, a Hugging Face blob or LFS oid.
   */
  readonly revision?: string;
}

/**
 * A member an analyzer hands back to the engine with `ctx.scanNested`:
 * a name (its path inside the container) and its bytes. The engine turns it
 * into a {@link ModelFile} with the container chain recorded.
 */
export interface NestedArtifact extends ByteSource {
  /** The member's name inside its container (`archive/data.pkl`). */
  readonly name: string;
  /**
   * Where the bytes sit in the container (`zip@<local header offset>`). Analyzers of one
   * container that hand the same name with the same key hand the same bytes: the engine
   * analyzes them once, for the first analyzer that hands them, and the later hands resolve
   * at once. Without a key every hand is analyzed (a zip may hold two entries of one name).
   */
  readonly key?: string;
  /**
   * Set when the container's loader reads these bytes as raw data and never parses them
   * (a tensor storage `torch.load` maps as numbers): why, in a few words. The engine records
   * the member as skipped with this reason and never sniffs it, so numbers that happen to
   * start like a magic raise nothing. The analyzer that says so still checks what its
   * format requires of the bytes (sizes) and hands the member normally when they hold
   * something else (a pickle, an executable).
   */
  readonly rawData?: string;
}

/** Lower-case extension of a file name without the dot, or `""`. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/** Base name of a `/`-separated path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `model.pt ▸ archive/data.pkl`: how a file with its member chain is shown to people. */
export function displayPath(ref: { path: string; members: readonly string[] }): string {
  return [ref.path, ...ref.members].join(" ▸ ");
}
