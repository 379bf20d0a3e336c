import { ModelwardError, baseName, extensionOf, type ByteSource, type ModelFile } from "@modelward/core";

/** A ModelFile that counts the bytes read through it and refuses oversized reads. */
export interface CountingFile extends ModelFile {
  /** Bytes fetched from the underlying source so far (reads served from memory are not counted). */
  readonly bytesRead: number;
  /**
   * Keep `bytes` (which start at `start`) in memory: later reads that fall
   * inside it are served without touching the source. The engine keeps the
   * head and tail it sniffed, which every analyzer reads again.
   */
  retain(start: number, bytes: Uint8Array): void;
  /**
   * Set (with `failShortReads`) when the source returned fewer bytes than its listed size promised (a read
   * or a stream that came back short inside the file): the file shrank or was cut while it was scanned,
   * whatever the source says.
   */
  readonly shortRead: string | undefined;
}

/**
 * Wraps a byte source as the ModelFile an analyzer sees: clamps spans,
 * enforces `maxReadBytes` (so a hostile length field cannot make an analyzer
 * allocate gigabytes) and counts what was read, for the report and benchmarks.
 */
export function countingFile(
  source: ByteSource,
  identity: { path: string; members: readonly string[]; depth: number },
  maxReadBytes: number,
  options: { failShortReads?: boolean } = {},
): CountingFile {
  let bytesRead = 0;
  let shortRead: string | undefined;
  // With failShortReads (a listed file, whose size is a promise) a short read is noted and throws, so no
  // analyzer parses a buffer shorter than it asked for; the engine reports the change instead of a crash.
  // (A member's size comes from its container's headers, whose lies the container's analyzer reports.)
  const noteShort = (start: number, wanted: number, got: number) => {
    if (!options.failShortReads) return;
    shortRead ??= `it shrank while it was read (listed at ${size} bytes; ${got} of the ${wanted} bytes at ${start} came back)`;
    if (options.failShortReads) throw new ModelwardError("MW_SOURCE_FAILED", `the file changed while it was read: ${shortRead}`);
  };
  const retained: { start: number; bytes: Uint8Array }[] = [];
  const innermost = identity.members.length ? identity.members[identity.members.length - 1]! : identity.path;
  const name = baseName(innermost);
  const size = source.size;
  const clamp = (n: number) => Math.max(0, Math.min(size, Math.floor(n)));
  return {
    path: identity.path,
    members: identity.members,
    name,
    extension: extensionOf(name),
    size,
    depth: identity.depth,
    get bytesRead() {
      return bytesRead;
    },
    get shortRead() {
      return shortRead;
    },
    retain(start, bytes) {
      retained.push({ start, bytes });
    },
    async read(start, end) {
      const s = clamp(start);
      const e = Math.max(s, clamp(end));
      if (e - s > maxReadBytes)
        throw new ModelwardError("MW_READ_LIMIT", `read of ${e - s} bytes at ${s} exceeds maxReadBytes ${maxReadBytes}`);
      const kept = retained.find((r) => s >= r.start && e <= r.start + r.bytes.length);
      // A copy, so an analyzer that writes into its buffer cannot change what the next one reads.
      if (kept) return kept.bytes.slice(s - kept.start, e - kept.start);
      const bytes = await source.read(s, e);
      bytesRead += bytes.length;
      if (bytes.length < e - s) noteShort(s, e - s, bytes.length);
      return bytes;
    },
    async *stream(start = 0, end = size) {
      const s = clamp(start);
      const e = Math.max(s, clamp(end));
      let got = 0;
      for await (const chunk of source.stream(s, e)) {
        bytesRead += chunk.length;
        got += chunk.length;
        yield chunk;
      }
      if (got < e - s) noteShort(s, e - s, got);
    },
  };
}
