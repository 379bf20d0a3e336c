import { PicklePolicy } from "@modelward/pickle";
import { pickle, type PickleBuilder } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

// numpy pickles a ufunc as numpy.core._ufunc_reconstruct(ufunc.__module__, ufunc.__name__).
const ufunc = (b: PickleBuilder, module: string, name: string, numpyCore = "numpy.core") =>
  b.stackGlobalOf(numpyCore, "_ufunc_reconstruct").shortBinUnicode(module).shortBinUnicode(name).tupleN(2).reduce();

const summary = (bytes: Uint8Array) =>
  scan(bytes, "model.pkl").then((r) => findingsOf(r).map((f) => `${severityOf(f)} ${f.ruleId}: ${f.message}`));

describe("name resolvers are judged by what they resolve to", () => {
  it("a ufunc reference, as scikit-learn's FunctionTransformer(np.log1p) pickles it, raises nothing at medium or above", async () => {
    for (const core of ["numpy.core", "numpy._core"]) {
      const found = await summary(ufunc(pickle().proto(4).emptyDict().shortBinUnicode("func"), "numpy", "log1p", core).setItem().stop().toBytes());
      expect(found.filter((f) => /^(critical|high|medium) /.test(f))).toEqual([]);
    }
  });

  it("a resolver pointed at os.system is os.system", async () => {
    const found = await summary(ufunc(pickle().proto(4), "os", "system").shortBinUnicode("echo resolver").tupleN(1).reduce().stop().toBytes());
    expect(found.some((f) => /^critical pickle\/dangerous-global: .*resolves to os\.system/.test(f))).toBe(true);
  });

  it("a resolver pointed at a denied numpy function is denied", async () => {
    const found = await summary(ufunc(pickle().proto(4), "numpy", "fromfile").stop().toBytes());
    expect(found.some((f) => /pickle\/dangerous-global: .*resolves to numpy\.fromfile/.test(f))).toBe(true);
  });

  it("a resolver pointed at something unaudited is an unknown call", async () => {
    const found = await summary(ufunc(pickle().proto(4), "acme.models", "Thing").stop().toBytes());
    expect(found.some((f) => /^high pickle\/unknown-call: .*resolves to acme\.models\.Thing/.test(f))).toBe(true);
  });

  it("a resolver given a name computed at load time is reported", async () => {
    const b = pickle()
      .proto(4)
      .stackGlobalOf("numpy.core", "_ufunc_reconstruct")
      .stackGlobalOf("builtins", "str")
      .shortBinUnicode("os")
      .tupleN(1)
      .reduce()
      .shortBinUnicode("system")
      .tupleN(2)
      .reduce()
      .stop()
      .toBytes();
    const found = await summary(b);
    expect(found.some((f) => /pickle\/dynamic-global: resolves a name computed at load time/.test(f))).toBe(true);
  });

  it("policy data with a malformed resolves is reported as a problem, not trusted", () => {
    const policy = PicklePolicy.fromData([{ allow: [{ path: "x.y", reason: "r", resolves: { module: "0", name: 1 } }] }]);
    expect(policy.problems.map((p) => p.message)).toEqual(["resolves needs argument positions { module, name } (whole numbers from 0)"]);
    expect(policy.evaluate("x", "y").verdict).toBe("unknown");
  });
});
