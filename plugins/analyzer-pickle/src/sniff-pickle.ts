import { Op, isArgError, isOpcode, parseIntArg, parseLongArg, parseMemoIndex, parseStringArg } from "@modelward/pickle";

// Extensions people give pickles. A hint only: a file with one of them whose first byte is
// an opcode is claimed (then a broken one is reported as malformed rather than skipped).
const PICKLE_EXTENSIONS = new Set(["pkl", "pickle", "pk", "p", "joblib", "dill", "sav", "cloudpickle", "pck", "pcl"]);

// Fixed argument sizes; -1 = one newline-terminated line, -2 = two lines, -3..: length-prefixed (size of the length).
const ARG: Record<number, number> = {
  [Op.BININT1]: 1, [Op.BININT2]: 2, [Op.BININT]: 4, [Op.BINFLOAT]: 8, [Op.BINPUT]: 1, [Op.LONG_BINPUT]: 4,
  [Op.BINGET]: 1, [Op.LONG_BINGET]: 4, [Op.EXT1]: 1, [Op.EXT2]: 2, [Op.EXT4]: 4, [Op.PROTO]: 1, [Op.FRAME]: 8,
  [Op.INT]: -1, [Op.LONG]: -1, [Op.FLOAT]: -1, [Op.STRING]: -1, [Op.UNICODE]: -1, [Op.PERSID]: -1, [Op.PUT]: -1, [Op.GET]: -1,
  [Op.GLOBAL]: -2, [Op.INST]: -2,
};
const LEN1 = new Set<number>([Op.SHORT_BINSTRING, Op.SHORT_BINBYTES, Op.SHORT_BINUNICODE, Op.LONG1]);
const LEN4 = new Set<number>([Op.BINSTRING, Op.BINBYTES, Op.BINUNICODE, Op.LONG4]);
const LEN8 = new Set<number>([Op.BINUNICODE8, Op.BINBYTES8, Op.BYTEARRAY8]);

const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function lineAt(b: Uint8Array, k: number): [Uint8Array, number] | undefined {
  const nl = b.indexOf(0x0a, k);
  return nl < 0 ? undefined : [b.subarray(k, nl), nl + 1];
}

// Opcodes that make the unpickler call something it imported.
const CALLS = new Set<number>([Op.REDUCE, Op.INST, Op.OBJ, Op.NEWOBJ, Op.NEWOBJ_EX, Op.BUILD]);

/**
 * Does `head` look like the start of a pickle? Protocol 2+ starts with PROTO;
 * protocol 0/1 pickles (CVE-2025-10155: no magic) are recognised by decoding
 * opcodes from the head: a STOP after a few valid opcodes, or a long run of
 * valid opcodes with well-formed arguments. Text, JSON and images fail on
 * their first bytes. When `head` is the whole file, a short stream with no
 * STOP is still claimed if it imports a global and calls something: the
 * unpickler runs that call before it fails at the end of the file (a broken
 * pickle after its payload, nullifAI-style, in protocol 0).
 */
export function looksLikePickle(head: Uint8Array, extension: string, wholeFile = false): boolean {
  return pickleClaim(head, extension, wholeFile) !== undefined;
}

/**
 * Why a file is taken for a pickle: `magic` (PROTO), `extension` (a pickle
 * extension and an opcode first), or only `guess` (the head decodes as
 * opcodes). A file claimed by a guess alone whose first stream does not
 * reach STOP in the VM is not a pickle unless it imports or calls something
 * first (issue 9): text is full of bytes that happen to be opcodes
 * (`Node.` decodes as NONE OBJ DICT APPENDS STOP).
 */
export type PickleClaim = "magic" | "extension" | "guess";

/** The {@link PickleClaim} of a file's head, or undefined when it does not look like a pickle. */
export function pickleClaim(head: Uint8Array, extension: string, wholeFile = false): PickleClaim | undefined {
  if (head.length >= 2 && head[0] === Op.PROTO && head[1]! <= 5) return "magic";
  if (head.length === 0 || !isOpcode(head[0]!)) return undefined;
  if (PICKLE_EXTENSIONS.has(extension)) return "extension";
  let k = 0;
  let ops = 0;
  let values = 0;
  let imports = false;
  let calls = false;
  // The head ended (no STOP, maybe mid-argument): a long valid run, or a whole file that imports and calls.
  const endOfHead = (): PickleClaim | undefined => (ops >= 8 || (wholeFile && imports && calls) ? "guess" : undefined);
  while (k < head.length) {
    const op = head[k++]!;
    // A byte that is no opcode ends the stream, but a call made before it has already run.
    if (!isOpcode(op)) return imports && calls ? "guess" : undefined;
    ops++;
    if (op === Op.STOP) return ops >= 3 && values > 0 ? "guess" : undefined;
    // Only a complete import counts (GLOBAL/INST once both identifier lines are read), and only a call after it:
    // short words such as `little` are all opcodes and must not look like a payload.
    if (op === Op.STACK_GLOBAL) imports = true;
    if (imports && CALLS.has(op) && op !== Op.INST) calls = true;
    const a = ARG[op];
    if (a === -1 || a === -2) {
      const first = lineAt(head, k);
      if (!first) return endOfHead();
      const [line, next] = first;
      if (op === Op.INT && isArgError(parseIntArg(line))) return undefined;
      if (op === Op.LONG && isArgError(parseLongArg(line))) return undefined;
      if ((op === Op.PUT || op === Op.GET) && isArgError(parseMemoIndex(line))) return undefined;
      if (op === Op.STRING && isArgError(parseStringArg(line))) return undefined;
      k = next;
      if (a === -2) {
        const second = lineAt(head, k);
        if (!IDENT.test(Buffer.from(line).toString("latin1"))) return undefined;
        if (!second) return endOfHead();
        if (!IDENT.test(Buffer.from(second[0]).toString("latin1"))) return undefined;
        k = second[1];
        imports = true;
        if (op === Op.INST) calls = true;
      }
    } else if (a !== undefined) k += a;
    else if (LEN1.has(op) || LEN4.has(op) || LEN8.has(op)) {
      const w = LEN1.has(op) ? 1 : LEN4.has(op) ? 4 : 8;
      if (k + w > head.length) return endOfHead();
      let n = 0;
      for (let j = w - 1; j >= 0; j--) n = n * 256 + head[k + j]!;
      k += w + n;
    }
    if (op !== Op.MARK && op !== Op.POP && op !== Op.POP_MARK && op !== Op.PROTO && op !== Op.FRAME) values++;
    if (ops >= 16 && k <= head.length) return "guess";
  }
  return endOfHead();
}
