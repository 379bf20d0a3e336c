import archivePlugin from "@modelward/analyzer-archive";
import { allFindings, AnalyzerTester, buildTensorBundleIndex } from "@modelward/testing";
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
