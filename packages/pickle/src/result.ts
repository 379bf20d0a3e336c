import type { CallKind, PickleValue } from "./values.js";

/** One pickle stream (PROTO … STOP) found in the input. */
export interface PickleStream {
  /** Offset of its first opcode. */
  start: number;
  /** Offset just past its last decoded byte (past STOP when complete). */
  end: number;
  /** Highest PROTO seen in it (0 when none). */
  protocol: number;
  /** True when it reached STOP. */
  complete: boolean;
  /** Opcodes executed in it. */
  opcodes: number;
  /** True when it was found by scanning past broken bytes rather than by following a STOP. */
  resynced: boolean;
}

/** A global the unpickler would resolve with `find_class`. */
export interface GlobalRecord {
  /** Module string (after Python 2 name mapping for protocol < 3). */
  module: string;
  /** Attribute path (possibly dotted). */
  name: string;
  /** Module as written in the stream, when the Python 2 mapping changed it. */
  writtenModule?: string;
  /** Opcode that resolved it. */
  opcode: "GLOBAL" | "STACK_GLOBAL" | "INST";
  /** Offset of that opcode. */
  offset: number;
  /** Stream index. */
  stream: number;
  /**
   * False when STACK_GLOBAL's operands were not plain strings the VM knows
   * (computed at load time): `module`/`name` then hold a rendering of them.
   */
  resolved: boolean;
}

/** A call the unpickler would make. */
export interface CallRecord {
  /** REDUCE, NEWOBJ, OBJ, INST, BUILD (`__setstate__`), persistent_load… */
  kind: CallKind;
  /** The callable's global when it is one (index into `globals`), else undefined. */
  global?: number;
  /** Python-like rendering of the callable (`os.system`). */
  callee: string;
  /** Python-like rendering of the whole call (`os.system('id')`). */
  expression: string;
  /** Offset of the opcode. */
  offset: number;
  /** Stream index. */
  stream: number;
  /** Positional arguments (symbolic). */
  args: PickleValue[];
  /** The callable (symbolic): a global, another call's result, a planted attribute… */
  target: PickleValue;
  /** Keyword arguments (NEWOBJ_EX), as a dict value. */
  kwargs?: PickleValue;
  /** For `method` calls, the method name. */
  method?: string;
  /** True when the callable is computed at load time (another call's result, unknown). */
  dynamic: boolean;
  /** BUILD applied to an imported class or module itself (sets attributes on it). */
  onGlobal?: boolean;
  /** For BUILD on an instance: the object the state is given to (its class is the NEWOBJ/REDUCE callee). */
  instance?: PickleValue;
}

/** Why a stream stopped early. */
export type PickleErrorKind =
  | "invalid-opcode"
  | "truncated"
  | "stack-underflow"
  | "memo-missing"
  | "bad-argument"
  | "type-error"
  | "unsupported-protocol"
  | "trailing-data";

/** A point where the real unpickler would raise. */
export interface PickleError {
  kind: PickleErrorKind;
  /** Offset of the opcode (or byte) at fault. */
  offset: number;
  /** What went wrong, in the C unpickler's words where it has them. */
  message: string;
  /** Stream index. */
  stream: number;
}

/** A VM limit that was reached. */
export interface LimitHit {
  /** Which limit (`maxOpcodes`…). */
  limit: string;
  /** The bound. */
  max: number;
  /** Where it was hit. */
  offset: number;
}

/** Counters that reveal DUP/GET amplification ("billion laughs"). */
export interface ExpansionStats {
  puts: number;
  gets: number;
  dups: number;
  /** Largest logical size (values counted through shared references) of any value built. */
  maxWeight: number;
  /** Stream bytes that built it. */
  bytes: number;
}

/** Everything a run found. */
export interface PickleRunResult {
  streams: PickleStream[];
  globals: GlobalRecord[];
  calls: CallRecord[];
  errors: PickleError[];
  /** Errors beyond `maxErrors`. */
  droppedErrors: number;
  /** Globals and calls beyond `maxRecords`. */
  droppedRecords: number;
  limitsHit: LimitHit[];
  expansion: ExpansionStats;
  /** Opcodes executed over all streams. */
  opcodes: number;
  /** Protocol-4 frames whose declared end an opcode straddled (a parser-differential trick). */
  frameViolations: number;
  /** EXT1/2/4 codes used (copyreg registry lookups). */
  extensions: { code: number; offset: number }[];
  /** PERSID/BINPERSID count. */
  persistentIds: number;
  /** NEXT_BUFFER count. */
  outOfBandBuffers: number;
  /** Bytes fetched from the source. */
  bytesRead: number;
  /** Bytes of large arguments skipped without reading. */
  bytesSkipped: number;
  /** Offset where analysis stopped (end of the last stream, or of the scanned junk). */
  end: number;
  /** Bytes after `end` that were not analysed (resync budget or stream limit). */
  unanalysedBytes: number;
  /** Values that hold a serialized pickle. */
  embedded: EmbeddedPickle[];
  /**
   * The first memo index above `maxMemoIndex` (PUT/BINPUT/LONG_BINPUT), with
   * its offset: CPython resizes its memo list to twice the index, so
   * `LONG_BINPUT 0xFFFFFFFF` alone asks for 64 GiB.
   */
  hugeMemoIndex?: { index: number; offset: number };
}

/**
 * A str/bytes value that looks like a serialized pickle (raw, base64 or hex),
 * or that is passed to a nested loader (`pickle.loads`). The caller re-reads
 * it by offset (or takes `text`) and scans it as its own artifact.
 */
export interface EmbeddedPickle {
  /** Offset of the value's first byte (the UTF-8 bytes for a str). */
  offset: number;
  /** Length in bytes in the source. */
  length: number;
  /** How the pickle is encoded inside the value. */
  encoding: "raw" | "base64" | "hex" | "latin1";
  /** The value as text, for str values kept in memory. */
  text?: string;
  /** The value is a str (its bytes in the source are UTF-8). */
  isStr: boolean;
  /** Index of the call that passes it to a loader (`pickle.loads`), when one does. */
  loaderCall?: number;
}
