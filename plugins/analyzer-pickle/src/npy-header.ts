import { dtypeItem } from "./joblib-wrapper.js";

/** What a .npy header says. */
export interface NpyHeader {
  /** Format version (major). */
  major: number;
  /** Offset of the first data byte (magic + length field + header). */
  dataOffset: number;
  /** The header text. */
  text: string;
  /** The `descr` field as written (`'<f8'`, or a structured list). */
  descr?: string;
  /** True when any field is an object dtype: the data is a pickle. */
  hasObject: boolean;
  /** Element count from `shape`, when it parses. */
  count?: bigint;
  /** Bytes per element for a simple dtype. */
  itemsize?: number;
  /** Problems with the header (the VM still runs for object arrays). */
  problems: string[];
}

// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
// numpy refuses headers above 10,000 bytes by default (format._MAX_HEADER_SIZE); allow a margin.
const MAX_HEADER = 1 << 20;

/** Parses a .npy header from its first bytes; undefined when it is not a .npy file. */
export function parseNpyHeader(head: Uint8Array, fileSize: number): NpyHeader | undefined {
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) return undefined;
  if (head.length < 10) return undefined;
  const major = head[6]!;
  const problems: string[] = [];
  let len: number;
  let start: number;
  if (major === 1) {
    len = head[8]! | (head[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) return undefined;
    len = (head[8]! | (head[9]! << 8) | (head[10]! << 16)) + head[11]! * 0x1000000;
    start = 12;
  } else {
    problems.push(`unknown format version ${major}`);
    len = head[8]! | (head[9]! << 8);
    start = 10;
  }
  if (len > MAX_HEADER || start + len > fileSize) problems.push(`header length ${len} runs past the file`);
  const text = Buffer.from(head.subarray(start, Math.min(head.length, start + len))).toString("latin1");
  const h: NpyHeader = { major, dataOffset: start + len, text, hasObject: false, problems };
  const descr = /'descr'\s*:\s*('([^']*)'|\[.*\])/s.exec(text);
  if (!descr) problems.push("no descr in header");
  else {
    h.descr = descr[2] ?? descr[1]!;
    h.hasObject = /(^|[^A-Za-z])O\d*\b|'O/.test(descr[1]!) || descr[2] === "O" || /\|O/.test(descr[1]!);
    if (descr[2] !== undefined) {
      const item = dtypeItem(descr[2]);
      if (item) {
        h.itemsize = item.itemsize;
        if (item.object) h.hasObject = true;
      } else problems.push(`dtype ${descr[2]} not understood`);
    }
  }
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shape) problems.push("no shape in header");
  else {
    let n = 1n;
    for (const part of shape[1]!.split(",").map((s) => s.trim()).filter(Boolean)) {
      if (!/^\d+L?$/.test(part)) {
        problems.push(`shape ${shape[1]} not understood`);
        n = -1n;
        break;
      }
      n *= BigInt(part.replace("L", ""));
    }
    if (n >= 0n) h.count = n;
  }
  // A truncated header (length field too short) leaves the dict unclosed: numpy and the VM disagree.
  if (!/\}\s*$/.test(text.replace(/\n$/, ""))) problems.push("header dict is not closed within the declared length");
  return h;
}
