import type { ByteSource } from "@modelward/core";
import { bytesSource, sniff } from "@modelward/plugin-kit";
import { runPickle } from "@modelward/pickle";

/** What a member's bytes are, as far as the layout check cares. */
export type MemberKind = "pickle" | "executable" | "archive" | "other";

// Protocol 0/1 pickles have no magic (CVE-2025-10155); decoding this much of a text
// member is enough to see a complete small payload and costs nothing for real configs.
const TEXT_PICKLE_PROBE = 64 * 1024;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const GLOBAL_TEXT = /[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n/;

/** Kind of a head by magic bytes alone (no pickle decoding). */
export function headKind(head: Uint8Array): MemberKind {
  const kinds = sniff(head);
  if (kinds.some((k) => k === "elf" || k === "pe" || k === "mach-o" || k === "shebang")) return "executable";
  if (kinds.some((k) => k === "zip" || k === "gzip" || k === "bzip2" || k === "xz" || k === "7z" || k === "tar")) return "archive";
  if (kinds.includes("pickle-binary") && head.length >= 3 && head[1]! >= 2) return "pickle";
  return "other";
}

// Magics of four bytes or more: a storage of numbers does not start with one by chance.
const STRONG_MAGIC: ReadonlySet<string> = new Set(["elf", "mach-o", "zip", "bzip2", "xz", "7z", "tar"]);

/** Kind of a head by magics numbers cannot produce by chance (no pickle, PE `MZ`, shebang or gzip check). */
export function strongMagicKind(head: Uint8Array): MemberKind {
  const kinds = sniff(head).filter((k) => STRONG_MAGIC.has(k));
  if (kinds.includes("elf") || kinds.includes("mach-o")) return "executable";
  return kinds.length > 0 ? "archive" : "other";
}

/**
 * True when the VM, run over `head` alone (in memory), imports a global with identifier
 * names, in any protocol (`c…\n…\n` text or STACK_GLOBAL): numbers that happen to start
 * with a PROTO byte do not get that far.
 */
export async function importsGlobal(head: Uint8Array, signal?: AbortSignal): Promise<boolean> {
  const r = await runPickle(bytesSource(head), { multiStream: false, resync: false, ...(signal ? { signal } : {}) });
  return r.globals.some((g) => g.resolved && IDENT.test(g.module) && IDENT.test(g.name));
}

/** True when the VM, run over `head` alone (in memory), resolves a global with identifier names: a protocol 0/1 pickle start. */
export async function namesGlobal(head: Uint8Array, signal?: AbortSignal): Promise<boolean> {
  // GLOBAL/INST write `c<module>\n<name>\n`; without that text there is nothing to decode.
  if (!GLOBAL_TEXT.test(Buffer.from(head.buffer, head.byteOffset, head.length).toString("latin1"))) return false;
  const r = await runPickle(bytesSource(head), { multiStream: false, resync: false, ...(signal ? { signal } : {}) });
  return r.globals.some((g) => g.resolved && IDENT.test(g.module) && IDENT.test(g.name));
}

/**
 * Kind of a member: magic bytes first, then (for members that are not binary
 * pickles) a bounded decode of the first stream, which a protocol-0 pickle
 * named `config.json` passes and JSON, text, and source code fail.
 */
export async function memberKind(source: ByteSource, signal?: AbortSignal): Promise<MemberKind> {
  const head = await source.read(0, Math.min(source.size, 4096));
  const byMagic = headKind(head);
  if (byMagic !== "other" || head.length < 4) return byMagic;
  const r = await runPickle(source, { end: Math.min(source.size, TEXT_PICKLE_PROBE), multiStream: false, resync: false, ...(signal ? { signal } : {}) });
  const stream = r.streams[0];
  const named = r.globals.some((g) => g.resolved && IDENT.test(g.module) && IDENT.test(g.name));
  if (stream?.complete && r.errors.length === 0 && stream.opcodes >= 3 && (named || r.calls.length > 0)) return "pickle";
  if (named && r.errors.every((e) => e.kind === "truncated")) return "pickle";
  return "other";
}
