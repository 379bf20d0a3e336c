import { AnalyzerTester, buildOnnx, onnxDenseGraph, onnxStringAttribute, recordingContext, type OnnxNode } from "@modelward/testing";
import type { ModelFile } from "@modelward/core";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";
import { locationProblem } from "./model-checks.js";

const tester = new AnalyzerTester({ plugins: [plugin] });
const dense = onnxDenseGraph();
const withNodes = (extra: OnnxNode[], o: Parameters<typeof buildOnnx>[0] = {}) => buildOnnx({ nodes: [...(dense.nodes ?? []), ...extra], ...o });
const pyOp: OnnxNode = {
  op_type: "PyOp",
  domain: "ai.onnx.contrib",
  name: "py",
  input: ["Y"],
  output: ["Z"],
  attribute: [onnxStringAttribute("module", "evil_module"), onnxStringAttribute("class_name", "Payload"), onnxStringAttribute("compute", "compute")],
};

tester.run("onnx", {
  valid: [
    { name: "a small dense classifier", path: "model.onnx", bytes: () => buildOnnx() },
    { name: "recognised by content under another name", path: "weights.bin", bytes: () => buildOnnx() },
    { name: "ai.onnx.ml and com.microsoft operators", path: "model.onnx", bytes: () => withNodes([{ op_type: "TreeEnsembleClassifier", domain: "ai.onnx.ml", input: ["Y"], output: ["L"] }, { op_type: "FusedMatMul", domain: "com.microsoft", input: ["Y", "W"], output: ["Q"] }], { opsets: [["", 17], ["ai.onnx.ml", 3], ["com.microsoft", 1]] }) },
    { name: "external data in the model's folder", path: "model.onnx", bytes: () => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { location: "weights/model.onnx.data", offset: "0", length: "64" } }, { name: "B", dims: [4] }] }) },
    { name: "a model-local function used by a node", path: "model.onnx", bytes: () => withNodes([{ op_type: "MyGelu", domain: "local.fn", input: ["Y"], output: ["G"] }], { opsets: [["", 17], ["local.fn", 1]], functions: [{ name: "MyGelu", domain: "local.fn", nodes: [{ op_type: "Relu", input: ["x"], output: ["y"] }] }] }) },
    { name: "ordinary metadata and doc strings", path: "model.onnx", bytes: () => buildOnnx({ metadata: { author: "Test Lab", license: "MIT" }, docString: "A tiny classifier for tests." }) },
    { name: "old IR 3 / opset 7", path: "model.onnx", bytes: () => buildOnnx({ irVersion: 3, opsets: [["", 7]] }) },
  ],
  invalid: [
    {
      name: "PyOp importing a Python module",
      path: "model.onnx",
      bytes: () => withNodes([pyOp], { opsets: [["", 17], ["ai.onnx.contrib", 1]] }),
      findings: [{ ruleId: "onnx/python-op", severity: "critical", message: /imports `evil_module` and runs `Payload`/ }],
    },
    {
      name: "external data with an absolute path",
      path: "model.onnx",
      bytes: () => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { location: "/etc/passwd" } }, { name: "B", dims: [4] }] }),
      findings: [{ ruleId: "onnx/external-data-escape", severity: "high", message: /absolute path/ }],
    },
    {
      name: "external data climbing out with ..",
      path: "model.onnx",
      bytes: () => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { location: "weights/../../../home/user/.ssh/id_rsa" } }, { name: "B", dims: [4] }] }),
      findings: [{ ruleId: "onnx/external-data-escape", severity: "high", message: /climbs out/ }],
    },
    {
      name: "external data without a location, and a bad offset",
      path: "model.onnx",
      bytes: () => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { offset: "0" } }, { name: "B", dims: [4], external: { location: "b.bin", offset: "-5" } }] }),
      findings: [
        { ruleId: "onnx/malformed", message: /no `location`/ },
        { ruleId: "onnx/malformed", message: /offset `-5`/ },
      ],
    },
    {
      name: "custom op domain (listed, low)",
      path: "model.onnx",
      bytes: () => withNodes([{ op_type: "MyFastConv", domain: "com.acme.ops", input: ["Y"], output: ["Q"] }], { opsets: [["", 17], ["com.acme.ops", 1]] }),
      findings: [{ ruleId: "onnx/custom-domain", severity: "low", message: /com\.acme\.ops.*MyFastConv/ }],
    },
    {
      name: "onnxruntime-extensions domain",
      path: "model.onnx",
      bytes: () => withNodes([{ op_type: "StringRegexReplace", domain: "ai.onnx.contrib", input: ["Y"], output: ["Q"] }], { opsets: [["", 17], ["ai.onnx.contrib", 1]] }),
      findings: [{ ruleId: "onnx/extensions-op", severity: "medium" }],
    },
    {
      name: "unknown operator of the standard domain",
      path: "model.onnx",
      bytes: () => withNodes([{ op_type: "ExecShell", input: ["Y"], output: ["Q"] }]),
      findings: [{ ruleId: "onnx/unknown-op", severity: "low", message: /ExecShell/ }],
    },
    {
      name: "PyOp inside an If subgraph",
      path: "model.onnx",
      bytes: () =>
        withNodes([{ op_type: "If", input: ["c"], output: ["o"], attribute: [{ name: "then_branch", type: 5, g: { name: "then", node: [pyOp] } }] }], { opsets: [["", 17], ["ai.onnx.contrib", 1]] }),
      findings: [{ ruleId: "onnx/python-op", severity: "critical", message: /then_branch/ }],
    },
    {
      name: "function redefining a standard operator",
      path: "model.onnx",
      bytes: () => buildOnnx({ functions: [{ name: "Relu", domain: "", nodes: [{ op_type: "Identity", input: ["x"], output: ["y"] }] }] }),
      findings: [{ ruleId: "onnx/function-shadows-op", severity: "medium" }],
    },
    {
      name: "code in metadata_props",
      path: "model.onnx",
      bytes: () => buildOnnx({ metadata: { postprocess: "__import__('os').system('echo pwned')" } }),
      findings: [{ ruleId: "onnx/code-in-metadata", severity: "high", message: /metadata `postprocess`/ }],
    },
    {
      name: "SSTI template in node metadata",
      path: "model.onnx",
      bytes: () => withNodes([{ op_type: "Identity", input: ["Y"], output: ["Q"], metadata_props: [{ key: "chat_template", value: "{{ cycler.__init__.__globals__.os.popen('echo hi').read() }}" }] }]),
      findings: [{ ruleId: "onnx/template-sandbox-escape", severity: "critical" }],
    },
    {
      name: "raw_data shorter than dims × type",
      path: "model.onnx",
      bytes: () => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], rawBytes: 8 }, { name: "B", dims: [4] }] }),
      findings: [{ ruleId: "onnx/malformed", message: /8 bytes of raw_data where .* need 64/ }],
    },
    {
      name: "missing IR version",
      path: "model.onnx",
      bytes: () => buildOnnx({ irVersion: 0 }),
      findings: [{ ruleId: "onnx/malformed", message: /no IR version/ }],
    },
    {
      name: "truncated model",
      path: "model.onnx",
      bytes: () => buildOnnx().subarray(0, 60),
      findings: [{ ruleId: "onnx/malformed", message: /does not decode/ }],
      allowIncomplete: true,
    },
  ],
});

