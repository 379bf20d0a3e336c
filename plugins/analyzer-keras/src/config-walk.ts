/** A JSON object of the config that names something Keras resolves (has a string `class_name`). */
export interface ConfigObject {
  /** RFC 6901 pointer from the config's root. */
  pointer: string;
  value: Record<string, unknown>;
  /** Pointer of the nearest enclosing object with a `class_name` ("" for none). */
  parent?: string;
  /** Key under which this object sits in its parent (`function`, `loss`, …). */
  key: string;
}

/** Outcome of {@link walkConfig}. */
export interface WalkResult {
  objects: ConfigObject[];
  /** Objects and arrays visited. */
  nodes: number;
  /** True when the walk stopped at `maxNodes`: the rest of the tree was not checked. */
  truncated: boolean;
}

const escape = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Visits the WHOLE parsed config (nested Sequential/Functional models,
 * `compile_config`, `build_config`, shared objects, arguments of nodes: any
 * depth) without recursion, and returns every object carrying a string
 * `class_name`, which is what `deserialize_keras_object` resolves. Bounded by
 * `maxNodes` (the parse already bounded the size).
 */
export function walkConfig(root: unknown, maxNodes: number): WalkResult {
  const objects: ConfigObject[] = [];
  const stack: { value: unknown; pointer: string; parent?: string; key: string }[] = [{ value: root, pointer: "", key: "" }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, pointer, parent, key } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (++nodes > maxNodes) return { objects, nodes, truncated: true };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], pointer: `${pointer}/${i}`, parent, key });
      continue;
    }
    const record = value as Record<string, unknown>;
    let here = parent;
    if (typeof record.class_name === "string") {
      objects.push({ pointer, value: record, key, ...(parent !== undefined ? { parent } : {}) });
      here = pointer;
    }
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      stack.push({ value: record[k], pointer: `${pointer}/${escape(k)}`, parent: here, key: k });
    }
  }
  return { objects, nodes, truncated: false };
}
