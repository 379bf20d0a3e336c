import type { PickleObject, PickleValue } from "./values.js";

/**
 * The symbolic objects that hold other values (containers, calls, persistent
 * loads): the nodes of the object graph that the census counts and whose
 * nesting is bounded. Scalars, globals and strings hang off them as leaves.
 */
export type PickleNode = Extract<PickleObject, { kind: "tuple" | "list" | "set" | "dict" | "call" | "persistent" }>;

/** Whether `v` is one of those nodes. */
export function isNode(v: PickleValue | undefined): v is PickleNode {
  if (typeof v !== "object" || v === null) return false;
  switch (v.kind) {
    case "tuple":
    case "list":
    case "set":
    case "dict":
    case "call":
    case "persistent":
      return true;
    default:
      return false;
  }
}

/** Calls `visit` on every value `v` holds directly (items, keys and values, callee, arguments, state…). */
export function forEachChild(v: PickleNode, visit: (x: PickleValue | undefined) => void): void {
  switch (v.kind) {
    case "tuple":
    case "list":
    case "set":
      for (const x of v.items) visit(x);
      break;
    case "dict":
      for (const x of v.keys) visit(x);
      for (const x of v.values) visit(x);
      break;
    case "call":
      visit(v.callee);
      for (const x of v.args) visit(x);
      visit(v.kwargs);
      visit(v.state);
      if (v.planted) for (const x of Object.values(v.planted)) visit(x);
      break;
    case "persistent":
      visit(v.pid);
      visit(v.replacement);
      break;
    default:
      break;
  }
}

function nodeChildren(v: PickleNode): PickleNode[] {
  const out: PickleNode[] = [];
  forEachChild(v, (x) => {
    if (isNode(x)) out.push(x);
  });
  return out;
}

/**
 * Whether some chain of nested objects reachable from `roots` is more than
 * `limit` deep (a list in a list in a list…, however it was built: TUPLE1
 * chains, or lists appended to lists through the memo in any order). An
 * iterative depth-first walk, linear in the objects and their children, that
 * stops as soon as the chain passes the limit; cycles (a list appended to
 * itself) are not depth.
 */
export function nestedDeeperThan(roots: Iterable<PickleValue | undefined>, limit: number): boolean {
  // Height of each finished object; -1 while it is on the current path.
  const height = new Map<PickleNode, number>();
  interface Frame {
    node: PickleNode;
    kids: PickleNode[];
    next: number;
    best: number;
  }
  for (const root of roots) {
    if (!isNode(root) || height.has(root)) continue;
    height.set(root, -1);
    const path: Frame[] = [{ node: root, kids: nodeChildren(root), next: 0, best: 0 }];
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next < top.kids.length) {
        const kid = top.kids[top.next++]!;
        const h = height.get(kid);
        if (h === undefined) {
          if (path.length >= limit) return true;
          height.set(kid, -1);
          path.push({ node: kid, kids: nodeChildren(kid), next: 0, best: 0 });
        } else if (h >= 0) top.best = Math.max(top.best, h);
        continue;
      }
      path.pop();
      const h = top.best + 1;
      if (h > limit) return true;
      height.set(top.node, h);
      const parent = path[path.length - 1];
      if (parent) parent.best = Math.max(parent.best, h);
    }
  }
  return false;
}
