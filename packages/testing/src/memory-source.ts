import { definePlugin, ModelwardError, type ModelFile, type Source } from "@modelward/core";
import { memoryFile } from "./memory-file.js";

/** Files of an in-memory target: root-relative path → bytes. */
export type MemoryTree = Record<string, Uint8Array>;

const trees = new Map<string, MemoryTree>();
let counter = 0;

/**
 * Registers a tree and returns the `memory://…` target that scans it.
 * Lets tests run the real engine without touching the disk.
 */
export function memoryTarget(tree: MemoryTree): string {
  const id = `memory://tree-${++counter}`;
  trees.set(id, tree);
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
    return {
      description: { uri: `${target}/`, input: target, source: "memory" },
      async *files(): AsyncGenerator<ModelFile> {
        for (const path of Object.keys(tree).sort()) yield memoryFile(path, tree[path]!);
      },
      close: async () => {
        trees.delete(target);
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
