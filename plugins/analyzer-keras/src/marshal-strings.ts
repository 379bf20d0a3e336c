// CPython marshal type codes (Python/marshal.c) of the string kinds that hold names and
// constants; the 0x80 bit is FLAG_REF.
const SHORT_ASCII = 0x7a; // 'z'
const SHORT_ASCII_INTERNED = 0x5a; // 'Z'
const ASCII = 0x61; // 'a'
const ASCII_INTERNED = 0x41; // 'A'
const UNICODE = 0x75; // 'u'
const INTERNED = 0x74; // 't'
// Names listed per code blob: more is not a Lambda Keras wrote.
const MAX_NAMES = 4096;
// A string constant longer than this is not a name; it is kept only as evidence of its start.
const MAX_NAME_LENGTH = 256;

/**
 * Lists the identifier-like strings of a marshalled code blob (names,
 * attribute names, string constants) by their type codes, without building
 * objects. A fallback that needs no layout knowledge: it finds strings even in
 * code objects of Python versions the structured reader does not know.
 */
export function scanMarshalStrings(bytes: Uint8Array): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < bytes.length && seen.size < MAX_NAMES; i++) {
    const type = bytes[i]! & 0x7f;
    let start: number;
    let length: number;
    if (type === SHORT_ASCII || type === SHORT_ASCII_INTERNED) {
      if (i + 1 >= bytes.length) break;
      length = bytes[i + 1]!;
      start = i + 2;
    } else if (type === ASCII || type === ASCII_INTERNED || type === UNICODE || type === INTERNED) {
      if (i + 4 >= bytes.length) break;
      length = (bytes[i + 1]! | (bytes[i + 2]! << 8) | (bytes[i + 3]! << 16) | (bytes[i + 4]! << 24)) >>> 0;
      start = i + 5;
    } else continue;
    if (length === 0 || length > MAX_NAME_LENGTH || start + length > bytes.length) continue;
    const text = Buffer.from(bytes.subarray(start, start + length)).toString("latin1");
    if (!/^[\x20-\x7e]+$/.test(text)) continue;
    for (const word of text.split(/[^A-Za-z0-9_]+/)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) seen.add(word);
    i = start + length - 1;
  }
  return [...seen];
}
