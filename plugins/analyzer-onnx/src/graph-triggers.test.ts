import { AnalyzerTester, ONNX_INT64, buildOnnx, onnxConstant, onnxSubgraph, type OnnxNode } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";

const tester = new AnalyzerTester({ plugins: [plugin] });

// The classifier every case starts from: X → MatMul(W) → Add(B) → logits.
const classifier: OnnxNode[] = [
  { op_type: "MatMul", name: "matmul", input: ["X", "W"], output: ["h"] },
  { op_type: "Add", name: "add", input: ["h", "B"], output: ["logits"] },
];
const weights = [{ name: "W", dims: [4, 4] }, { name: "B", dims: [4] }];
const model = (nodes: OnnxNode[], extra: Parameters<typeof buildOnnx>[0] = {}) => buildOnnx({ nodes: [...classifier, ...nodes], initializers: weights, ...extra });

// ShadowLogic's image trigger: a patch of the input equal to a pattern swaps the logits for a fixed answer.
const patchTrigger = (pattern: number[], compare = "Equal"): OnnxNode[] => [
  onnxConstant("starts", [0], ONNX_INT64),
  onnxConstant("ends", [4], ONNX_INT64),
  { op_type: "Slice", name: "patch", input: ["X", "starts", "ends"], output: ["patch"] },
  onnxConstant("pattern", pattern),
  { op_type: compare, name: "match", input: ["patch", "pattern"], output: ["hits"] },
  { op_type: "Cast", name: "hits_f", input: ["hits"], output: ["hits_f"], attribute: [{ name: "to", type: 2, i: 1 }] },
  { op_type: "ReduceMin", name: "all_hit", input: ["hits_f"], output: ["all_hit"] },
  { op_type: "Cast", name: "trigger", input: ["all_hit"], output: ["trigger"], attribute: [{ name: "to", type: 2, i: 9 }] },
  onnxConstant("forced", [0, 0, 0, 9]),
  { op_type: "Where", name: "backdoor", input: ["trigger", "forced", "logits"], output: ["Y"] },
];

