import { buildTorchScriptZip } from "@modelward/testing";
import { defaultRuleset } from "@modelward/ruleset-default";
import { PicklePolicy } from "@modelward/pickle";
import { describe, expect, it } from "vitest";
import { scanTorchScriptSource } from "./torchscript-code.js";
import { codeNames } from "./torchscript-tokens.js";
import { findingsLike, lines, tester } from "./test-support.js";

const policy = PicklePolicy.fromData([defaultRuleset.policies!.pickle]);
const calls = (src: string) => scanTorchScriptSource(src, policy).map((h) => `${h.severity} ${h.family} ${h.call}`);

// How torch.jit prints a module that raises (torchvision's misc ops, batchnorm, functional).
const GENERATED = `class Vision(Module):
  __parameters__ = []
  stem : __torch__.torchvision.ops.misc.Conv2dNormActivation
  def forward(self: __torch__.Vision,
    x: Tensor) -> Tensor:
    _0 = "builtins.ValueError"
    if torch.ne(torch.dim(x), 4):
      ops.prim.RaiseException("expected NCHW", "builtins.ValueError")
    else:
      pass
    _1 = __torch__.torchvision.ops.misc.Conv2dNormActivation.forward
    y = torch.ops.aten.add(x, CONSTANTS.c0)  # os.system("not code")
    return (self.stem).forward(ops.quantized.linear(y), )
`;

describe("TorchScript code tokenizer", () => {
  it("skips strings and comments, keeps dotted names with their positions", () => {
    const names = codeNames(`a = 'x.y' + "os.system" # eval(1)\nb = r'\\'' ; c.d ( 1 )\n"""multi\nline os.system"""\ne.f`);
    expect(names.map((n) => `${n.text}@${n.line}:${n.column}${n.called ? "()" : ""}`)).toEqual(["a@1:1", "b@2:1", "c.d@2:13()", "e.f@5:1"]);
  });

  it("reads f-string text as code (its replacement fields are code), attributes of expressions as attributes", () => {
    const names = codeNames(`s = f"{os.system('x')}"\nf(x).eval()`);
    expect(names.filter((n) => n.text === "os.system" || n.text === "eval").map((n) => [n.text, n.called, n.attribute])).toEqual([
      ["os.system", true, false],
      ["eval", true, true],
    ]);
  });

  it("never throws on unterminated strings and odd bytes", () => {
    for (const src of ["'abc", '"""abc', "f'{", "x.\\\n", "\\", ".5e3.x", "\u0000\uffff"]) expect(() => codeNames(src)).not.toThrow();
  });
});

describe("TorchScript code judgement", () => {
  it("what torch.jit prints is not flagged: RaiseException strings, __torch__ class paths, torch namespaces, comments", () => {
    expect(calls(GENERATED)).toEqual([]);
  });

  it("code that calls or names system modules is flagged; the same text in a string or comment is not", () => {
    expect(calls(`def forward(self, x):\n  os.system("echo pwned")\n  return x`)).toEqual(["critical python-escape os.system"]);
    expect(calls(`def forward(self, x):\n  _0 = "os.system('echo pwned')"\n  # os.system("echo pwned")\n  return x`)).toEqual([]);
    expect(calls(`y = builtins.eval("1")`)).toEqual(["critical python-escape builtins.eval"]);
    expect(calls(`m = __import__("os")`)).toEqual(["critical python-escape __import__"]);
    expect(calls(`subprocess . run(["echo", "pwned"])`)).toEqual([expect.stringMatching(/^critical python-escape subprocess\.run$/)]);
  });

  it("custom native ops, file IO and library loading are flagged", () => {
    expect(calls(`y = torch.ops.mylib.run(x)\nz = ops.evil.go(x)\nw = ops.aten.mul(x, x)`)).toEqual(["medium custom-op torch.ops.mylib.run", "medium custom-op ops.evil.go"]);
    expect(calls(`torch.save(x, "/tmp/x")\ny = torch.load("/tmp/y")\nf = open("/etc/passwd")`)).toEqual(["high file-io torch.save", "high file-io torch.load", "high file-io open"]);
    expect(calls(`torch.ops.load_library("/tmp/evil.so")`)).toEqual(["critical custom-op torch.ops.load_library"]);
  });

  it("without a policy, system modules are still flagged", () => {
    expect(scanTorchScriptSource(`os.system("x")`).map((h) => h.call)).toEqual(["os.system"]);
  });
});

describe("hostile TorchScript archives (builder-made)", () => {
  it("os.system called as code in code/__torch__.py is critical", async () => {
    const report = await tester.scan("model.pt", buildTorchScriptZip({ code: { "__torch__.py": GENERATED.replace("return (self.stem)", 'os.system("echo pwned")\n    return (self.stem)') } }));
    expect(findingsLike(report, { ruleId: "pytorch/torchscript-dangerous-call", severity: "critical", message: "os.system" }).length, lines(report)).toBe(1);
  });

  it("os.system inside a RaiseException string is not", async () => {
    const report = await tester.scan("model.pt", buildTorchScriptZip({ code: { "__torch__.py": GENERATED.replace('"expected NCHW"', '"os.system(\\"echo pwned\\")"') } }));
    expect(findingsLike(report, { ruleId: "pytorch/torchscript-dangerous-call" }), lines(report)).toEqual([]);
  });
});
