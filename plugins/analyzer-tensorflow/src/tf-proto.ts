import protobuf from "protobufjs";
import descriptor from "./proto/tensorflow.json";

// Decoded once per process; see proto/NOTICE.md for where the definitions come from.
let root: protobuf.Root | undefined;
function types(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  return root;
}

/** The message types a scan decodes. */
export type TfMessage = "SavedModel" | "GraphDef" | "SavedMetadata" | "FingerprintDef" | "BundleHeaderProto" | "BundleEntryProto";

/** Plain objects as protobufjs `toObject` returns them (64-bit ints as strings, bytes as Uint8Array). */
export interface NodeDef {
  name?: string;
  op?: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValue>;
}
export interface AttrValue {
  s?: Uint8Array;
  list?: { s?: Uint8Array[]; func?: NameAttrList[] };
  tensor?: TensorProto;
  func?: NameAttrList;
}
export interface NameAttrList {
  name?: string;
  attr?: Record<string, AttrValue>;
}
export interface TensorProto {
  dtype?: string;
  string_val?: Uint8Array[];
  float_val?: number[];
  int_val?: number[];
  int64_val?: string[];
}
export interface FunctionDef {
  signature?: { name?: string; input_arg?: { name?: string }[] };
  node_def?: NodeDef[];
}
export interface GraphDef {
  node?: NodeDef[];
  library?: { function?: FunctionDef[] };
  versions?: { producer?: number };
}
export interface MetaGraphDef {
  meta_info_def?: { tags?: string[]; tensorflow_version?: string; stripped_op_list?: { op?: { name?: string }[] } };
  graph_def?: GraphDef;
  signature_def?: Record<string, unknown>;
}
export interface SavedModel {
  saved_model_schema_version?: string;
  meta_graphs?: MetaGraphDef[];
}
export interface SavedMetadata {
  nodes?: { node_id?: number; node_path?: string; identifier?: string; metadata?: string }[];
}

/**
 * Decodes a TensorFlow protobuf. Never throws: malformed bytes (truncation,
 * wrong wire types, nesting too deep for the stack) come back as the error.
 */
export function decodeTf<T>(type: TfMessage, bytes: Uint8Array): { ok: true; value: T } | { ok: false; error: string } {
  try {
    const t = types().lookupType(`tensorflow.${type}`);
    const message = t.decode(bytes);
    return { ok: true, value: t.toObject(message, { longs: String, enums: String, defaults: false, arrays: true }) as T };
  } catch (error) {
    return { ok: false, error: String(error instanceof Error ? error.message : error).slice(0, 200) };
  }
}
