import protobuf from "protobufjs";

// The subset of TensorFlow's protos (tensorflow/core/framework/{graph,node_def,attr_value,tensor,function}.proto,
// protobuf/{meta_graph,saved_model}.proto) and Keras' saved_metadata.proto the fixtures need, written
// independently of the analyzer's descriptor so tests do not check the decoder against itself.
const PROTO = `
syntax = "proto3";
package fx;
message TensorProto { int32 dtype = 1; repeated bytes string_val = 8; repeated float float_val = 5; repeated int32 int_val = 7; }
message ListValue { repeated bytes s = 2; }
message NameAttrList { string name = 1; map<string, AttrValue> attr = 2; }
message AttrValue { ListValue list = 1; bytes s = 2; int64 i = 3; int32 type = 6; TensorProto tensor = 8; NameAttrList func = 10; }
message NodeDef { string name = 1; string op = 2; repeated string input = 3; string device = 4; map<string, AttrValue> attr = 5; }
message ArgDef { string name = 1; }
message OpDef { string name = 1; repeated ArgDef input_arg = 2; }
message FunctionDef { OpDef signature = 1; repeated NodeDef node_def = 3; }
message FunctionDefLibrary { repeated FunctionDef function = 1; }
message VersionDef { int32 producer = 1; }
message GraphDef { repeated NodeDef node = 1; FunctionDefLibrary library = 2; VersionDef versions = 4; }
message MetaInfoDef { string meta_graph_version = 1; repeated string tags = 4; string tensorflow_version = 5; }
message MetaGraphDef { MetaInfoDef meta_info_def = 1; GraphDef graph_def = 2; }
message SavedModel { int64 saved_model_schema_version = 1; repeated MetaGraphDef meta_graphs = 2; }
message KerasObject { int32 node_id = 2; string node_path = 3; string identifier = 4; string metadata = 5; }
message SavedMetadata { repeated KerasObject nodes = 1; }
message BundleHeaderProto { int32 num_shards = 1; int32 endianness = 2; }
message BundleEntryProto { int32 dtype = 1; int32 shard_id = 3; int64 offset = 4; int64 size = 5; fixed32 crc32c = 6; }
`;
let root: protobuf.Root | undefined;
const type = (name: string) => (root ??= protobuf.parse(PROTO, { keepCase: true }).root).lookupType(`fx.${name}`);

const DT_STRING = 7;
const DT_FLOAT = 1;

/** A TensorFlow node for {@link buildGraphDef}. */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

/** A `Const` node holding strings (file paths, tokens). */
export function tfStringConst(name: string, ...values: string[]): TfNode {
  return { name, op: "Const", attr: { dtype: { type: DT_STRING }, value: { tensor: { dtype: DT_STRING, string_val: values.map((v) => new TextEncoder().encode(v)) } } } };
}

/** A float `Const` node. */
export function tfFloatConst(name: string, value: number): TfNode {
  return { name, op: "Const", attr: { dtype: { type: DT_FLOAT }, value: { tensor: { dtype: DT_FLOAT, float_val: [value] } } } };
}

/** A function of the graph's library (a `tf.function` body). */
export interface TfFunction {
  name: string;
  nodes: TfNode[];
  /** Names of the function's arguments (its signature's input_arg). */
  inputs?: string[];
}

/** A benign dense-layer graph: Placeholder → MatMul(weights) → BiasAdd → Relu → Identity. */
export function benignTfNodes(): TfNode[] {
  return [
    { name: "x", op: "Placeholder", attr: { dtype: { type: DT_FLOAT } } },
    { name: "w", op: "VarHandleOp", attr: { dtype: { type: DT_FLOAT }, shared_name: { s: new TextEncoder().encode("dense/kernel") } } },
    { name: "w/read", op: "ReadVariableOp", input: ["w"] },
    tfFloatConst("b", 0.5),
    { name: "matmul", op: "MatMul", input: ["x", "w/read"] },
    { name: "bias", op: "BiasAdd", input: ["matmul", "b"] },
    { name: "relu", op: "Relu", input: ["bias"] },
    { name: "conv_in", op: "Reshape", input: ["relu", "b"] },
    { name: "output", op: "Identity", input: ["conv_in"] },
  ];
}

