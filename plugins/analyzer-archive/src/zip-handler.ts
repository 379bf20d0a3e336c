import type { AnalyzerContext, ModelFile } from "@modelward/core";
import {
  bytesSource,
  decodeBounded,
  entryNameProblems,
  inflateRaw,
  linkTargetEscapes,
  openEntryData,
  openZip,
  scanLocalHeaders,
  sniff,
  windowSource,
  type ZipArchive,
  type ZipEntry,
} from "@modelward/plugin-kit";
import { MemberGate } from "./member-gate.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { reportZipIssue } from "./zip-issues.js";

// A symlink's data is a path; nothing longer is plausible.
const MAX_LINK_TARGET = 4096;
// Small deflated members are inflated once and kept: pickles and configs are far below
// this, and the engine reads them several times (sniffing, then analysis).
const BUFFER_LIMIT = 64 * 1024 * 1024;

/**
 * Every ZIP archive (plain zips, .npz, torch and Keras zips until a more
 * specific analyzer takes them): lists it like the loaders do, reports every
 * container trick, and hands each member to the engine with `scanNested`.
 */
export const zipHandler: FormatHandler = {
  formats: ["zip"],
  match(file, head, tail) {
    const kinds = sniff(head, tail);
    return kinds.includes("zip") || (kinds.includes("zip-trailing-directory") && plausibleEndRecord(tail, file.size));
  },
  async analyze(file, ctx) {
    const gate = new MemberGate(ctx, `zip "${file.name}"`);
    const archive = await openZip(file, {
      maxEntries: ctx.limits.maxMembersPerContainer,
      maxCentralDirectoryBytes: ctx.limits.maxReadBytes,
      signal: ctx.signal,
    });
    for (const issue of archive.issues) reportZipIssue(ctx, issue);
    if (archive.truncated && !archive.issues.some((i) => i.kind === "too-many-entries")) {
      ctx.incomplete(`zip: the central directory could not be fully read; ${archive.entries.length} of ${archive.declaredEntries} declared entries listed`);
    }
    if (archive.entries.length === 0 && archive.issues.some((i) => i.kind === "eocd-missing" || i.kind === "central-directory-truncated")) {
      await recoverFromLocalHeaders(file, ctx, gate, archive);
      return;
    }
    describeArchive(ctx, archive);
    if (archive.prependedBytes > 0 && gate.admit("<prepended>")) await gate.hand("<prepended>", windowSource(file, 0, archive.prependedBytes));
    const shared = new SharedData();
    for (const entry of archive.entries) {
      if (ctx.signal.aborted) {
        ctx.incomplete(`zip: aborted before "${entry.name}"`);
        return;
      }
      if (shared.seenBefore(entry)) continue;
      await analyzeEntry(file, ctx, gate, archive, entry);
    }
    shared.describe(ctx);
    await analyzeHiddenRegions(file, ctx, gate, archive);
    if (archive.trailingBytes > 0 && gate.admit("<trailing>")) {
      await gate.hand("<trailing>", windowSource(file, file.size - archive.trailingBytes, archive.trailingBytes));
    }
  },
};

/**
 * A file that does not start like a zip is claimed only when its tail holds an
 * end record that ends the file exactly and whose fields are consistent, so
 * four stray bytes in tensor data do not make a GGUF or safetensors file a "zip".
 */
function plausibleEndRecord(tail: Uint8Array, size: number): boolean {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.length);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    if (i + 22 + view.getUint16(i + 20, true) !== tail.length) continue;
    const disks = view.getUint16(i + 4, true) === 0 && view.getUint16(i + 6, true) === 0;
    const counts = view.getUint16(i + 8, true) === view.getUint16(i + 10, true);
    const cdSize = view.getUint32(i + 12, true);
    if (disks && counts && (cdSize === 0xffffffff || cdSize <= size)) return true;
  }
  return false;
}

function describeArchive(ctx: AnalyzerContext<unknown>, archive: ZipArchive): void {
  let files = 0;
  let directories = 0;
  let compressed = 0;
  let declared = 0;
  let encrypted = 0;
  for (const e of archive.entries) {
    if (e.isDirectory) directories++;
    else files++;
    compressed += e.compressedSize;
    declared += e.uncompressedSize;
    if (e.encryptionFlag) encrypted++;
  }
  ctx.describe({
    format: "zip",
    properties: {
      entries: archive.entries.length,
      files,
      directories,
      compressedBytes: compressed,
      uncompressedBytes: declared,
      zip64: archive.zip64,
      commentLength: archive.comment.length,
      encryptionFlagged: encrypted,
    },
  });
}

