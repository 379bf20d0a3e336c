import type { AnalyzerContext, ModelFile } from "@modelward/core";
import { bytesSource, entryNameProblems, sniff } from "@modelward/plugin-kit";
import type { SevenZipModule } from "7z-wasm";
import { MemberGate } from "./member-gate.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { SevenZipListingReader, type SevenZipItem } from "./sevenzip-listing.js";

// 7-Zip runs as 32-bit WASM over an in-memory file system (MEMFS): the archive lives in
// memory while it is read, and extracted members until they are handed over. Both are
// bounded so a scan stays within a few hundred megabytes; larger 7z archives (or contents)
// are reported as not analyzed.
const MAX_ARCHIVE_BYTES = 96 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 96 * 1024 * 1024;
// Output lines kept for error messages; the listing itself is parsed as it is printed.
const MAX_OUTPUT_LINES = 200;
// A dummy password keeps 7-Zip from prompting on stdin for encrypted archives.
const NO_PASSWORD = "-pmodelward-no-password";
const ARCHIVE = "/archive.7z";
const OUT = "/out";

interface Session {
  module: SevenZipModule;
  /** The last lines 7-Zip printed (bounded). */
  output: string[];
  /** Runs 7-Zip; `onLine` sees every printed line (the listing parser). Returns its status, or a failure. */
  call(args: string[], onLine?: (line: string) => void): { status: number; failure?: string };
}

/**
 * What an exception out of the WASM build means: Emscripten throws a bare number
 * (a pointer to a C++ exception object, typically std::bad_alloc) or an abort.
 */
export function describeSevenZipFailure(error: unknown): string {
  if (typeof error === "number" || /^\d+$/.test(String(error))) return "7-Zip stopped with an internal error (out of memory, or data it cannot decode)";
  const text = error instanceof Error ? error.message : String(error);
  if (/abort|out of memory|memory access/i.test(text)) return `7-Zip aborted (${text.slice(0, 120)})`;
  return `7-Zip failed: ${text.slice(0, 200)}`;
}

async function open(): Promise<Session> {
  const output: string[] = [];
  let sink: ((line: string) => void) | undefined;
  const print = (s: string) => {
    sink?.(s);
    if (output.length < MAX_OUTPUT_LINES) output.push(s);
  };
  // 7-Zip's WASM build is loaded on the first 7z archive, not with the plugin.
  const { default: SevenZip } = await import("7z-wasm");
  const module = await SevenZip({ print, printErr: print, stdin: () => null as unknown as number });
  return {
    module,
    output,
    call(args, onLine) {
      output.length = 0;
      sink = onLine;
      // Emscripten's exit path sets process.exitCode from 7-Zip's status: keep ours.
      const saved = process.exitCode;
      try {
        const status = (module.callMain as unknown as (a: string[]) => unknown)(args);
        return { status: typeof status === "number" ? status : 0 };
      } catch (error) {
        return { status: -1, failure: describeSevenZipFailure(error) };
      } finally {
        sink = undefined;
        process.exitCode = saved;
      }
    },
  };
}

/**
 * 7z archives (the nullifAI wrapper, C6/C7), opened with 7-Zip compiled to
 * WASM entirely in memory and within fixed bounds: the listing is parsed as it
 * is printed and capped at maxMembersPerContainer, members are checked (paths,
 * links, encryption, ratio), extracted within a memory bound and handed back to
 * the engine whatever their names.
 */
export const sevenZipHandler: FormatHandler = {
  formats: ["7z"],
  match(_file, head) {
    return sniff(head).includes("7z");
  },
  async analyze(file, ctx) {
    const limit = Math.min(MAX_ARCHIVE_BYTES, ctx.limits.maxReadBytes);
    if (file.size > limit) {
      notOpened(ctx, file, `it is ${file.size} bytes, above the ${limit} bytes 7-Zip may hold in memory`);
      return;
    }
    const gate = new MemberGate(ctx, `7z "${file.name}"`);
    await analyzeArchive(file, ctx, gate);
  },
};

function notOpened(ctx: AnalyzerContext<unknown>, file: ModelFile, why: string): void {
  ctx.report({ ruleId: RULES.notAnalyzed.id, message: `7z archive "${file.name}" was not opened: ${why}; its members were not analyzed`, evidence: { size: file.size, reason: why } });
  ctx.incomplete(`7z: not opened: ${why}`);
}

function errorsOf(session: Session, failure: string | undefined, status: number): string {
  const lines = session.output.filter((l) => /error/i.test(l)).join(" ").trim();
  return [failure, lines].filter(Boolean).join("; ") || `7-Zip exit status ${status}`;
}

