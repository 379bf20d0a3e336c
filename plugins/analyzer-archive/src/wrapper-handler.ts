import { baseName, type AnalyzerContext, type ModelFile } from "@modelward/core";
import { bytesSource, decodeBounded, decodedSource, entryNameProblems, gzipReservedFlags, sniff } from "@modelward/plugin-kit";
import { decoderFor, type WrapperKind } from "./decoders.js";
import { MemberGate } from "./member-gate.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";

// Decoded content up to this size is kept from the measuring pass, so the engine's reads
// cost nothing more; larger content is re-decoded per read (bounded by maxReadBytes).
const BUFFER_LIMIT = 64 * 1024 * 1024;
// Below this, any ratio is harmless (an empty file compresses to a few bytes).
const TINY_OUTPUT = 1024 * 1024;

function kindOf(head: Uint8Array): WrapperKind | undefined {
  const kinds = sniff(head);
  // gzip's magic is two bytes only: also require CM = 8 (deflate). Reserved FLG bits do not stop Python's
  // gzip module (it ignores them), so they do not stop this reader either (they are reported).
  if (kinds.includes("gzip") && head.length >= 4 && head[2] === 8) return "gzip";
  return kinds.includes("bzip2") ? "bzip2" : kinds.includes("xz") ? "xz" : undefined;
}

// RFC 1952 §2.3: FLG bits FEXTRA (4), FNAME (8), FCOMMENT (16) precede the deflate data.
function gzipStoredName(head: Uint8Array): string | undefined {
  if (head.length < 10 || !(head[3]! & 0x08)) return undefined;
  let at = 10;
  if (head[3]! & 0x04) {
    if (head.length < 12) return undefined;
    at += 2 + (head[10]! | (head[11]! << 8));
  }
  const end = head.indexOf(0, at);
  if (end < 0) return undefined;
  return new TextDecoder("latin1").decode(head.subarray(at, end));
}

/** The inner member's name: gzip's stored name (base name only), else the outer name minus its extension. */
export function innerName(outer: string, kind: WrapperKind, stored: string | undefined): string {
  if (stored) return baseName(stored.replace(/\\/g, "/")) || "content";
  const lower = outer.toLowerCase();
  for (const [suffix, replacement] of [
    [".tgz", ".tar"],
    [".taz", ".tar"],
    [".tbz2", ".tar"],
    [".tbz", ".tar"],
    [".txz", ".tar"],
    [".gz", ""],
    [".gzip", ""],
    [".bz2", ""],
    [".bzip2", ""],
    [".xz", ""],
  ] as const) {
    if (lower.endsWith(suffix) && outer.length > suffix.length) return outer.slice(0, outer.length - suffix.length) + replacement;
  }
  return `${outer}.${kind === "gzip" ? "ungz" : kind === "bzip2" ? "unbz2" : "unxz"}`;
}

/**
 * gzip, bzip2 and xz wrappers around one member (a `.tar.gz` is gzip ▸ tar,
 * a `.pkl.gz` gzip ▸ pickle): decoded once to measure it under the ratio and
 * expansion limits, then handed back to the engine. A wrapper that expands
 * past the limits still has its first bytes analyzed (payloads sit at the start).
 */
export const wrapperHandler: FormatHandler = {
  formats: ["gzip", "bzip2", "xz"],
  match(_file, head) {
    return kindOf(head) !== undefined;
  },
  async analyze(file, ctx) {
    const head = await file.read(0, Math.min(file.size, 64 * 1024));
    const kind = kindOf(head);
    if (!kind) {
      ctx.incomplete("compressed: the file does not start with a gzip, bzip2 or xz signature");
      return;
    }
    const gate = new MemberGate(ctx, `${kind} "${file.name}"`);
    await analyzeWrapper(file, ctx, gate, kind, head);
  },
};

