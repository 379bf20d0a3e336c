import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ModelwardError } from "@modelward/core";

/**
 * Checks, before a scan, that a report file can be written: not a folder, its
 * folder exists or can be created, and writing is permitted. Creates missing
 * parent folders (as `-o out/report.json` promises) but not the file itself,
 * so a scan refused later leaves nothing behind. Throws `MW_OUTPUT_UNWRITABLE`.
 */
export function checkWritable(file: string, format: string): void {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    if (info) accessSync(file, constants.W_OK);
    else {
      const folder = dirname(file);
      mkdirSync(folder, { recursive: true });
      accessSync(folder, constants.W_OK);
    }
  } catch (error) {
    throw outputError(file, format, error);
  }
}

const EXTENSIONS: Record<string, string> = { cyclonedx: "cdx.json", console: "txt" };

/** A plain error for a report that cannot be written: what, why, and what to do. */
export function outputError(file: string, format: string, error: unknown): ModelwardError {
  if (ModelwardError.isInstance(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    EISDIR: "it is a folder; give a file name, e.g. " + `${file.replace(/\/$/, "")}/modelward.${EXTENSIONS[format] ?? format}`,
    EACCES: "permission denied; choose a folder you can write to",
    EPERM: "permission denied; choose a folder you can write to",
    EROFS: "the file system is read-only; choose another folder",
    ENOSPC: "the disk is full; free some space or write elsewhere",
    EDQUOT: "the disk quota is exhausted; free some space or write elsewhere",
    ENOTDIR: "a part of the path is a file, not a folder",
    ENOENT: "its folder does not exist and could not be created",
    ENAMETOOLONG: "the path is too long",
  };
  const reason = (code && why[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ModelwardError("MW_OUTPUT_UNWRITABLE", `cannot write the ${format} report to ${file}: ${reason}`, { cause: error });
}
