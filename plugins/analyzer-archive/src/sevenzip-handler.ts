import type { AnalyzerContext, ModelFile } from "@modelward/core";
import { bytesSource, entryNameProblems, sniff } from "@modelward/plugin-kit";
import type { SevenZipModule } from "7z-wasm";
import { MemberGate } from "./member-gate.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { parseSevenZipListing, type SevenZipItem } from "./sevenzip-listing.js";

// 7-Zip runs as 32-bit WASM over an in-memory file system (MEMFS): the archive and
// everything extracted live in its heap, which cannot pass 2 GiB. These bound it well
// below that; larger 7z archives are reported as not analyzed.
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
// A dummy password keeps 7-Zip from prompting on stdin for encrypted archives.
const NO_PASSWORD = "-pmodelward-no-password";
const ARCHIVE = "/archive.7z";
const OUT = "/out";

interface Session {
  module: SevenZipModule;
  output: string[];
  call(args: string[]): number;
}

async function open(): Promise<Session> {
  const output: string[] = [];
  // 7-Zip's WASM build is loaded on the first 7z archive, not with the plugin.
  const { default: SevenZip } = await import("7z-wasm");
  const module = await SevenZip({ print: (s: string) => void output.push(s), printErr: (s: string) => void output.push(s), stdin: () => null as unknown as number });
  return {
    module,
    output,
    call(args) {
      output.length = 0;
      // Emscripten's exit path sets process.exitCode from 7-Zip's status: keep ours.
      const saved = process.exitCode;
      try {
        const status = (module.callMain as unknown as (a: string[]) => unknown)(args);
        return typeof status === "number" ? status : 0;
      } catch (error) {
        output.push(`threw: ${String(error)}`);
        return -1;
      } finally {
        process.exitCode = saved;
      }
    },
  };
}

/**
 * 7z archives (the nullifAI wrapper, C6/C7), opened with 7-Zip compiled to
 * WASM entirely in memory and within fixed size bounds: members are listed,
 * checked (paths, links, encryption, ratio), extracted into memory and handed
 * back to the engine whatever their names.
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

async function analyzeArchive(file: ModelFile, ctx: AnalyzerContext<unknown>, gate: MemberGate): Promise<void> {
  let session: Session;
  try {
    session = await open();
  } catch (error) {
    notOpened(ctx, file, `7-Zip (WASM) failed to start: ${String(error)}`);
    return;
  }
  const fs = session.module.FS;
  const stream = fs.open(ARCHIVE, "w+");
  for await (const chunk of file.stream()) fs.write(stream, chunk, 0, chunk.length);
  fs.close(stream);

  const status = session.call(["l", "-slt", NO_PASSWORD, ARCHIVE]);
  const listing = parseSevenZipListing(session.output.join("\n"));
  if (!listing) {
    const detail = session.output.filter((l) => /error|threw/i.test(l)).join(" ").trim() || `7-Zip exit status ${status}`;
    ctx.report({ ruleId: RULES.malformed.id, message: `7z archive "${file.name}" could not be listed (${detail}); its members were not analyzed`, evidence: { status, detail } });
    ctx.incomplete(`7z: listing failed: ${detail}`);
    return;
  }
  if (status !== 0) {
    ctx.report({ ruleId: RULES.malformed.id, message: `7-Zip reported errors listing "${file.name}" (status ${status}): the listing may be partial`, evidence: { status } });
    ctx.incomplete(`7z: listing reported errors (status ${status})`);
  }
  const files = listing.items.filter((i) => !i.isDirectory);
  const declared = files.reduce((n, i) => n + i.size, 0);
  ctx.describe({
    format: "7z",
    properties: { entries: listing.items.length, files: files.length, uncompressedBytes: declared, method: listing.archive.Method ?? "", solid: listing.archive.Solid === "+" },
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
  const total = extractable.reduce((n, i) => n + i.size, 0);
  if (total > MAX_UNPACKED_BYTES) {
    notOpened(ctx, file, `its members declare ${total} bytes, above the ${MAX_UNPACKED_BYTES} bytes that may be unpacked in memory`);
    return;
  }
  if (!gate.allowExpansion(`the members of "${file.name}"`, file.size, total)) return;
  if (extractable.length === 0) return;

  const xStatus = session.call(["x", NO_PASSWORD, `-o${OUT}`, "-y", "-bso0", "-bsp0", ARCHIVE]);
  const errors = session.output.filter((l) => /error|threw/i.test(l));
  const found = new Map<string, Uint8Array>();
  collect(session, OUT, "", found);
  for (const item of extractable) {
    if (ctx.signal.aborted) {
      ctx.incomplete(`7z: aborted before "${item.path}"`);
      return;
    }
    // 7-Zip extracts "../a" as "a" and "/a" as "a": look the member up the same way.
    const key = item.path
      .replace(/\\/g, "/")
      .split("/")
      .filter((part) => part !== "" && part !== "." && part !== "..")
      .join("/");
    const bytes = found.get(key);
    if (!bytes) {
      ctx.report({ ruleId: RULES.malformed.id, message: `7-Zip could not extract "${item.path}" (${errors.join(" ").trim() || `status ${xStatus}`}): it was not analyzed`, evidence: { member: item.path, status: xStatus } });
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

// Reads regular files only (lstat: links are never followed), copying them out of the WASM heap.
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
      into.set(`${prefix}${name}`, fs.readFile(path).slice());
      fs.unlink(path);
    }
  }
}
