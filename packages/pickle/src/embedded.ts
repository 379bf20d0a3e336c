import type { EmbeddedPickle } from "./result.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function b64Prefix(c0: number, c1: number, c2: number): [number, number] | undefined {
  const a = B64.indexOf(String.fromCharCode(c0));
  const b = B64.indexOf(String.fromCharCode(c1));
  const c = B64.indexOf(String.fromCharCode(c2));
  if (a < 0 || b < 0 || c < 0) return undefined;
  return [((a << 2) | (b >> 4)) & 0xff, (((b & 0xf) << 4) | (c >> 2)) & 0xff];
}

const hexVal = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

// A protocol-2+ pickle starts with PROTO (0x80) and a protocol number; the byte after is an opcode.
const isProto = (b0: number, b1: number): boolean => b0 === 0x80 && b1 >= 2 && b1 <= 5;

/**
 * How a value's first characters/bytes encode a pickle, if they do: raw
 * (`\x80\x04…`), base64 (`gAR…`), hex (`8004…`), or a str holding raw pickle
 * bytes as latin-1 (built with `codecs.encode(s, 'latin1')`).
 * `codes` are byte values (for bytes) or UTF-16 code units (for str).
 */
export function sniffEmbedded(codes: ArrayLike<number>, length: number, isStr: boolean): EmbeddedPickle["encoding"] | undefined {
  if (length < 8 || codes.length < 4) return undefined;
  const c0 = codes[0]!, c1 = codes[1]!, c2 = codes[2]!, c3 = codes[3]!;
  if (isProto(c0, c1)) return isStr ? "latin1" : "raw";
  const b = b64Prefix(c0, c1, c2);
  if (b && isProto(b[0], b[1])) return "base64";
  if (isProto(hexVal(c0) * 16 + hexVal(c1), hexVal(c2) * 16 + hexVal(c3))) return "hex";
  return undefined;
}