async function analyzeArchive(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate): Promise<void> {
  let session: Session;
  try {
    session = await open();
  } catch (error) {
    notOpened(ctx, file, `7-Zip (WASM) failed to start: ${describeSevenZipFailure(error)}`);
    return;
  }
  const fs = session.module.FS;
  const stream = fs.open(ARCHIVE, "w+");
  for await (const chunk of file.stream()) fs.write(stream, chunk, 0, chunk.length);
  fs.close(stream);

  const maxMembers = ctx.limits.maxMembersPerContainer;
  const reader = new SevenZipListingReader(maxMembers);
  // Parsed as printed: past the cap members are only counted. (Throwing from the print callback to stop
  // 7-Zip early makes it retry the write forever, so a huge listing runs to its end, in bounded memory.)
  const { status, failure } = session.call(["l", "-slt", NO_PASSWORD, ARCHIVE], (line) => reader.line(line));
  const listing = reader.finish();
  if (!listing) {
    const detail = errorsOf(session, failure, status);
    ctx.report({ ruleId: RULES.malformed.id, message: `7z archive "${file.name}" could not be listed (${detail}); its members were not analyzed`, evidence: { status, detail } });
    ctx.incomplete(`7z: listing failed: ${detail}`);
    return;
  }
  if (status !== 0) {
    const detail = errorsOf(session, failure, status);
    ctx.report({ ruleId: RULES.malformed.id, message: `7-Zip reported errors listing "${file.name}" (${detail}): the listing may be partial`, evidence: { status, detail } });
    ctx.incomplete(`7z: listing reported errors (${detail})`);
  }
  const flood = listing.total > maxMembers;
  if (flood) {
    // Extracting would cost 7-Zip time per member for all of them: the names are checked, nothing is extracted.
    ctx.report({
      ruleId: RULES.entryBomb.id,
      message: `7z "${file.name}" lists ${listing.total} members, more than maxMembersPerContainer (${maxMembers}): no member was extracted (the first ${maxMembers} names were checked)`,
      evidence: { members: listing.total, limit: maxMembers },
    });
    ctx.incomplete(`7z: more than maxMembersPerContainer (${maxMembers}) members; none extracted`);
  }
  const files = listing.items.filter((i) => !i.isDirectory);
  const declared = files.reduce((n, i) => n + i.size, 0);
  ctx.describe({
    format: "7z",
    properties: { entries: listing.total, files: files.length, uncompressedBytes: declared, method: listing.archive.Method ?? "", solid: listing.archive.Solid === "+" },
  });
  const extractable: SevenZipItem[] = [];
  for (const item of listing.items) {
    for (const problem of entryNameProblems(item.path)) {
      const traversal = problem.kind === "path-traversal" || problem.kind === "absolute-path";
      ctx.report({ ruleId: traversal ? RULES.pathTraversal.id : RULES.suspiciousName.id, message: problem.message, evidence: { member: item.path, issue: problem.kind } });
    }
    if (item.isSymlink) {
      ctx.report({ ruleId: RULES.linkEntry.id, message: `"${item.path}" is a symbolic link`, evidence: { member: item.path, kind: "symlink" } });
    } else if (item.encrypted) {
      ctx.report({ ruleId: RULES.encryptedMember.id, message: `"${item.path}" is encrypted (${item.method}): its content was not analyzed`, evidence: { member: item.path, method: item.method } });
      ctx.incomplete(`7z: member "${item.path}" is encrypted and was not analyzed`);
    } else if (!item.isDirectory) extractable.push(item);
  }
  if (flood) return;
  const total = extractable.reduce((n, i) => n + i.size, 0);
  if (total > MAX_UNPACKED_BYTES) {
    notOpened(ctx, file, `its members declare ${total} bytes, above the ${MAX_UNPACKED_BYTES} bytes that may be unpacked in memory`);
    return;
  }
  if (!gate.allowExpansion(`the members of "${file.name}"`, file.size, total)) return;
  if (extractable.length === 0) return;

  const result = session.call(["x", NO_PASSWORD, `-o${OUT}`, "-y", "-bso0", "-bsp0", ARCHIVE]);
  const found = new Map<string, Uint8Array>();
  collect(session, OUT, "", found);
  const detail = errorsOf(session, result.failure, result.status);
  for (const item of extractable) {
    if (ctx.signal.aborted) {
      ctx.incomplete(`7z: aborted before "${item.path}"`);
      return;
    }
    const key = extractedName(item.path);
    const bytes = found.get(key);
    if (!bytes) {
      ctx.report({ ruleId: RULES.malformed.id, message: `7-Zip could not extract "${item.path}" (${detail}): it was not analyzed`, evidence: { member: item.path, status: result.status, detail } });
      ctx.incomplete(`7z: member "${item.path}" not extracted`);
      continue;
    }
    found.delete(key);
    if (!gate.admit(item.path)) return;
    await gate.hand(item.path, bytesSource(bytes));
  }
  // 7-Zip sanitises names (drops "..", leading "/"): hand over anything extracted under another name.
  for (const [name, bytes] of found) {
    if (!gate.admit(name)) return;
    await gate.hand(name, bytesSource(bytes));
  }
}

// Reads regular files only (lstat: links are never followed), moving each out of MEMFS (readFile copies, unlink frees).
function collect(session: Session, dir: string, prefix: string, into: Map<string, Uint8Array>): void {
  const fs = session.module.FS;
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === "." || name === "..") continue;
    const path = `${dir}/${name}`;
    const mode = fs.lstat(path).mode;
    if (fs.isDir(mode)) collect(session, path, `${prefix}${name}/`, into);
    else if (fs.isFile(mode)) {
      into.set(`${prefix}${name}`, fs.readFile(path));
      fs.unlink(path);
    }
  }
}

// 7-Zip extracts "../a" as "a" and "/a" as "a": look the member up the same way.
function extractedName(path: string): string {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .filter((part) => part !== "" && part !== "." && part !== "..")
    .join("/");
}
