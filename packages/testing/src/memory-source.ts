import { definePlugin, ModelwardError, type ModelFile, type Source } from "@modelward/core";
import { memoryFile } from "./memory-file.js";

/** Files of an in-memory target: root-relative path → bytes. */
export type MemoryTree = Record<string, Uint8Array>;

const trees = new Map<string, MemoryTree>();
const singleFiles = new Set<string>();
let counter = 0;

/**
 * Registers a tree and returns the `memory://…` target that scans it.
 * Lets tests run the real engine without touching the disk. With `file`, the
 * target stands for its one file scanned alone (as `modelward scan model.onnx`:
 * the target is the file, with no siblings listed), not for a folder holding it.
 */
export function memoryTarget(tree: MemoryTree, options: { file?: boolean } = {}): string {
  const id = `memory://tree-${++counter}`;
  trees.set(id, tree);
  if (options.file && Object.keys(tree).length === 1) singleFiles.add(id);
  return id;
}

/** The `memory://` source: yields the files of a tree registered with {@link memoryTarget}, sorted by path. */
export const memorySource: Source = {
  id: "memory",
  description: "In-memory file trees for tests.",
  schemes: ["memory://"],
  async open(target) {
    const tree = trees.get(target);
    if (!tree) throw new ModelwardError("MW_TARGET_NOT_FOUND", `no memory tree ${target}`);
    const single = singleFiles.has(target) ? Object.keys(tree)[0] : undefined;
    return {
      // A file target names the file, as a path to a file does for the file source.
      description: { uri: `${target}/`, input: single !== undefined ? `${target}/${single}` : target, source: "memory" },
      async *files(): AsyncGenerator<ModelFile> {
        for (const path of Object.keys(tree).sort()) yield memoryFile(path, tree[path]!);
      },
      close: async () => {
        trees.delete(target);
        singleFiles.delete(target);
      },
    };
  },
};

/** A plugin providing {@link memorySource}. */
export const memorySourcePlugin = definePlugin({
  apiVersion: 1,
  meta: { name: "@modelward/testing", version: "0.0.0", namespace: "memory" },
  sources: { memory: memorySource },
});