describe("onnx analyzer", () => {
  it("claims a model by content under another name", async () => {
    const report = await tester.scan("weights.bin", buildOnnx());
    expect(report.files[0]?.format).toBe("onnx");
    expect(report.files[0]?.properties?.nodeCount).toBe(3);
  });

  it("skips initializer data by length: a model with 64 MiB of weights reads a few hundred KiB", async () => {
    const bytes = buildOnnx({ initializers: [{ name: "W", dims: [4096, 4096] }, { name: "B", dims: [4] }] });
    let read = 0;
    const file: ModelFile = {
      path: "big.onnx",
      members: [],
      name: "big.onnx",
      extension: "onnx",
      size: bytes.length,
      depth: 0,
      async read(start, end) {
        read += Math.min(end, bytes.length) - start;
        return bytes.slice(start, end);
      },
      stream: () => {
        throw new Error("not streamed");
      },
    };
    const { ctx, recording } = recordingContext();
    await plugin.analyzers?.onnx?.analyze(file, ctx);
    expect(recording.findings).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(recording.facts.properties?.parameterCount).toBe(4096 * 4096 + 4);
    expect(read).toBeLessThan(1024 * 1024);
    expect(recording.imports.map((i) => i.name).sort()).toEqual(["Add", "MatMul", "Relu"]);
  });

  it("judges external-data locations", () => {
    expect(locationProblem("model.onnx.data")).toBeUndefined();
    expect(locationProblem("a/./b/../c.bin")).toBe("contains `..`");
    expect(locationProblem("..\\secret")).toMatch(/climbs/);
    expect(locationProblem("C:\\Windows\\win.ini")).toMatch(/absolute/);
    expect(locationProblem("file:///etc/passwd")).toMatch(/URL/);
  });
});

describe("external data against the scanned folder", () => {
  const model = (location: string, length = "64") => buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { location, offset: "0", length } }, { name: "B", dims: [4] }] });
  const rules = (r: Awaited<ReturnType<typeof tester.scanTree>>) => r.files.flatMap((f) => f.findings.map((x) => `${x.ruleId} ${x.severity} ${x.evidence.referenced ?? ""}`));

  it("is silent when the file is there and long enough", async () => {
    expect(rules(await tester.scanTree({ "m/model.onnx": model("weights/model.onnx.data"), "m/weights/model.onnx.data": new Uint8Array(64) }))).toEqual([]);
  });

  it("reports a missing file and one shorter than offset + length (medium)", async () => {
    expect(rules(await tester.scanTree({ "m/model.onnx": model("model.onnx.data") }))).toEqual(["onnx/external-data-missing medium m/model.onnx.data"]);
    expect(rules(await tester.scanTree({ "m/model.onnx": model("model.onnx.data", "128"), "m/model.onnx.data": new Uint8Array(64) }))).toEqual(["onnx/external-data-missing medium m/model.onnx.data"]);
  });

  it("records one reference per file, however many tensors read it", async () => {
    const r = await tester.scanTree({
      "model.onnx": buildOnnx({ initializers: [{ name: "W", dims: [4, 4], external: { location: "d.bin", offset: "0", length: "64" } }, { name: "B", dims: [4], external: { location: "d.bin", offset: "64", length: "16" } }] }),
      "d.bin": new Uint8Array(70),
    });
    expect(rules(r)).toEqual(["onnx/external-data-missing medium d.bin"]);
    expect(r.files[1]!.findings[0]!.message).toMatch(/reads 80 bytes of "d.bin" \(external data of 2 tensors/);
  });
});
