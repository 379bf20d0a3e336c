import type { Stats } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ModelwardError, type ModelFile, type OpenedTarget, type Source, type SourceContext } from "@modelward/core";
import { localFile } from "./local-file.js";
import { spoolToTempFile } from "./stdin-spool.js";
import { walk } from "./walk.js";

/** The target that means standard input. */
export const STDIN_TARGET = "-";

/** How standard input appears in reports. */
export const STDIN_PATH = "<stdin>";

/** What the file source reads `-` from; injectable for tests. */
export interface FileSourceDeps {
  stdin: () => AsyncIterable<Uint8Array | string>;
}

/**
 * Local files and folders. A file target is scanned as itself; a folder is
 * walked recursively in sorted order (stable reports): symlinks to files
 * followed wherever they lead, symlinks to folders only inside it. `-` is standard input, spooled to a bounded temporary
 * file (`limits.maxStdinBytes`). An empty target is refused: it must never
 * silently mean the working directory.
 */
export function createFileSource(deps: FileSourceDeps): Source {
  return {
    id: "file",
    description: "Local files and directories (recursive), read with positioned I/O; - reads standard input.",
    schemes: [],
    async open(target, ctx) {
      if (target.trim() === "") throw new ModelwardError("MW_TARGET_NOT_FOUND", "empty target: give a file, a folder or - for standard input");
      if (target === STDIN_TARGET) return openStdin(deps, ctx);
      const input = target.startsWith("file://") ? new URL(target).pathname : target;
      const abs = resolve(input);
      const info = await lstat(abs).catch(() => undefined);
      if (!info) throw new ModelwardError("MW_TARGET_NOT_FOUND", `no such file or folder: ${abs}`);
      const real = await realpath(abs).catch((error: unknown) => {
        throw unresolvedTarget(abs, error);
      });
      const realInfo = info.isSymbolicLink() ? await stat(real) : info;
      const description = { uri: pathToFileURL(abs).href + (realInfo.isDirectory() ? "/" : ""), input: target, source: "file" };
      if (realInfo.isDirectory()) {
        return {
          description,
          files: () => walk(real, Buffer.from(real), "", ctx, new Set([Buffer.from(real).toString("latin1")])),
          close: async () => {},
        };
      }
      if (!realInfo.isFile()) throw new ModelwardError("MW_TARGET_UNSUPPORTED", `${abs} is ${specialKind(realInfo)}, not a file or folder: to scan what it delivers, pipe it in (modelward scan - < ${target})`);
      // A single file's root is its folder, so its path in the report is its name.
      description.uri = pathToFileURL(dirname(abs)).href + "/";
      return {
        description,
        async *files(): AsyncGenerator<ModelFile> {
          yield localFile(real, basename(abs), realInfo.size, { mtimeMs: realInfo.mtimeMs, ...(info.isSymbolicLink() ? { linkedTo: real } : {}) });
        },
        close: async () => {},
      };
    },
  };
}

/** A target symlink that leads nowhere, or in a circle: said plainly, with the code of a missing target. */
function unresolvedTarget(abs: string, error: unknown): ModelwardError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new ModelwardError("MW_TARGET_NOT_FOUND", `${abs} is a broken symlink: what it points to does not exist`);
  if (code === "ELOOP") return new ModelwardError("MW_TARGET_NOT_FOUND", `${abs} is a symlink loop: following it never reaches a file`);
  if (code === "EACCES" || code === "EPERM") return new ModelwardError("MW_TARGET_NOT_FOUND", `${abs}: permission denied while following its symlinks`);
  return new ModelwardError("MW_TARGET_NOT_FOUND", `${abs} could not be resolved: ${code ?? String(error)}`, { cause: error });
}

/** What a special file is, in words. */
function specialKind(info: Stats): string {
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "a special file";
}

async function openStdin(deps: FileSourceDeps, ctx: SourceContext<unknown>): Promise<OpenedTarget> {
  const limit = ctx.limits.maxStdinBytes;
  const spool = await spoolToTempFile(deps.stdin(), limit);
  return {
    description: { uri: "stdin:", input: STDIN_TARGET, source: "file" },
    async *files(): AsyncGenerator<ModelFile> {
      if (spool.truncated) {
        // Only a prefix was kept: analysing it as the whole would judge a different file.
        ctx.incomplete({ path: STDIN_PATH, reason: `standard input is larger than maxStdinBytes (${limit} bytes); not analysed` });
        return;
      }
      yield localFile(spool.path, STDIN_PATH, spool.size);
    },
    close: () => spool.remove(),
  };
}

/** The file source, reading `-` from the process's standard input. */
export const fileSource: Source = createFileSource({ stdin: () => process.stdin });
