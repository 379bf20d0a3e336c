// Literal decoders for the small fixed pickles of torch's legacy layout
// (torch/serialization.py `_legacy_save`): they are plain data, so reading
// them needs no VM values, and anything that is not the expected literal is
// reported instead of interpreted.

import { torchLegacyMagicLength } from "@modelward/plugin-kit";

function indexOfSeq(b: Uint8Array, seq: readonly number[], from = 0): number {
  outer: for (let i = from; i + seq.length <= b.length; i++) {
    for (let k = 0; k < seq.length; k++) if (b[i + k] !== seq[k]) continue outer;
    return i;
  }
  return -1;
}

/** Legacy PROTOCOL_VERSION. */
export const LEGACY_PROTOCOL_VERSION = 1001;

/** Length of the magic-number pickle `head` starts with (any protocol 2–5, with or without FRAME), or 0. */
export const legacyMagicLength = torchLegacyMagicLength;

/** True when `head` starts with the magic-number pickle at any protocol 2–5 (with or without FRAME). */
export function startsWithLegacyMagic(head: Uint8Array): boolean {
  return torchLegacyMagicLength(head) > 0;
}

/** True when a stream's bytes are exactly a magic-number pickle (PROTO, optional FRAME, LONG1, STOP). */
export function isMagicStream(bytes: Uint8Array): boolean {
  const length = torchLegacyMagicLength(bytes);
  return length > 0 && bytes.length === length;
}

/** The int a stream of PROTO? FRAME? <int opcode> STOP holds, or undefined for anything else. */
export function literalInt(bytes: Uint8Array): number | undefined {
  let at = 0;
  if (bytes[at] === 0x80) at += 2;
  if (bytes[at] === 0x95) at += 9;
  const op = bytes[at++];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let value: number | undefined;
  if (op === 0x4b && at + 1 <= bytes.length) [value, at] = [bytes[at]!, at + 1];
  else if (op === 0x4d && at + 2 <= bytes.length) [value, at] = [dv.getUint16(at, true), at + 2];
  else if (op === 0x4a && at + 4 <= bytes.length) [value, at] = [dv.getInt32(at, true), at + 4];
  else if (op === 0x49) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) return undefined;
    const text = Buffer.from(bytes.subarray(at, nl)).toString("latin1");
    if (!/^-?\d{1,9}$/.test(text)) return undefined;
    [value, at] = [Number(text), nl + 1];
  }
  return value !== undefined && bytes[at] === 0x2e && at + 1 === bytes.length ? value : undefined;
}

/** `sys_info['little_endian']` as written (NEWTRUE/NEWFALSE after the key, past memo opcodes); undefined when not found. */
export function littleEndianOf(bytes: Uint8Array): boolean | undefined {
  const key = [...Buffer.from("little_endian")];
  const i = indexOfSeq(bytes, key);
  if (i < 0) return undefined;
  let at = i + key.length;
  for (let n = 0; n < 2 && at < bytes.length; n++) {
    const op = bytes[at]!;
    if (op === 0x71) at += 2;
    else if (op === 0x72) at += 5;
    else if (op === 0x94) at += 1;
    else break;
  }
  return bytes[at] === 0x88 ? true : bytes[at] === 0x89 ? false : undefined;
}

/**
 * The list of str a storage-keys pickle holds (`pickle.dump(sorted_keys)`),
 * protocols 0–5; undefined when it is anything but a flat list of strings.
 */
export function literalStringList(bytes: Uint8Array): string[] | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const MARK: unique symbol = Symbol("mark");
  const stack: (string | typeof MARK | string[])[] = [];
  const latin1 = (s: number, e: number) => Buffer.from(bytes.subarray(s, e)).toString("latin1");
  const utf8 = (s: number, e: number) => Buffer.from(bytes.subarray(s, e)).toString("utf8");
  let at = 0;
  const line = (): string | undefined => {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) return undefined;
    const s = latin1(at, nl);
    at = nl + 1;
    return s;
  };
  const sized = (width: 1 | 4 | 8): [number, number] | undefined => {
    if (at + width > bytes.length) return undefined;
    const n = width === 1 ? bytes[at]! : width === 4 ? dv.getUint32(at, true) : Number(dv.getBigUint64(at, true));
    const s = at + width;
    if (!Number.isSafeInteger(n) || s + n > bytes.length) return undefined;
    at = s + n;
    return [s, s + n];
  };
  while (at < bytes.length) {
    const op = bytes[at++]!;
    let span: [number, number] | undefined;
    switch (op) {
      case 0x80: at += 1; break;
      case 0x95: at += 8; break;
      case 0x28: stack.push(MARK); break;
      case 0x5d: stack.push([]); break;
      case 0x71: at += 1; break;
      case 0x72: at += 4; break;
      case 0x94: break;
      case 0x70: if (line() === undefined) return undefined; break;
      case 0x58: if (!(span = sized(4))) return undefined; stack.push(utf8(...span)); break;
      case 0x8c: if (!(span = sized(1))) return undefined; stack.push(utf8(...span)); break;
      case 0x8d: if (!(span = sized(8))) return undefined; stack.push(utf8(...span)); break;
      case 0x55: if (!(span = sized(1))) return undefined; stack.push(latin1(...span)); break;
      case 0x54: if (!(span = sized(4))) return undefined; stack.push(latin1(...span)); break;
      case 0x56: { const s = line(); if (s === undefined) return undefined; stack.push(s); break; }
      case 0x53: { const s = line(); const m = s === undefined ? null : /^(['"])(.*)\1$/.exec(s); if (!m) return undefined; stack.push(m[2]!); break; }
      case 0x6c: case 0x65: {
        const mark = stack.lastIndexOf(MARK);
        if (mark < 0) return undefined;
        const items = stack.splice(mark).slice(1);
        if (!items.every((x): x is string => typeof x === "string")) return undefined;
        if (op === 0x6c) stack.push(items);
        else { const list = stack[stack.length - 1]; if (!Array.isArray(list)) return undefined; list.push(...items); }
        break;
      }
      case 0x61: {
        const item = stack.pop();
        const list = stack[stack.length - 1];
        if (typeof item !== "string" || !Array.isArray(list)) return undefined;
        list.push(item);
        break;
      }
      case 0x2e: {
        const top = stack[0];
        return stack.length === 1 && Array.isArray(top) && at === bytes.length ? top : undefined;
      }
      default: return undefined;
    }
  }
  return undefined;
}