/**
 * Members whose bytes an earlier member already handed over (overlapping entries: one payload listed a
 * million times is the overlap bomb) are analysed once. The bytes are the same, so only the name could
 * change what analyzers do with them; members are folded only when their names also fall in the same
 * class (the base name with its digits folded, `m17.txt` ~ `m9.txt`), so a `requirements.txt` or a
 * `config.json` sharing a payload with `x.bin` is still analysed under its own name.
 */
class SharedData {
  private readonly first = new Map<string, string>();
  private folded = 0;
  private example: { member: string; sameAs: string } | undefined;

  /** True when a member with the same data and the same name class was already analysed (this one is counted, not analysed). */
  seenBefore(entry: ZipEntry): boolean {
    if (entry.dataOffset === undefined || entry.isSymlink || entry.isDirectory) return false;
    const base = entry.name.slice(entry.name.lastIndexOf("/") + 1).toLowerCase().replace(/[0-9]+/g, "#");
    const key = `${entry.dataOffset}:${entry.compressedSize}:${entry.uncompressedSize}:${entry.crc32}:${entry.method}:${entry.flags & 1}:${base}`;
    const first = this.first.get(key);
    if (first === undefined) {
      this.first.set(key, entry.name);
      return false;
    }
    this.folded++;
    this.example ??= { member: entry.name, sameAs: first };
    return true;
  }

  describe(ctx: AnalyzerContext<unknown>): void {
    if (this.folded === 0) return;
    ctx.describe({ format: "zip", properties: { membersSharingAnalysedData: this.folded, sharingExample: `"${this.example!.member}" has the data of "${this.example!.sameAs}"` } });
  }
}

async function analyzeEntry(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate, archive: ZipArchive, entry: ZipEntry): Promise<void> {
  const name = entry.name;
  const position = { byteOffset: entry.localHeaderOffset };
  if (entry.isDirectory && entry.uncompressedSize === 0 && entry.compressedSize === 0) return;
  if (entry.isSymlink) {
    await reportSymlink(ctx, archive, entry);
    return;
  }
  // Unsupported methods were reported (with an incomplete entry) from the listing.
  if (entry.method !== 0 && entry.method !== 8 && entry.method !== 99) return;
  if (entry.method === 8 && !gate.allowExpansion(`"${name}"`, entry.compressedSize, entry.uncompressedSize, position)) return;
  if (!gate.admit(name)) return;
  const data = await openEntryData(archive, entry, {
    maxReadBytes: ctx.limits.maxReadBytes,
    bufferLimit: Math.min(BUFFER_LIMIT, ctx.limits.maxReadBytes),
    signal: ctx.signal,
  });
  for (const issue of data.issues) reportZipIssue(ctx, issue);
  if (!data.ok) {
    if (data.reason === "encrypted") {
      ctx.report({
        ruleId: RULES.encryptedMember.id,
        message: `${data.message}: its content was not analyzed`,
        position,
        evidence: { member: name, method: entry.method, flags: entry.flags },
      });
      ctx.incomplete(`zip: member "${name}" is encrypted and was not analyzed`);
    } else {
      ctx.incomplete(`zip: member "${name}" not analyzed: ${data.message}`);
    }
    return;
  }
  if (entry.encryptionFlag) {
    ctx.report({
      ruleId: RULES.zipFlagBits.id,
      message: `"${name}" has the encryption flag set on data that is not encrypted (${entry.method === 0 ? "its sizes leave no room for an encryption header" : "it inflates cleanly"}): PyTorch ignores the flag and loads it, strict parsers refuse it (CVE-2025-1945)`,
      position,
      evidence: { member: name, flags: entry.flags, verified: data.verified },
    });
  }
  // The key other analyzers of this zip (the PyTorch one) hand the entry under: analyzed once.
  await gate.hand(name, data.source, `zip@${entry.localHeaderOffset}`);
  for (const issue of await data.finish()) reportZipIssue(ctx, issue);
}

async function reportSymlink(ctx: AnalyzerContext<unknown>, archive: ZipArchive, entry: ZipEntry): Promise<void> {
  let target = "";
  if (entry.compressedSize <= MAX_LINK_TARGET && entry.uncompressedSize <= MAX_LINK_TARGET) {
    const data = await openEntryData(archive, entry, { bufferLimit: MAX_LINK_TARGET, verifyStoredUpTo: MAX_LINK_TARGET });
    if (data.ok) target = new TextDecoder().decode(await data.source.read(0, MAX_LINK_TARGET));
  }
  const escapes = linkTargetEscapes(entry.name, target, true);
  ctx.report({
    ruleId: RULES.linkEntry.id,
    message: `"${entry.name}" is a symbolic link${target ? ` to "${target}"` : ""}${escapes ? ", which points outside the extraction folder" : ""}`,
    severity: escapes ? "high" : "medium",
    position: { byteOffset: entry.localHeaderOffset },
    evidence: { member: entry.name, kind: "symlink", target, escapes },
  });
}