async function analyzeWrapper(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate, kind: WrapperKind, head: Uint8Array): Promise<void> {
  const reserved = kind === "gzip" ? gzipReservedFlags(head) : 0;
  if (reserved !== 0) {
    ctx.report({
      ruleId: RULES.malformed.id,
      severity: "low",
      message: `gzip header of "${file.name}" sets reserved flag bits (0x${reserved.toString(16)}): Python's gzip ignores them and reads the member, zlib and GNU gzip refuse the file; read as Python reads it`,
      position: { byteOffset: 3 },
      evidence: { reservedFlags: reserved },
    });
  }
  const stored = kind === "gzip" ? gzipStoredName(head) : undefined;
  if (stored !== undefined) {
    for (const problem of entryNameProblems(stored)) {
      const traversal = problem.kind === "path-traversal" || problem.kind === "absolute-path";
      ctx.report({
        ruleId: traversal ? RULES.pathTraversal.id : RULES.suspiciousName.id,
        message: `gzip stored name: ${problem.message} (\`gunzip -N\` restores it)`,
        position: { byteOffset: 10 },
        evidence: { member: stored, issue: problem.kind },
      });
    }
  }
  const name = innerName(file.name, kind, stored);
  const ratioCap = Math.max(TINY_OUTPUT, file.size * ctx.limits.maxCompressionRatio);
  // What is left of the top-level file's budget (outer archives may have used some).
  const budgetCap = gate.remainingBudget;
  const maxOutput = Math.min(ratioCap, budgetCap);
  const decode = decoderFor(kind);
  const keep = Math.min(BUFFER_LIMIT, ctx.limits.maxReadBytes);
  // The ratio is checked as the output grows, against the compressed bytes consumed so far:
  // a bomb stops within its first megabytes, not after ratio × file size bytes were produced.
  const result = await decodeBounded(file.stream(), decode, { maxOutput, keepUpTo: keep, signal: ctx.signal, maxRatio: ctx.limits.maxCompressionRatio, ratioFloor: TINY_OUTPUT });
  ctx.describe({ format: kind, properties: { compressedBytes: file.size, decompressedBytes: result.length, complete: result.error === undefined && !result.overflow } });
  if (result.error !== undefined) {
    ctx.report({
      ruleId: RULES.malformed.id,
      message: `the ${kind} stream of "${file.name}" is corrupt or truncated after ${result.length} decompressed bytes (${result.error}); what decoded was analyzed`,
      evidence: { decompressed: result.length, error: result.error },
    });
    ctx.incomplete(`${kind}: stream corrupt or truncated after ${result.length} bytes`);
  }
  if (result.overflow) {
    const byRatio = result.overflowReason === "ratio" || ratioCap <= budgetCap;
    const message =
      result.overflowReason === "ratio"
        ? `${kind} "${file.name}": its first ${result.consumed} compressed bytes expand to ${result.length} bytes, more than ${ctx.limits.maxCompressionRatio}× (maxCompressionRatio); decompression stopped there and only those bytes were analyzed`
        : byRatio
          ? `${kind} "${file.name}" expands past ${maxOutput} bytes, more than ${ctx.limits.maxCompressionRatio}× its ${file.size} compressed bytes (maxCompressionRatio); only the first ${maxOutput} bytes were analyzed`
          : `${kind} "${file.name}" expands past the ${budgetCap} bytes left of its top-level file's budget (maxExpandedBytes ${ctx.limits.maxExpandedBytes}); only the first ${maxOutput} bytes were analyzed`;
    ctx.report({
      ruleId: RULES.decompressionBomb.id,
      message,
      evidence: { compressed: file.size, consumed: result.consumed, analyzed: result.length, limit: byRatio ? ctx.limits.maxCompressionRatio : budgetCap },
    });
    ctx.incomplete(`${kind}: decompression stopped at ${result.length} bytes`);
  }
  if (result.length === 0 && (result.error !== undefined || result.overflow)) return;
  if (!gate.admit(name)) return;
  gate.consume(result.length);
  await gate.hand(
    name,
    result.bytes
      ? bytesSource(result.bytes)
      : decodedSource({ encoded: () => file.stream(), decode, size: result.length, maxReadBytes: ctx.limits.maxReadBytes }),
  );
}
