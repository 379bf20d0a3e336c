import { lstat, realpath, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ModelwardError, type ModelFile, type Source } from "@modelward/core";
import { localFile } from "./local-file.js";
import { walk } from "./walk.js";

/**
 * Local files and folders. A file target is scanned as itself; a folder is
 * walked recursively in sorted order (stable reports), symlinks followed only
 * inside the folder.
 */
export const fileSource: Source = {
  id: "file",
  description: "Local files and directories (recursive), read with positioned I/O.",
  schemes: [],
  async open(target, ctx) {
    const input = target.startsWith("file://") ? new URL(target).pathname : target;
    const abs = resolve(input);
    const info = await lstat(abs).catch(() => undefined);
    if (!info) throw new ModelwardError("MW_TARGET_NOT_FOUND", `no such file or folder: ${abs}`);
    const real = await realpath(abs);
    const realInfo = info.isSymbolicLink() ? await stat(real) : info;
    const description = { uri: pathToFileURL(abs).href + (realInfo.isDirectory() ? "/" : ""), input: target, source: "file" };
    if (realInfo.isDirectory()) {
      return {
        description,
        files: () => walk(real, real, "", ctx, new Set([real])),
        close: async () => {},
      };
    }
    if (!realInfo.isFile()) throw new ModelwardError("MW_TARGET_NOT_FOUND", `not a regular file or folder: ${abs}`);
    // A single file's root is its folder, so its path in the report is its name.
    description.uri = pathToFileURL(dirname(abs)).href + "/";
    return {
      description,
      async *files(): AsyncGenerator<ModelFile> {
        yield localFile(real, basename(abs), realInfo.size);
      },
      close: async () => {},
    };
  },
};