/**
 * No usable central directory: walk the local headers the way streaming
 * extractors do, so whatever they would extract is still analyzed.
 */
async function recoverFromLocalHeaders(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate, archive: ZipArchive): Promise<void> {
  const scan = await scanLocalHeaders(file, { maxEntries: ctx.limits.maxMembersPerContainer });
  ctx.describe({ format: "zip", properties: { entries: scan.entries.length, recoveredFromLocalHeaders: true } });
  if (scan.entries.length === 0) return;
  ctx.report({
    ruleId: RULES.malformed.id,
    message: `no usable central directory: ${scan.entries.length} entries were recovered from local headers (streaming extractors read them)${scan.stopReason ? `; the walk stopped: ${scan.stopReason}` : ""}`,
    evidence: { recovered: scan.entries.length, stoppedAt: scan.stoppedAt },
  });
  if (scan.stopReason) ctx.incomplete(`zip: local header walk stopped: ${scan.stopReason}`);
  const recovered: ZipArchive = { ...archive, entries: scan.entries };
  for (const entry of scan.entries) {
    for (const problem of entryNameProblems(entry.name)) {
      const traversal = problem.kind === "path-traversal" || problem.kind === "absolute-path";
      ctx.report({ ruleId: traversal ? RULES.pathTraversal.id : RULES.suspiciousName.id, message: problem.message, position: { byteOffset: entry.localHeaderOffset }, evidence: { member: entry.name, issue: problem.kind } });
    }
    if (entry.method !== 0 && entry.method !== 8) {
      ctx.report({ ruleId: RULES.unsupportedCompression.id, message: `"${entry.name}" uses compression method ${entry.method}`, position: { byteOffset: entry.localHeaderOffset }, evidence: { member: entry.name, method: entry.method } });
      ctx.incomplete(`zip: member "${entry.name}" not decoded (method ${entry.method})`);
      continue;
    }
    await analyzeEntry(file, ctx, gate, recovered, entry);
  }
}

const LOCAL_SIG = 0x04034b50;

/**
 * Regions no listed entry accounts for may hold local entries that only
 * streaming readers see: parse each one's local header and hand its data over.
 */
async function analyzeHiddenRegions(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate, archive: ZipArchive): Promise<void> {
  for (const gap of archive.unreferenced) {
    if (gap.offset === 0 || gap.offset + gap.length >= file.size) continue;
    const end = gap.offset + gap.length;
    const head = await file.read(gap.offset, Math.min(end, gap.offset + 30));
    if (head.length < 30) continue;
    const view = new DataView(head.buffer, head.byteOffset, head.length);
    if (view.getUint32(0, true) !== LOCAL_SIG) continue;
    const method = view.getUint16(8, true);
    const compressed = view.getUint32(18, true);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const dataStart = gap.offset + 30 + nameLength + extraLength;
    if (dataStart > end) continue;
    const localName = new TextDecoder().decode(await file.read(gap.offset + 30, gap.offset + 30 + nameLength));
    const dataEnd = compressed > 0 && dataStart + compressed <= end ? dataStart + compressed : end;
    const name = `<hidden@${gap.offset}>/${localName}`;
    ctx.report({
      ruleId: RULES.zipHiddenData.id,
      message: `a local entry "${localName}" at byte ${gap.offset} is missing from the central directory: streaming readers extract it, directory readers do not`,
      severity: "high",
      position: { byteOffset: gap.offset },
      evidence: { member: localName, offset: gap.offset, method },
    });
    if (!gate.admit(name)) return;
    if (method === 0) await gate.hand(name, windowSource(file, dataStart, dataEnd - dataStart));
    else if (method === 8) {
      const limit = Math.min(BUFFER_LIMIT, ctx.limits.maxReadBytes, Math.max(1, (dataEnd - dataStart) * ctx.limits.maxCompressionRatio));
      const result = await decodeBounded(file.stream(dataStart, dataEnd), inflateRaw, { maxOutput: limit, keepUpTo: limit, signal: ctx.signal });
      if (result.overflow || result.error !== undefined) ctx.incomplete(`zip: hidden entry "${localName}" only partly inflated (${result.error ?? "output limit"})`);
      if (result.bytes && gate.allowExpansion(name, dataEnd - dataStart, result.length)) await gate.hand(name, bytesSource(result.bytes));
    } else ctx.incomplete(`zip: hidden entry "${localName}" uses method ${method} and was not analyzed`);
  }
}