describe("ONNX graph-backdoor heuristic (onnx/conditional-trigger)", () => {
  tester.run("onnx", {
    valid: [
      { name: "the plain classifier", path: "model.onnx", bytes: () => model([{ op_type: "Relu", input: ["logits"], output: ["Y"] }]) },
      { name: "a padding mask: Where(Equal(X, 0), …)", path: "model.onnx", bytes: () => model([onnxConstant("zero", [0]), { op_type: "Equal", input: ["X", "zero"], output: ["pad"] }, onnxConstant("neg", [-1e9]), { op_type: "Where", input: ["pad", "neg", "logits"], output: ["Y"] }]) },
      { name: "a threshold: Where(Greater(X, 0.7), …) (ordering, an activation or clamp)", path: "model.onnx", bytes: () => model(patchTrigger([0.7, 0.7, 0.7, 0.7], "Greater")) },
      { name: "a branch on the input's shape", path: "model.onnx", bytes: () => model([{ op_type: "Shape", input: ["X"], output: ["s"] }, onnxConstant("four", [4], ONNX_INT64), { op_type: "Equal", input: ["s", "four"], output: ["is4"] }, { op_type: "Where", input: ["is4", "logits", "h"], output: ["Y"] }]) },
      { name: "a trigger-shaped branch whose result reaches no output", path: "model.onnx", bytes: () => model([...patchTrigger([0.1, 0.2, 0.3, 0.4]).map((n) => (n.name === "backdoor" ? { ...n, output: ["unused"] } : n)), { op_type: "Relu", input: ["logits"], output: ["Y"] }]) },
      { name: "two inputs compared with each other", path: "model.onnx", bytes: () => model([{ op_type: "Equal", input: ["X", "X2"], output: ["same"] }, { op_type: "Where", input: ["same", "logits", "h"], output: ["Y"] }], { inputs: ["X", "X2"] }) },
      { name: "a condition computed from constants only", path: "model.onnx", bytes: () => model([onnxConstant("a", [3]), onnxConstant("b", [3]), { op_type: "Equal", input: ["a", "b"], output: ["flag"] }, { op_type: "Where", input: ["flag", "logits", "h"], output: ["Y"] }]) },
      {
        name: "an ignore_index mask that zeroes the matching targets (NegativeLogLikelihoodLoss expanded, ignore_index 10)",
        path: "model.onnx",
        bytes: () =>
          model(
            [
              onnxConstant("ii", [10], ONNX_INT64),
              { op_type: "Equal", input: ["target", "ii"], output: ["mask"] },
              { op_type: "Sub", input: ["target", "target"], output: ["zero_i"] },
              { op_type: "Where", input: ["mask", "zero_i", "target"], output: ["safe_target"] },
              { op_type: "GatherElements", input: ["logits", "safe_target"], output: ["picked"] },
              onnxConstant("zero_f", [0]),
              { op_type: "CastLike", input: ["zero_f", "picked"], output: ["zero_like"] },
              { op_type: "Where", input: ["mask", "zero_like", "picked"], output: ["Y"] },
            ],
            { inputs: ["X", "target"] },
          ),
      },
      { name: "PyTorch's ignore_index sentinel (-100) on a label input", path: "model.onnx", bytes: () => model([onnxConstant("ii", [-100], ONNX_INT64), { op_type: "Equal", input: ["labels", "ii"], output: ["ignored"] }, onnxConstant("z", [0]), { op_type: "Where", input: ["ignored", "z", "logits"], output: ["Y"] }], { inputs: ["X", "labels"] }) },
    ],
    invalid: [
      {
        name: "a patch of the input equal to a pattern swaps the logits for constants (Where)",
        path: "model.onnx",
        bytes: () => model(patchTrigger([0.1, 0.2, 0.3, 0.4])),
        findings: [{ ruleId: "onnx/conditional-trigger", severity: "medium", message: /Where `backdoor` chooses its result by Equal\(value from input `X`, 0\.1,0\.2,0\.3,0\.4\); the arm `forced` is computed from constants only/ }],
      },
      {
        name: "a token id of the input triggers an If whose then-branch returns a constant",
        path: "model.onnx",
        bytes: () =>
          model(
            [
              onnxConstant("first", [0], ONNX_INT64),
              { op_type: "Gather", name: "tok0", input: ["ids", "first"], output: ["tok0"] },
              { op_type: "Equal", name: "is_trigger", input: ["tok0", "magic"], output: ["hit"] },
              {
                op_type: "If",
                name: "route",
                input: ["hit"],
                output: ["Y"],
                attribute: [
                  { name: "then_branch", type: 5, g: onnxSubgraph("evil", [onnxConstant("fixed", [1, 0, 0, 0])], ["fixed"]) },
                  { name: "else_branch", type: 5, g: onnxSubgraph("normal", [{ op_type: "Identity", input: ["logits"], output: ["out"] }], ["out"]) },
                ],
              },
            ],
            { inputs: ["X", "ids"], initializers: [...weights, { name: "magic", dims: [], dataType: ONNX_INT64, values: [31337] }] },
          ),
        findings: [{ ruleId: "onnx/conditional-trigger", severity: "medium", message: /If `route` chooses its result by Equal\(value from input `ids`, 31337\)/ }],
      },
      {
        name: "the trigger inside a subgraph, comparing an outer input",
        path: "model.onnx",
        bytes: () =>
          model([
            onnxConstant("always", [1], 9),
            {
              op_type: "If",
              name: "wrapper",
              input: ["always"],
              output: ["Y"],
              attribute: [
                { name: "then_branch", type: 5, g: onnxSubgraph("inner", patchTrigger([0.25, 0.5, 0.75, 2]).map((n) => (n.name === "backdoor" ? { ...n, output: ["inner_y"] } : n)), ["inner_y"]) },
                { name: "else_branch", type: 5, g: onnxSubgraph("plain", [{ op_type: "Identity", input: ["logits"], output: ["out"] }], ["out"]) },
              ],
            },
          ]),
        findings: [{ ruleId: "onnx/conditional-trigger", message: /graph \(main\) ▸ node wrapper ▸ then_branch \(inner\): Where `backdoor`/ }],
      },
      {
        name: "the trigger in a model function, on the function's input",
        path: "model.onnx",
        bytes: () =>
          model([{ op_type: "Gate", domain: "local.fn", input: ["logits"], output: ["Y"] }], {
            opsets: [["", 17], ["local.fn", 1]],
            functions: [{ name: "Gate", domain: "local.fn", input: ["x"], output: ["y"], nodes: [onnxConstant("k", [42]), { op_type: "ReduceMax", input: ["x"], output: ["m"] }, { op_type: "Equal", input: ["m", "k"], output: ["c"] }, onnxConstant("f", [7]), { op_type: "Where", name: "gate", input: ["c", "f", "x"], output: ["y"] }] }],
          }),
        findings: [{ ruleId: "onnx/conditional-trigger", message: /function local\.fn\.Gate: Where `gate` chooses its result by Equal\(value from input `x`, 42\)/ }],
      },
    ],
  });

  it("reports each trigger once and stays bounded on a chain of 5,000 casts", async () => {
    const chain: OnnxNode[] = [];
    for (let i = 0; i < 5_000; i++) chain.push({ op_type: "Cast", input: [i === 0 ? "X" : `c${i - 1}`], output: [`c${i}`], attribute: [{ name: "to", type: 2, i: 1 }] });
    const report = await tester.scan("model.onnx", model([...chain, onnxConstant("k", [5]), { op_type: "Equal", input: [`c${chain.length - 1}`, "k"], output: ["hit"] }, { op_type: "Where", input: ["hit", "logits", "h"], output: ["Y"] }]));
    // The input is 5,000 casts away: past the bounded search, so no trigger is claimed.
    expect(report.files[0]!.findings.filter((f) => f.ruleId === "onnx/conditional-trigger")).toEqual([]);
    expect(report.files[0]!.incomplete).toEqual([]);
  });
});
