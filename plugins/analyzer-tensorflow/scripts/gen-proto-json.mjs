// Writes src/proto/tensorflow.json, the protobufjs JSON descriptor the analyzer decodes
// SavedModel, GraphDef and Keras metadata with (loaded at runtime with Root.fromJSON).
//
// Input: TensorFlow's api.proto as shipped in @tensorflow/tfjs-node@4.22.0 (src/proto/api.proto,
// Apache-2.0, assembled from tensorflow/core/framework/*.proto and protobuf/{saver,meta_graph,
// saved_model}.proto), fetched without installing:
//   npm pack @tensorflow/tfjs-node@4.22.0 && tar xzf tensorflow-tfjs-node-4.22.0.tgz package/src/proto/api.proto
//   node scripts/gen-proto-json.mjs package/src/proto/api.proto
// plus Keras' saved_metadata.proto (keras_metadata.pb) and TensorFlow's fingerprint.proto and tensor_bundle.proto,
// written below from their published definitions. Only the messages a scan needs are kept.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const input = process.argv[2];
if (!input) throw new Error("usage: node scripts/gen-proto-json.mjs path/to/api.proto");
const extra = `
syntax = "proto3";
package tensorflow;
// keras/protobuf/saved_metadata.proto (Apache-2.0)
message SavedMetadata { repeated KerasSavedObject nodes = 1; }
message KerasSavedObject { reserved 1; int32 node_id = 2; string node_path = 3; string identifier = 4; string metadata = 5; VersionDef version = 6; }
// tensorflow/core/protobuf/fingerprint.proto (Apache-2.0)
// tensorflow/core/protobuf/tensor_bundle.proto (Apache-2.0)
message BundleHeaderProto { int32 num_shards = 1; enum Endianness { LITTLE = 0; BIG = 1; } Endianness endianness = 2; VersionDef version = 3; }
message BundleEntryProto { DataType dtype = 1; TensorShape shape = 2; int32 shard_id = 3; int64 offset = 4; int64 size = 5; fixed32 crc32c = 6; }
message FingerprintDef { uint64 saved_model_checksum = 1; uint64 graph_def_program_hash = 2; uint64 signature_def_hash = 3; uint64 saved_object_graph_hash = 4; uint64 checkpoint_hash = 5; VersionDef version = 6; }
`;
const root = new protobuf.Root();
protobuf.parse(readFileSync(input, "utf8"), root, { keepCase: true });
protobuf.parse(extra, root, { keepCase: true });
const drop = ["SummaryDescription", "HistogramProto", "SummaryMetadata", "DataClass", "Summary", "HistogramPluginData"];
const tf = root.lookup("tensorflow");
for (const name of drop) {
  const t = tf.get(name);
  if (t) tf.remove(t);
}
root.resolveAll();
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "proto", "tensorflow.json");
writeFileSync(out, `${JSON.stringify(root.toJSON({ keepComments: false }), null, 1)}\n`);
console.log("wrote", out);