/** The saver function every SavedModel carries: SaveV2/RestoreV2/MergeV2Checkpoints fed by a placeholder path. */
export function tfSaverFunction(): TfFunction {
  return {
    name: "__inference__traced_save_42",
    nodes: [
      { name: "file_prefix", op: "Placeholder", attr: { dtype: { type: DT_STRING } } },
      { name: "StringJoin", op: "StringJoin", input: ["file_prefix"] },
      { name: "ShardedFilename", op: "ShardedFilename", input: ["StringJoin:output:0"] },
      tfStringConst("tensor_names", "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE"),
      tfStringConst("shape_and_slices", "", ""),
      { name: "SaveV2", op: "SaveV2", input: ["ShardedFilename:filename:0", "tensor_names:output:0", "shape_and_slices:output:0"] },
      { name: "MergeV2Checkpoints", op: "MergeV2Checkpoints", input: ["ShardedFilename:filename:0", "file_prefix"] },
      { name: "RestoreV2", op: "RestoreV2", input: ["file_prefix", "tensor_names:output:0", "shape_and_slices:output:0"] },
    ],
  };
}

function graph(nodes: TfNode[], functions: TfFunction[]): Record<string, unknown> {
  return { node: nodes, library: { function: functions.map((f) => ({ signature: { name: f.name, input_arg: (f.inputs ?? []).map((name) => ({ name })) }, node_def: f.nodes })) }, versions: { producer: 1645 } };
}

/** A frozen GraphDef (`.pb`) encoded with protobufjs. */
export function buildGraphDef(nodes: TfNode[] = benignTfNodes(), functions: TfFunction[] = []): Uint8Array {
  const t = type("GraphDef");
  return t.encode(t.fromObject(graph(nodes, functions))).finish();
}

/** A `saved_model.pb` with one `serve` MetaGraphDef (the saver function is included by default). */
export function buildSavedModel(nodes: TfNode[] = benignTfNodes(), functions: TfFunction[] = [tfSaverFunction()]): Uint8Array {
  const t = type("SavedModel");
  return t
    .encode(t.fromObject({ saved_model_schema_version: 1, meta_graphs: [{ meta_info_def: { meta_graph_version: "v2.15.0", tags: ["serve"], tensorflow_version: "2.15.0" }, graph_def: graph(nodes, functions) }] }))
    .finish();
}

/** A tf.keras `keras_metadata.pb`: one JSON metadata string per saved Keras object. */
export function buildKerasMetadata(metadata: unknown[]): Uint8Array {
  const t = type("SavedMetadata");
  return t
    .encode(t.fromObject({ nodes: metadata.map((m, i) => ({ node_id: i, node_path: i === 0 ? "root" : `root.layer-${i - 1}`, identifier: i === 0 ? "_tf_keras_sequential" : "_tf_keras_layer", metadata: typeof m === "string" ? m : JSON.stringify(m) })) }))
    .finish();
}

/** One tensor of a {@link buildTensorBundleIndex} checkpoint. */
export interface BundleTensor {
  name: string;
  shard?: number;
  offset: number;
  size: number;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/**
 * A TensorFlow tensor-bundle index (`variables.index`, `model.ckpt.index`): a
 * LevelDB-format table (one uncompressed data block, an index block, the
 * footer with the table magic) whose entries are the bundle header (key "")
 * and one BundleEntryProto per tensor, keys sorted.
 */
export function buildTensorBundleIndex(tensors: BundleTensor[], shards = 1): Uint8Array {
  const header = type("BundleHeaderProto");
  const entry = type("BundleEntryProto");
  const rows: [Uint8Array, Uint8Array][] = [[new Uint8Array(0), header.encode(header.fromObject({ num_shards: shards })).finish()]];
  for (const t of [...tensors].sort((a, b) => (a.name < b.name ? -1 : 1)))
    rows.push([new TextEncoder().encode(t.name), entry.encode(entry.fromObject({ dtype: 1, shard_id: t.shard ?? 0, offset: t.offset, size: t.size })).finish()]);
  const block = (items: [Uint8Array, Uint8Array][]) => {
    const bytes: number[] = [];
    for (const [k, v] of items) bytes.push(...varint(0), ...varint(k.length), ...varint(v.length), ...k, ...v);
    bytes.push(0, 0, 0, 0, 1, 0, 0, 0); // one restart at offset 0, restart count 1
    return bytes;
  };
  const out: number[] = [];
  const data = block(rows);
  out.push(...data, 0, 0, 0, 0, 0); // trailer: no compression, crc not checked here
  const dataHandle = [...varint(0), ...varint(data.length)];
  const indexOffset = out.length;
  const index = block([[new TextEncoder().encode("~"), new Uint8Array(dataHandle)]]);
  out.push(...index, 0, 0, 0, 0, 0);
  const metaOffset = out.length;
  const meta = block([]);
  out.push(...meta, 0, 0, 0, 0, 0);
  const footer = [...varint(metaOffset), ...varint(meta.length), ...varint(indexOffset), ...varint(index.length)];
  while (footer.length < 40) footer.push(0);
  footer.push(0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb);
  return new Uint8Array([...out, ...footer]);
}
