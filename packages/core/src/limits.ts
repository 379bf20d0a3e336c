/**
 * Engine-wide bounds. Every number is a defence: untrusted bytes never decide
 * an allocation or a loop count beyond these. Analyzers add their own limits
 * (opcodes, tensors…) as options.
 */
export interface Limits {
  /** Bytes sniffed from the start and end of each artifact for `match`. */
  headBytes: number;
  /** Largest span one `read()` may return; larger requests throw. */
  maxReadBytes: number;
  /** Deepest member chain (archive in archive in …). */
  maxDepth: number;
  /** Most artifacts one scan analyzes: files a source yields and archive members, together. */
  maxFiles: number;
  /** Most members one container may hand to `scanNested`. */
  maxMembersPerContainer: number;
  /** Most bytes all decompressed members of one top-level file may add up to. */
  maxExpandedBytes: number;
  /** Largest decompressed/compressed ratio accepted for a member before it is a bomb. */
  maxCompressionRatio: number;
  /** Most findings one rule may keep on one artifact; the rest are counted (`omittedFindings`), the most severe kept. */
  maxFindingsPerRule: number;
  /** Most bytes read from standard input (`scan -`), spooled to a temporary file; more is not analysed. */
  maxStdinBytes: number;
  /** Wall-clock limit for one analyzer on one artifact. */
  analyzerTimeoutMs: number;
  /** Files analyzed at once. */
  concurrency: number;
}

/** The defaults, each with its reason. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  // Enough for every magic number we know (tar's `ustar` sits at 257, HDF5 may sit at 512).
  headBytes: 4096,
  // A single buffer never needs to exceed this: headers, configs and pickles are far smaller;
  // tensor data is skipped, not read. Keeps a hostile length field from allocating gigabytes.
  maxReadBytes: 256 * 1024 * 1024,
  // Real models nest two or three deep (zip ▸ torch zip ▸ pickle); deeper is a bomb or an evasion.
  maxDepth: 8,
  // A large Hugging Face repo has a few thousand files and a big checkpoint tens of thousands of
  // members. Counting members too bounds entry bombs split across nested containers, which the
  // per-container limit alone does not (each report entry costs memory, each member a dispatch).
  maxFiles: 100_000,
  // A torch zip of a big model has tens of thousands of storages; more is an entry bomb.
  maxMembersPerContainer: 100_000,
  // 16 GiB of decompressed members per top-level file: above that it is an expansion attack.
  maxExpandedBytes: 16 * 1024 * 1024 * 1024,
  // Legitimate deflate rarely exceeds 100:1 except on zeros; 1000:1 is the classic bomb signature.
  maxCompressionRatio: 1000,
  // A hostile file can make one rule fire per entry (100 k members, globals…): the first hundred say all a
  // reader needs, and each kept finding costs memory and report size; the rest are counted.
  maxFindingsPerRule: 100,
  // Standard input is spooled to disk so analyzers get random access; this bounds the disk it may take
  // (a large checkpoint fits; raise it for bigger ones).
  maxStdinBytes: 8 * 1024 * 1024 * 1024,
  // Header-only analyzers finish in milliseconds; five minutes bounds a pathological input.
  analyzerTimeoutMs: 300_000,
  // I/O bound work on a small machine: a few files in flight hides latency without thrashing.
  concurrency: 4,
});

/** Keys of {@link Limits}, for config validation. */
export const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];
