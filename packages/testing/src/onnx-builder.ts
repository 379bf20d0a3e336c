import protobuf from "protobufjs";

// The subset of onnx/onnx `onnx.proto` the fixtures need (field numbers as upstream), written independently
// of the analyzer's schema so tests do not check the decoder against itself.
const PROTO = `
syntax = "proto2";
package fx;
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message TensorProto {
  repeated int64 dims = 1; optional int32 data_type = 2; repeated float float_data = 4 [packed = true];
  optional string name = 8; optional bytes raw_data = 9; repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14; optional string doc_string = 12;
}
message AttributeProto {
  optional string name = 1; optional float f = 2; optional int64 i = 3; optional bytes s = 4; optional TensorProto t = 5;
  optional GraphProto g = 6; repeated int64 ints = 8; optional int32 type = 20;
}
message NodeProto {
  repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4;
  repeated AttributeProto attribute = 5; optional string doc_string = 6; optional string domain = 7;
  repeated StringStringEntryProto metadata_props = 9;
}
message TensorShapeDim { optional int64 dim_value = 1; optional string dim_param = 2; }
message TensorShapeProto { repeated TensorShapeDim dim = 1; }
message TypeTensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
message TypeProto { optional TypeTensor tensor_type = 1; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message GraphProto {
  repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5; optional string doc_string = 10;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; repeated StringStringEntryProto metadata_props = 16;
}
message FunctionProto {
  optional string name = 1; repeated string input = 4; repeated string output = 5; repeated NodeProto node = 7;
  repeated OperatorSetIdProto opset_import = 9; optional string domain = 10;
}
message ModelProto {
  optional int64 ir_version = 1; optional string producer_name = 2; optional string producer_version = 3;
  optional string domain = 4; optional int64 model_version = 5; optional string doc_string = 6; optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8; repeated StringStringEntryProto metadata_props = 14;
  repeated FunctionProto functions = 25;
}
`;
let root: protobuf.Root | undefined;
const modelType = () => (root ??= protobuf.parse(PROTO, { keepCase: true }).root).lookupType("fx.ModelProto");

/** ONNX TensorProto.DataType FLOAT. */
export const ONNX_FLOAT = 1;

/** A node for {@link buildOnnx}: attributes as plain objects in onnx.proto's AttributeProto shape. */
export interface OnnxNode {
  op_type: string;
  domain?: string;
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: Array<Record<string, unknown>>;
  metadata_props?: Array<{ key: string; value: string }>;
  doc_string?: string;
}

/** An initializer: float data inline (zeroes, or `values`), external data, or a lying raw_data length. */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** TensorProto.DataType (default FLOAT); `values` are written as raw_data of this type (FLOAT, UINT8, INT32, INT64, BOOL). */
  dataType?: number;
  /** The tensor's values (default zeroes). */
  values?: number[];
  /** raw_data bytes to write (default: 4 × elements, zeroes). */
  rawBytes?: number;
  /** Stored outside the model: `external_data` entries (`location`, `offset`, `length`). */
  external?: Record<string, string>;
}

/** Options of {@link buildOnnx}. */
export interface OnnxOptions {
  irVersion?: number;
  /** `[domain, version]` pairs; default `[["", 17]]`. */
  opsets?: Array<[string, number]>;
  producer?: string;
  nodes?: OnnxNode[];
  initializers?: OnnxInitializer[];
  metadata?: Record<string, string>;
  docString?: string;
  functions?: Array<{ name: string; domain: string; nodes: OnnxNode[]; input?: string[]; output?: string[] }>;
  graphName?: string;
  /** Graph input names (default `["X"]`). */
  inputs?: string[];
  /** Graph output names (default `["Y"]`). */
  outputs?: string[];
}

/** TensorProto.DataType INT64. */
export const ONNX_INT64 = 7;

