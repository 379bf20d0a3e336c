import archivePlugin from "@modelward/analyzer-archive";
import { allFindings, AnalyzerTester, benignTfNodes, buildGraphDef, buildSavedModel, buildTensorBundleIndex } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import tensorflowPlugin from "./index.js";
import { readTable } from "./sstable.js";

const tester = new AnalyzerTester({ plugins: [tensorflowPlugin, archivePlugin] });
const tensors = [
  { name: "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", offset: 0, size: 64 },
  { name: "dense/bias/.ATTRIBUTES/VARIABLE_VALUE", offset: 64, size: 16 },
  { name: "_CHECKPOINTABLE_OBJECT_GRAPH", offset: 80, size: 200 },
];

describe("TensorFlow checkpoints (tensor-bundle index)", () => {
  it("reads the table: header and every entry", () => {
    const { entries, truncated } = readTable(buildTensorBundleIndex(tensors), 100);
    expect(truncated).toBe(false);
    expect(entries.map((e) => new TextDecoder().decode(e.key))).toEqual(["", "_CHECKPOINTABLE_OBJECT_GRAPH", "dense/bias/.ATTRIBUTES/VARIABLE_VALUE", "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE"]);
  });

  it("a valid variables.index is recognised by content (any name), described and clean", async () => {
    const report = await tester.scan("model.ckpt-100.index", buildTensorBundleIndex(tensors));
    const file = report.files[0]!;
    expect(allFindings(report)).toEqual([]);
    expect(file.status).toBe("scanned");
    expect(file.properties).toMatchObject({ layout: "tensor-bundle", shards: 1, tensors: 3, shard0Bytes: 280 });
  });

  it("data shards are checked against the index across the folder: present and long enough, missing, too short", async () => {
    const shard = (n: number) => new Uint8Array(n);
    const ok = await tester.scanTree({ "variables/variables.index": buildTensorBundleIndex(tensors), "variables/variables.data-00000-of-00001": shard(280) });
    expect(allFindings(ok)).toEqual([]);
    const two = [...tensors, { name: "second/kernel", shard: 1, offset: 0, size: 32 }];
    const missing = await tester.scanTree({ "ckpt/model.ckpt-7.index": buildTensorBundleIndex(two, 2), "ckpt/model.ckpt-7.data-00000-of-00002": shard(280) });
    expect(allFindings(missing).map((f) => [f.ruleId, f.evidence.referenced])).toEqual([["tensorflow/checkpoint-shard-missing", "ckpt/model.ckpt-7.data-00001-of-00002"]]);
    const short = await tester.scanTree({ "variables/variables.index": buildTensorBundleIndex(tensors), "variables/variables.data-00000-of-00001": shard(200) });
    expect(allFindings(short).map((f) => [f.ruleId, f.severity, f.evidence.needed, f.evidence.size])).toEqual([["tensorflow/checkpoint-shard-missing", "medium", "280", 200]]);
  });

  it("a tensor pointing at a shard the header does not declare is reported", async () => {
    const report = await tester.scan("variables.index", buildTensorBundleIndex([...tensors, { name: "evil", shard: 3, offset: 0, size: 8 }], 1));
    expect(allFindings(report).some((f) => f.ruleId === "tensorflow/malformed-protobuf" && f.message.includes("shard 3 of 1"))).toBe(true);
  });

  it("overlapping tensors in one shard are reported", async () => {
    const report = await tester.scan("variables.index", buildTensorBundleIndex([...tensors, { name: "alias", offset: 70, size: 16 }]));
    expect(allFindings(report).some((f) => f.message.includes("overlap"))).toBe(true);
  });

  it("a truncated index is a finding and incomplete", async () => {
    const bytes = buildTensorBundleIndex(tensors);
    const cut = new Uint8Array([...bytes.subarray(0, 20), ...bytes.subarray(bytes.length - 48)]);
    const report = await tester.scan("variables.index", cut);
    expect(report.files[0]!.status).toBe("incomplete");
    expect(allFindings(report).some((f) => f.ruleId === "tensorflow/malformed-protobuf")).toBe(true);
  });
});

describe("a SavedModel folder is one model", () => {
  it("groups saved_model.pb with its side files and judges them together; findings stay on their file", async () => {
    const r = await tester.scanTree({
      "sm/saved_model.pb": buildSavedModel([...benignTfNodes(), { name: "bad", op: "PyFunc", input: [] }]),
      "sm/fingerprint.pb": new Uint8Array([8, 1]),
      "sm/variables/variables.index": buildTensorBundleIndex(tensors),
      "sm/variables/variables.data-00000-of-00001": new Uint8Array(280),
      "sm/assets/vocab.txt": new TextEncoder().encode("a\nb\n"),
      "other/notes.txt": new TextEncoder().encode("x"),
    });
    expect(r.models).toEqual([
      {
        target: r.targets[0]!.uri,
        path: "sm",
        kind: "TensorFlow SavedModel",
        files: ["sm/assets/vocab.txt", "sm/fingerprint.pb", "sm/saved_model.pb", "sm/variables/variables.data-00000-of-00001", "sm/variables/variables.index"],
        highestSeverity: "critical",
        verdict: "alert",
      },
    ]);
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect(byPath.get("sm/variables/variables.index")).toMatchObject({ model: "sm", verdict: "pass" });
    expect(byPath.get("other/notes.txt")!.model).toBeUndefined();
    expect(allFindings(r).filter((f) => f.severity === "critical").map((f) => f.location.path)).toEqual(["sm/saved_model.pb"]);
  });

  it("a benign SavedModel folder is one model with a pass verdict; a lone graph file declares none", async () => {
    const r = await tester.scanTree({ "saved_model.pb": buildSavedModel(), "variables/variables.index": buildTensorBundleIndex(tensors), "variables/variables.data-00000-of-00001": new Uint8Array(280) });
    expect(r.models).toMatchObject([{ path: ".", verdict: "pass", files: ["saved_model.pb", "variables/variables.data-00000-of-00001", "variables/variables.index"] }]);
    expect((await tester.scanTree({ "frozen.pb": buildGraphDef() })).models).toBeUndefined();
  });
});
