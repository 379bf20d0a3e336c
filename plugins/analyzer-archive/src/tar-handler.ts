import type { AnalyzerContext, ModelFile } from "@modelward/core";
import { entryNameProblems, linkTargetEscapes, sniff, windowSource } from "@modelward/plugin-kit";
import { MemberGate } from "./member-gate.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { readTar, tarChecksumOk, type TarEntry, type TarIssue } from "./tar-reader.js";
import { sparseSource } from "./tar-sparse.js";

/**
 * tar archives (ustar, GNU, pax; legacy PyTorch checkpoints are tars too):
 * link and path tricks reported, every regular member handed back to the
 * engine as a window onto the archive (no copy, no decompression).
 */
export const tarHandler: FormatHandler = {
  formats: ["tar"],
  match(_file, head) {
    // ustar magic, or a pre-POSIX (v7) header whose checksum holds.
    return sniff(head).includes("tar") || (head.length >= 512 && head[0] !== 0 && tarChecksumOk(head.subarray(0, 512)));
  },
  async analyze(file, ctx) {
    const gate = new MemberGate(ctx, `tar "${file.name}"`);
    const listing = await readTar(file, { maxEntries: ctx.limits.maxMembersPerContainer, signal: ctx.signal });
    for (const issue of listing.issues) reportTarIssue(ctx, issue);
    ctx.describe({
      format: "tar",
      properties: {
        entries: listing.entries.length,
        files: listing.entries.filter((e) => isRegular(e)).length,
        tarFormat: listing.format,
      },
    });
    for (const entry of listing.entries) {
      if (ctx.signal.aborted) {
        ctx.incomplete(`tar: aborted before "${entry.name}"`);
        return;
      }
      await analyzeEntry(file, ctx, gate, entry);
    }
    if (listing.trailing && gate.admit("<trailing>")) {
      await gate.hand("<trailing>", windowSource(file, listing.trailing.offset, listing.trailing.length));
    }
  },
};

function isRegular(e: TarEntry): boolean {
  return !"123456".includes(e.type);
}

async function analyzeEntry(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate, entry: TarEntry): Promise<void> {
  const position = { byteOffset: entry.headerOffset };
  for (const problem of entryNameProblems(entry.name)) {
    const traversal = problem.kind === "path-traversal" || problem.kind === "absolute-path";
    ctx.report({
      ruleId: traversal ? RULES.pathTraversal.id : RULES.suspiciousName.id,
      message: problem.message,
      ...(problem.kind === "unusual-name" ? { severity: "medium" as const } : {}),
      position,
      evidence: { member: entry.name, issue: problem.kind },
    });
  }
  if (entry.type === "1" || entry.type === "2") {
    const target = entry.linkName;
    const escapes = linkTargetEscapes(entry.name, target, entry.type === "2");
    const kind = entry.type === "2" ? "symbolic link" : "hard link";
    ctx.report({
      ruleId: RULES.linkEntry.id,
      message: `"${entry.name}" is a ${kind} to "${target}"${escapes ? ", which points outside the extraction folder" : ""}`,
      severity: escapes ? "high" : "medium",
      position,
      evidence: { member: entry.name, kind: entry.type === "2" ? "symlink" : "hardlink", target, escapes },
    });
    return;
  }
  if (entry.type === "3" || entry.type === "4" || entry.type === "6") {
    ctx.report({
      ruleId: RULES.linkEntry.id,
      message: `"${entry.name}" is a ${entry.type === "6" ? "FIFO" : "device node"}: extracting it as root creates a special file`,
      position,
      evidence: { member: entry.name, kind: entry.type === "6" ? "fifo" : "device" },
    });
    return;
  }
  if (entry.type === "5") return;
  // Everything else (regular, contiguous, sparse, unknown vendor types) has data: analyze it.
  if (!gate.admit(entry.name)) return;
  const stored = windowSource(file, entry.dataOffset, entry.size);
  if (!entry.sparse) {
    await gate.hand(entry.name, stored);
    return;
  }
  // Extracted as tar extracts it (holes as zeros): what a loader opens after `tar -x`/`extractall`.
  const holes = entry.sparse.realSize - Math.min(entry.size, entry.sparse.realSize);
  if (holes > 0 && !gate.allowExpansion(entry.name, entry.size, entry.sparse.realSize, position)) return;
  await gate.hand(entry.name, sparseSource(stored, entry.sparse));
}

function reportTarIssue(ctx: AnalyzerContext<unknown>, issue: TarIssue): void {
  const position = { byteOffset: issue.offset };
  const evidence = { issue: issue.kind, ...(issue.entry !== undefined ? { member: issue.entry } : {}) };
  switch (issue.kind) {
    case "too-many-entries":
      ctx.report({ ruleId: RULES.entryBomb.id, message: `tar: ${issue.message}`, position, evidence });
      ctx.incomplete(`tar: ${issue.message}`);
      return;
    case "trailing-data":
      ctx.report({ ruleId: RULES.malformed.id, message: `tar: ${issue.message}; the bytes were handed to analysis as their own artifact`, position, evidence });
      return;
    case "missing-end":
      ctx.report({ ruleId: RULES.malformed.id, message: `tar: ${issue.message}`, severity: "low", position, evidence });
      return;
    case "sparse":
      ctx.report({ ruleId: RULES.malformed.id, message: `tar: ${issue.message}; analyzed as extracted, holes filled with zeros`, severity: "low", position, evidence });
      return;
    case "sparse-map":
      ctx.report({ ruleId: RULES.malformed.id, message: `tar: ${issue.message}; its stored bytes were analyzed as they are`, position, evidence });
      ctx.incomplete(`tar: ${issue.message}`);
      return;
    default:
      ctx.report({ ruleId: RULES.malformed.id, message: `tar: ${issue.message}`, position, evidence });
      ctx.incomplete(`tar: ${issue.message}`);
  }
}
