/**
 * Bounds of one VM run. Every number is a defence against a hostile stream;
 * hitting one is reported in the result (`limitsHit`), never silently.
 */
export interface PickleLimits {
  /** Most opcodes executed over all streams of one run. */
  maxOpcodes: number;
  /** Deepest value stack (items on the stack at once). */
  maxStack: number;
  /** Most open MARKs at once. */
  maxMarks: number;
  /** Most memo entries. */
  maxMemo: number;
  /** Longest newline-terminated argument (protocol 0 INT/LONG/FLOAT/STRING/GLOBAL…). */
  maxLineBytes: number;
  /** Longest str/bytes argument whose content is read; longer ones are read as a prefix and skipped. */
  keepBytes: number;
  /** Most streams (concatenated pickles) analysed in one run. */
  maxStreams: number;
  /** Most bytes scanned after a broken stream for the start of another one. */
  maxResyncBytes: number;
  /** Most errors recorded in detail (later ones are counted). */
  maxErrors: number;
  /** Most globals and calls recorded in detail (later ones are counted). */
  maxRecords: number;
  /**
   * Most symbolic objects alive at once: every container, call and other
   * non-scalar value reachable from the stack, the memo and the call records,
   * nesting included. Bounds memory whatever the shape (a 49 M-deep TUPLE1
   * chain, a memo of nested lists).
   */
  maxObjects: number;
  /**
   * Deepest chain of nested objects (containers, calls) one stream may build,
   * however it is built (TUPLE1 chains, lists appended to lists through the memo).
   */
  maxNesting: number;
  /** Memo indices above this make CPython allocate a memo list of twice that many pointers: a loader DoS. */
  maxMemoIndex: number;
}

/** Defaults, each with its reason. */
export const DEFAULT_PICKLE_LIMITS: Readonly<PickleLimits> = Object.freeze({
  // A large torch data.pkl or scikit-learn forest runs a few million opcodes; 50M at >10M/s is
  // a few seconds, and anything longer is a denial-of-service attempt on the scanner.
  maxOpcodes: 50_000_000,
  // Protocol 2+ picklers batch APPENDS/SETITEMS by 1000; only protocol-0 lists put every item
  // on the stack at once. One million references is ~8 MB of stack.
  maxStack: 1_000_000,
  // Marks nest once per open container; real pickles nest tens deep.
  maxMarks: 100_000,
  // fickling uses 100,000; real torch pickles memoize a few entries per tensor, so allow more.
  maxMemo: 2_000_000,
  // Names, numbers and protocol-0 strings are short; a longer line is an evasion or a DoS.
  maxLineBytes: 1024 * 1024,
  // Enough for every module name, call argument and nested pickle worth showing; tensor bytes
  // are skipped with positioned reads instead of copied.
  keepBytes: 1024 * 1024,
  // Legacy torch files hold 5 streams, joblib a handful; thousands is an evasion.
  maxStreams: 10_000,
  // Junk between streams is scanned this far for another stream; the rest is reported unread.
  maxResyncBytes: 16 * 1024 * 1024,
  // Errors after the first few hundred add nothing but memory.
  maxErrors: 200,
  // A model references a few hundred distinct globals; calls repeat per tensor.
  maxRecords: 100_000,
  // Containers keep at most 32 items, so real pickles hold few containers alive at once (a torch
  // checkpoint's call records, capped at maxRecords, hold ~5 per tensor); a symbolic container
  // costs ~120 bytes, so a million stays inside the 300 MB a whole scan may use.
  maxObjects: 1_000_000,
  // CPython's pickler recurses once per nesting level and stops near its recursion limit (1,000 by
  // default); ten times that leaves room for a raised limit, and deeper is built to break consumers.
  maxNesting: 10_000,
  // 2^26 entries is a 1 GiB memo list in CPython (8-byte pointers, resized to twice the index).
  maxMemoIndex: 1 << 26,
});

/** Limits whose hitting means the stream was built to exhaust a parser (reported high, not medium). */
export const ATTACK_LIMITS: ReadonlySet<string> = new Set(["maxStack", "maxMarks", "maxMemo", "maxLineBytes", "maxStreams", "maxObjects", "maxNesting"]);
