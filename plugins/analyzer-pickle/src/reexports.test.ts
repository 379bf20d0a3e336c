import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { alarms, findingsOf, scan, severityOf } from "./test-helpers.js";

// Issue 8 item 1: the default policy allows library classes by EXACT name
// (rulesets/default/data/pickle-policy-generated.json), so what a library
// module merely re-exports is no longer allowed through that module. Each
// pickle below names a real re-export of Debian's libraries (checked with
// `vars(module)[name].__module__ != module`) and calls it with a harmless
// argument; with the old module-scope entries every one of them passed.
const REEXPORTS: [string, string, string, string][] = [
  // module, name, argument, where it really lives
  ["pandas.core.frame", "import_optional_dependency", "os", "pandas.compat._optional"],
  ["pandas.core.generic", "import_optional_dependency", "os", "pandas.compat._optional"],
  ["pandas.core.frame", "get_handle", "/tmp/mw-echo", "pandas.io.common"],
  ["scipy.sparse", "save_npz", "/tmp/mw-echo.npz", "scipy.sparse._matrix_io"],
  ["scipy.sparse", "load_npz", "/tmp/mw-echo.npz", "scipy.sparse._matrix_io"],
  ["sklearn.pipeline", "Parallel", "echo", "sklearn.utils.parallel"],
  ["sklearn.ensemble._forest", "delayed", "echo", "sklearn.utils.parallel"],
  ["sklearn.linear_model", "attrgetter", "system", "operator"],
  ["sklearn.tree", "partial", "echo", "functools"],
  ["torch.nn.modules", "deepcopy", "echo", "copy"],
  ["pandas.core.indexes", "itemgetter", "0", "operator"],
];

describe("re-exports of allowed modules are not allowed (exact names)", () => {
  it.each(REEXPORTS)("%s.%s(%j) is reported at high or above (really %s)", async (module, name, arg) => {
    const r = await scan(pickle().proto(4).callStr(module, name, arg).stop().toBytes());
    const f = findingsOf(r).filter((x) => x.message.includes(`${module}.${name}`));
    expect(f.some((x) => ["critical", "high"].includes(severityOf(x))), JSON.stringify(findingsOf(r).map((x) => [x.ruleId, severityOf(x), x.message]))).toBe(true);
  });

  it("a chain through a re-exported import helper reaches its payload with findings at each step", async () => {
    // getattr(pandas.core.frame.import_optional_dependency('os'), 'system')('echo chain')
    const b = pickle()
      .proto(4)
      .stackGlobalOf("builtins", "getattr")
      .stackGlobalOf("pandas.core.frame", "import_optional_dependency")
      .shortBinUnicode("os")
      .tupleN(1)
      .reduce()
      .shortBinUnicode("system")
      .tupleN(2)
      .reduce()
      .shortBinUnicode("echo chain")
      .tupleN(1)
      .reduce()
      .stop()
      .toBytes();
    const r = await scan(b);
    const f = findingsOf(r);
    expect(f.some((x) => x.message.includes("pandas.core.frame.import_optional_dependency") && ["critical", "high"].includes(severityOf(x))), JSON.stringify(f.map((x) => x.message))).toBe(true);
    expect(f.some((x) => x.ruleId === "pickle/dynamic-call")).toBe(true);
  });

  it("the libraries' own classes, by the name pickle writes, stay clean", async () => {
    for (const [module, name] of [
      ["sklearn.linear_model._logistic", "LogisticRegression"],
      ["sklearn.tree._classes", "DecisionTreeClassifier"],
      ["pandas.core.frame", "DataFrame"],
      ["scipy.sparse._csr", "csr_matrix"],
      ["torch.nn.modules.linear", "Linear"],
    ] as const) {
      // cls.__new__(cls) then BUILD with a plain dict of state, as pickle writes an object
      const b = pickle().proto(4).stackGlobalOf(module, name).emptyTuple().newObj().emptyDict().shortBinUnicode("k").binInt(1).setItem().buildOp().stop().toBytes();
      const r = await scan(b);
      expect(alarms(r, "medium"), `${module}.${name}: ${JSON.stringify(findingsOf(r).map((x) => x.message))}`).toBe(false);
    }
  });

  it("the public alias of a class is not the name pickle writes, and is reported", async () => {
    const r = await scan(pickle().proto(4).stackGlobalOf("sklearn.linear_model", "LogisticRegression").emptyTuple().newObj().stop().toBytes());
    expect(alarms(r, "medium")).toBe(true);
  });
});
