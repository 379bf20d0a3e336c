import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Node, Parser, Tree } from "web-tree-sitter";

export type { Node as PythonNode, Tree as PythonTree } from "web-tree-sitter";

/**
 * Most UTF-16 code units of Python handed to the parser at once. Tree-sitter's
 * WASM heap grows with the input (about 20× its size) and never shrinks, so a
 * generated multi-megabyte module is not parsed; the caller reports it incomplete.
 */
export const MAX_PARSED_CHARS = 4 * 1024 * 1024;

// The CJS build has a real `require`; the ESM build (where esbuild may put a `require` shim without `resolve`) and
// vitest resolve from this module's URL.
declare const require: NodeJS.Require | undefined;
const resolver = (): NodeJS.Require => (typeof require === "function" && typeof require.resolve === "function" ? require : createRequire(import.meta.url));

let loading: Promise<Parser> | undefined;

/**
 * Tree-sitter's Python grammar (`tree-sitter-python`'s prebuilt WASM) on
 * `web-tree-sitter`, loaded on first use only: a scan without Python sources
 * or notebooks never loads either (start-up stays fast). One parser serves
 * every analysis: `parse` is synchronous, so calls never interleave.
 */
export function pythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const { Parser: ParserClass, Language } = await import("web-tree-sitter");
    await ParserClass.init();
    const wasm = await readFile(resolver().resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const language = await Language.load(new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength));
    const parser = new ParserClass();
    parser.setLanguage(language);
    return parser;
  })();
  // A failed load is not cached: the next file tries again (and reports its own failure).
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * Parses Python source into a syntax tree (error-tolerant: syntax errors
 * become `ERROR` nodes around otherwise parsed code). The caller must
 * `delete()` the tree. Positions are 0-based rows and UTF-16 columns.
 */
export async function parsePython(source: string): Promise<Tree> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}

/**
 * Every node of a tree whose type `wanted` holds, in document order (pre-order: a node before the nodes inside
 * it), except `ERROR` nodes, which come after all the others. The walk runs inside tree-sitter's WASM
 * (`descendantsOfType`): stepping a cursor from JavaScript crossed into WASM for every node and was most of the
 * time spent on a file. `ERROR` nodes are found by a cursor walk, and only in a tree that has some: asked for
 * together with other types, this version of `descendantsOfType` returns nothing.
 */
export function* nodesOfTypes(tree: Tree, wanted: ReadonlySet<string>): Generator<Node> {
  const root = tree.rootNode;
  const types = [...wanted].filter((t) => t !== "ERROR");
  if (types.length > 0) for (const node of root.descendantsOfType(types)) if (node) yield node;
  if (wanted.has("ERROR") && root.hasError) yield* errorNodes(tree);
}

function* errorNodes(tree: Tree): Generator<Node> {
  const cursor = tree.walk();
  try {
    for (;;) {
      if (cursor.nodeType === "ERROR") yield cursor.currentNode;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}
