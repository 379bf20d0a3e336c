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
});
