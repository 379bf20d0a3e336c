/**
 * Magic-byte sniffing. Analyzers decide by content first and use the file
 * extension only as a hint, because routing by extension is a known bypass
 * (CVE-2025-1889, CVE-2025-10155).
 */
export type MagicKind =
  | "zip"
  | "zip-trailing-directory"
  | "gzip"
  | "bzip2"
  | "xz"
  | "7z"
  | "tar"
  | "hdf5"
  | "gguf"
  | "numpy"
  | "safetensors"
  | "pickle-binary"
  | "torch-legacy"
  | "elf"
  | "pe"
  | "mach-o"
  | "shebang"
  | "png"
  | "jpeg"
  | "json";

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

// PyTorch's legacy serialization starts with a pickle of the long 0x1950a86a20f9469cfc6c
// (torch/serialization.py MAGIC_NUMBER): PROTO 2..5 (pickle_protocol), a FRAME at protocol 4+,
// LONG1 with 10 little-endian bytes, STOP.
const TORCH_MAGIC_LONG1 = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const FRAME = 0x95;
const STOP = 0x2e;

/**
 * Length of the legacy-torch magic-number pickle `head` starts with (any
 * protocol 2–5, with or without FRAME), or 0 when it does not start with one.
 */
export function torchLegacyMagicLength(head: Uint8Array): number {
  if (head.length < 2 || head[0] !== 0x80 || head[1]! < 2 || head[1]! > 5) return 0;
  const at = head[2] === FRAME ? 11 : 2;
  if (!startsWith(head, TORCH_MAGIC_LONG1, at) || head[at + TORCH_MAGIC_LONG1.length] !== STOP) return 0;
  return at + TORCH_MAGIC_LONG1.length + 1;
}

/** True when the tail holds a ZIP end-of-central-directory record (`PK\5\6`), wherever the archive starts. */
export function hasZipEndRecord(tail: Uint8Array): boolean {
  // The EOCD is 22 bytes plus a comment of up to 65535 bytes; search backwards.
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) return true;
  }
  return false;
}

/** Every kind the head and tail bytes are consistent with, most specific first. */
export function sniff(head: Uint8Array, tail: Uint8Array = new Uint8Array(0)): MagicKind[] {
  const kinds: MagicKind[] = [];
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) kinds.push("zip");
  else if (hasZipEndRecord(tail)) kinds.push("zip-trailing-directory");
  if (startsWith(head, [0x1f, 0x8b])) kinds.push("gzip");
  if (startsWith(head, ascii("BZh")) && head.length > 3 && head[3]! >= 0x31 && head[3]! <= 0x39) kinds.push("bzip2");
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) kinds.push("xz");
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) kinds.push("7z");
  if (startsWith(head, ascii("ustar"), 257)) kinds.push("tar");
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) kinds.push("hdf5");
  if (startsWith(head, ascii("GGUF"))) kinds.push("gguf");
  if (startsWith(head, [0x93, ...ascii("NUMPY")])) kinds.push("numpy");
  if (looksLikeSafetensors(head)) kinds.push("safetensors");
  if (torchLegacyMagicLength(head) > 0) kinds.push("torch-legacy");
  if (head.length >= 2 && head[0] === 0x80 && head[1]! <= 5) kinds.push("pickle-binary");
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) kinds.push("elf");
  if (startsWith(head, ascii("MZ"))) kinds.push("pe");
  if (
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe])
  )
    kinds.push("mach-o");
  if (startsWith(head, ascii("#!"))) kinds.push("shebang");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) kinds.push("png");
  if (startsWith(head, [0xff, 0xd8, 0xff])) kinds.push("jpeg");
  if (firstNonSpace(head) === 0x7b || firstNonSpace(head) === 0x5b) kinds.push("json");
  return kinds;
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  let i = 0;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) i = 3;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  }
  return undefined;
}

// safetensors: u64 little-endian header length, then a JSON object (huggingface/safetensors tensor.rs).
function looksLikeSafetensors(head: Uint8Array): boolean {
  if (head.length < 10) return false;
  const len = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return len >= 2n && len <= 100_000_000n && head[8] === 0x7b;
}
