import { Skipped, type Decoded, type DecodedValue } from "./stream-decoder.js";

/** A node with where it sits: `graph main`, `function mydomain.F`, `graph main ▸ node loop ▸ attribute body`. */
export interface NodeAt {
  node: Decoded;
  where: string;
}

/** A tensor with where it sits. */
export interface TensorAt {
  tensor: Decoded;
  where: string;
}

/** A string-to-string metadata entry or a doc string, with where it sits. */
export interface TextAt {
  key: string;
  value: string;
  where: string;
}

/** Everything the checks need, gathered in one walk over the decoded model. */
export interface ModelParts {
  nodes: NodeAt[];
  tensors: TensorAt[];
  texts: TextAt[];
  functions: Decoded[];
  graphCount: number;
}

export const list = (v: DecodedValue | undefined): DecodedValue[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
export const str = (v: DecodedValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
export const isMessage = (v: DecodedValue | undefined): v is Decoded =>
  v !== undefined && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Skipped);
export const messages = (v: DecodedValue | undefined): Decoded[] => list(v).filter(isMessage);

/**
 * Walks a decoded ModelProto: the main graph, training graphs, functions,
 * and every subgraph held in node attributes (If/Loop/Scan bodies), at any
 * depth (the decoder already bounded the depth).
 */
export function collectParts(model: Decoded): ModelParts {
  const parts: ModelParts = { nodes: [], tensors: [], texts: [], functions: messages(model.functions), graphCount: 0 };
  const texts = (m: Decoded, where: string) => {
    for (const e of messages(m.metadata_props)) {
      const key = str(e.key) ?? "";
      const value = str(e.value);
      if (value !== undefined) parts.texts.push({ key, value, where });
    }
    const doc = str(m.doc_string);
    if (doc) parts.texts.push({ key: "doc_string", value: doc, where });
  };
  const tensor = (t: Decoded, where: string) => {
    parts.tensors.push({ tensor: t, where });
    texts(t, where);
  };
  const nodes = (list: Decoded[], where: string) => {
    for (const n of list) {
      const label = `${where} ▸ node ${str(n.name) || str(n.op_type) || "?"}`;
      parts.nodes.push({ node: n, where });
      texts(n, label);
      for (const a of messages(n.attribute)) {
        const at = `${label} ▸ attribute ${str(a.name) ?? "?"}`;
        for (const t of [...messages(a.t), ...messages(a.tensors)]) tensor(t, at);
        for (const s of [...messages(a.sparse_tensor), ...messages(a.sparse_tensors)]) for (const t of [...messages(s.values), ...messages(s.indices)]) tensor(t, at);
        for (const g of [...messages(a.g), ...messages(a.graphs)]) graph(g, at);
      }
    }
  };
  const graph = (g: Decoded, where: string) => {
    parts.graphCount++;
    const label = `${where}${str(g.name) ? ` (${str(g.name)})` : ""}`;
    texts(g, label);
    for (const t of messages(g.initializer)) tensor(t, `${label} ▸ initializer ${str(t.name) ?? "?"}`);
    for (const s of messages(g.sparse_initializer)) for (const t of [...messages(s.values), ...messages(s.indices)]) tensor(t, `${label} ▸ sparse initializer`);
    for (const v of [...messages(g.input), ...messages(g.output), ...messages(g.value_info)]) texts(v, `${label} ▸ value ${str(v.name) ?? "?"}`);
    nodes(messages(g.node), label);
  };
  texts(model, "model");
  for (const g of messages(model.graph)) graph(g, "graph");
  for (const [i, ti] of messages(model.training_info).entries()) {
    for (const g of messages(ti.initialization)) graph(g, `training_info ${i} initialization`);
    for (const g of messages(ti.algorithm)) graph(g, `training_info ${i} algorithm`);
  }
  for (const f of parts.functions) {
    const label = `function ${str(f.domain) ?? ""}.${str(f.name) ?? "?"}`;
    texts(f, label);
    nodes(messages(f.node), label);
  }
  return parts;
}
