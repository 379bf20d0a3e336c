import { describe, expect, it } from "vitest";
import { PicklePolicy, type PicklePolicyData } from "./policy.js";

const data: PicklePolicyData = {
  allow: [
    { path: "collections.OrderedDict", reason: "container" },
    { path: "joblib.numpy_pickle.NumpyArrayWrapper", reason: "array marker" },
    { path: "numpy", scope: "module", reason: "test: whole package" },
    { path: "pathlib", scope: "module", reason: "test: paths" },
  ],
  deny: [
    { path: "os", scope: "module", family: "process", severity: "critical", reason: "shell" },
    { path: "joblib", scope: "module", family: "nested-unpickle", severity: "critical", reason: "load" },
    { path: "builtins.eval", family: "code-execution", severity: "critical", reason: "eval" },
    { path: "numpy.testing._private.utils.runstring", family: "code-execution", severity: "critical", reason: "exec" },
    { path: "asyncio", scope: "module", family: "process", severity: "critical", reason: "subprocess transports" },
    { path: "__globals__", scope: "attribute", family: "gadget", severity: "high", reason: "function globals" },
  ],
};
const p = PicklePolicy.fromData([data]);
const v = (m: string, n: string) => p.evaluate(m, n).verdict;

describe("PicklePolicy", () => {
  it("judges allowlisted, denylisted and unknown globals", () => {
    expect(v("collections", "OrderedDict")).toBe("safe");
    expect(v("os", "system")).toBe("dangerous");
    expect(v("mypkg.models", "Net")).toBe("unknown");
  });
  it("matches submodules of a denied module (CVE-2025-10157)", () => {
    expect(v("asyncio.unix_events", "_UnixSubprocessTransport._start")).toBe("dangerous");
    expect(v("asyncio_helpers", "run")).toBe("unknown");
  });
  it("follows dotted names into other modules (GHSA-5j3x-jp52-966f)", () => {
    expect(v("pathlib", "os.system")).toBe("dangerous");
    expect(v("shutil.os", "system")).toBe("dangerous");
    expect(v("builtins", "eval.__call__")).toBe("dangerous");
    expect(v("pathlib", "PurePath")).toBe("safe");
  });
  it("keeps a denied callable denied inside an allowed package", () => {
    expect(v("numpy.testing._private.utils", "runstring")).toBe("dangerous");
    expect(v("numpy.core.multiarray", "_reconstruct")).toBe("safe");
  });
  it("lets a more specific allow entry win inside a denied package", () => {
    expect(v("joblib.numpy_pickle", "NumpyArrayWrapper")).toBe("safe");
    expect(v("joblib", "load")).toBe("dangerous");
  });
  it("never allows an attribute chain through an allowed name", () => {
    expect(v("collections", "OrderedDict.__globals__")).toBe("dangerous");
    expect(v("collections", "OrderedDict.fromkeys")).toBe("unknown");
    expect(v("numpy", "ndarray.__globals__")).toBe("dangerous");
  });
  it("without policy data only plain builtins are safe; everything else is unknown", () => {
    const bare = PicklePolicy.fromData([]);
    expect(bare.evaluate("builtins", "set").verdict).toBe("safe");
    expect(bare.evaluate("os", "system").verdict).toBe("unknown");
    expect(bare.evaluate("collections", "OrderedDict").verdict).toBe("unknown");
  });
  it("reports malformed entries instead of trusting them", () => {
    const bad = PicklePolicy.fromData([{ allow: [{ path: "x.y" }], deny: [{ path: "z", severity: "extreme" }] }, "nope"]);
    expect(bad.problems.map((x) => x.where)).toEqual(["policy[0].allow[0]", "policy[0].deny[0]", "policy[1]"]);
    expect(bad.evaluate("x", "y").verdict).toBe("unknown");
  });
});

describe("PicklePolicy module-path tails", () => {
  const q = PicklePolicy.fromData([{
    allow: [{ path: "numpy.random._pickle", scope: "module", reason: "ctor table" }],
    deny: [
      { path: "_pickle", scope: "module", family: "nested-unpickle", severity: "critical", reason: "loads" },
      { path: "builtins.eval", family: "code-execution", severity: "critical", reason: "eval" },
    ],
  }]);
  it("a sys.modules alias inside a module path is followed (six.moves.builtins)", () => {
    expect(q.evaluate("six.moves.builtins", "eval").verdict).toBe("dangerous");
  });
  it("a package's own submodule vouched for by an allow entry is not a denied top-level module", () => {
    expect(q.evaluate("numpy.random._pickle", "__randomstate_ctor").verdict).toBe("safe");
    expect(q.evaluate("other._pickle", "loads").verdict).toBe("dangerous");
  });
});

describe("PicklePolicy exact-name lists (scope names)", () => {
  const listed = PicklePolicy.fromData([
    {
      allow: [
        { path: "sklearn.linear_model._logistic.LogisticRegression", reason: "hand-audited" },
        { path: "sklearn.linear_model._logistic", scope: "names", names: ["LogisticRegression", "LogisticRegressionCV", "Outer.Inner"], reason: "generated" },
      ],
      deny: [{ path: "os", scope: "module", family: "process", severity: "critical", reason: "shell" }],
    },
  ]);
  const lv = (m: string, n: string) => listed.evaluate(m, n);

  it("allows exactly the listed names of the module", () => {
    expect(listed.problems).toEqual([]);
    expect(lv("sklearn.linear_model._logistic", "LogisticRegressionCV").verdict).toBe("safe");
    expect(lv("sklearn.linear_model._logistic", "Outer.Inner").verdict).toBe("safe");
  });

  it("allows nothing else of the module: no re-export, no submodule, no attribute of a listed name", () => {
    expect(lv("sklearn.linear_model._logistic", "partial").verdict).toBe("unknown");
    expect(lv("sklearn.linear_model._logistic.sub", "LogisticRegression").verdict).toBe("unknown");
    expect(lv("sklearn.linear_model._logistic", "LogisticRegression.fit").verdict).toBe("unknown");
    expect(lv("sklearn.linear_model", "LogisticRegression").verdict).toBe("unknown");
    expect(lv("sklearn.linear_model._logistic", "os.system").verdict).toBe("dangerous");
  });

  it("a hand-written entry for the same name keeps its reason", () => {
    const v = lv("sklearn.linear_model._logistic", "LogisticRegression");
    expect(v.verdict === "safe" && v.entry.reason).toBe("hand-audited");
  });

  it("reports a names entry without names, and names on another scope", () => {
    const bad = PicklePolicy.fromData([{ allow: [{ path: "a.b", scope: "names", reason: "r" }, { path: "a.c", scope: "names", names: [""], reason: "r" }, { path: "a.d", names: ["X"], reason: "r" }] }]);
    expect(bad.problems.map((x) => x.where)).toEqual(["policy[0].allow[0]", "policy[0].allow[1]", "policy[0].allow[2]"]);
    expect(bad.evaluate("a.d", "X").verdict).toBe("unknown");
  });
});