/** Little-endian raw_data of `values` as TensorProto type `dataType`. */
export function onnxRawData(dataType: number, values: readonly number[]): Uint8Array {
  const size = { 1: 4, 2: 1, 6: 4, 7: 8, 9: 1 }[dataType];
  if (size === undefined) throw new Error(`onnxRawData: type ${dataType} is not written`);
  const b = Buffer.alloc(size * values.length);
  values.forEach((v, i) => {
    if (dataType === 1) b.writeFloatLE(v, 4 * i);
    else if (dataType === 6) b.writeInt32LE(v, 4 * i);
    else if (dataType === 7) b.writeBigInt64LE(BigInt(v), 8 * i);
    else b.writeUInt8(v, i);
  });
  return new Uint8Array(b);
}

/** A graph for an `If` branch or `Loop` body attribute (`g`): nodes and output names. */
export function onnxSubgraph(name: string, nodes: OnnxNode[], outputs: string[]): Record<string, unknown> {
  return { name, node: nodes, output: outputs.map(valueInfo) };
}

/** A `Constant` node whose `value` is a tensor of `values`. */
export function onnxConstant(output: string, values: number[], dataType = ONNX_FLOAT, dims: number[] = values.length === 1 ? [] : [values.length]): OnnxNode {
  return { op_type: "Constant", name: output, output: [output], attribute: [{ name: "value", type: 4, t: { dims, data_type: dataType, raw_data: onnxRawData(dataType, values) } }] };
}

const valueInfo = (name: string) => ({ name, type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: [{ dim_value: 1 }, { dim_value: 4 }] } } } });

/** A small benign classifier graph: X → MatMul(W) → Add(B) → Relu → Y. */
export function onnxDenseGraph(): Pick<OnnxOptions, "nodes" | "initializers"> {
  return {
    nodes: [
      { op_type: "MatMul", name: "matmul", input: ["X", "W"], output: ["h"] },
      { op_type: "Add", name: "add", input: ["h", "B"], output: ["z"] },
      { op_type: "Relu", name: "relu", input: ["z"], output: ["Y"] },
    ],
    initializers: [
      { name: "W", dims: [4, 4] },
      { name: "B", dims: [4] },
    ],
  };
}

/** Builds an ONNX ModelProto with protobufjs (encode only; the bytes are what onnx.save writes for the same model). */
export function buildOnnx(options: OnnxOptions = {}): Uint8Array {
  const dense = onnxDenseGraph();
  const nodes = options.nodes ?? dense.nodes ?? [];
  const inits = options.initializers ?? dense.initializers ?? [];
  const initializer = inits.map((t) => {
    const elements = t.dims.reduce((a, d) => a * d, 1);
    if (t.external) {
      return { name: t.name, dims: t.dims, data_type: ONNX_FLOAT, data_location: 1, external_data: Object.entries(t.external).map(([key, value]) => ({ key, value })) };
    }
    if (t.values) return { name: t.name, dims: t.dims, data_type: t.dataType ?? ONNX_FLOAT, raw_data: onnxRawData(t.dataType ?? ONNX_FLOAT, t.values) };
    return { name: t.name, dims: t.dims, data_type: t.dataType ?? ONNX_FLOAT, raw_data: new Uint8Array(t.rawBytes ?? elements * 4) };
  });
  const message = {
    ir_version: options.irVersion ?? 8,
    producer_name: options.producer ?? "modelward-testing",
    producer_version: "1.0",
    graph: {
      name: options.graphName ?? "main",
      node: nodes,
      initializer,
      input: (options.inputs ?? ["X"]).map(valueInfo),
      output: (options.outputs ?? ["Y"]).map(valueInfo),
    },
    opset_import: (options.opsets ?? [["", 17]]).map(([domain, version]) => ({ domain, version })),
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    ...(options.docString !== undefined ? { doc_string: options.docString } : {}),
    functions: (options.functions ?? []).map((f) => ({ name: f.name, domain: f.domain, node: f.nodes, input: f.input ?? ["x"], output: f.output ?? ["y"], opset_import: [{ domain: "", version: 17 }] })),
  };
  const t = modelType();
  const err = t.verify(message);
  if (err) throw new Error(`buildOnnx: ${err}`);
  return t.encode(t.fromObject(message)).finish();
}

/** A bytes attribute (`s`), as PyOp's `module`/`class_name` are written. */
export function onnxStringAttribute(name: string, value: string): Record<string, unknown> {
  return { name, type: 3, s: new TextEncoder().encode(value) };
}
