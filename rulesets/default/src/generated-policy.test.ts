import type { AllowEntry, DenyEntry } from "@modelward/pickle";
import { describe, expect, it } from "vitest";
import generated from "../data/pickle-policy-generated.json";
import hand from "../data/pickle-policy.json";
import scipyDistributions from "../data/pickle-policy-scipy-distributions.json";
import defaultRuleset from "./index.js";

// Issue 8 item 1: library allow entries are exact names generated from the real libraries.
const merged = defaultRuleset.policies!.pickle as { allow: AllowEntry[]; deny: DenyEntry[] };
const generatedNames = new Set(generated.allow.flatMap((e) => e.names.map((n) => `${e.path}.${n}`)));

describe("generated exact-name pickle allow entries", () => {
  it("record the generator and the library versions they came from", () => {
    expect(generated.generator).toBe("scripts/pickle-policy/generate.py");
    for (const lib of ["numpy", "scipy", "pandas", "sklearn", "torch"]) expect(generated.versions[lib as keyof typeof generated.versions]).toMatch(/^\d+\.\d+/);
  });

  it("are all exact-name lists, merged after the hand-written entries", () => {
    expect(generated.allow.every((e) => e.scope === "names" && e.names.length > 0)).toBe(true);
    expect(merged.allow.slice(0, hand.allow.length)).toEqual(hand.allow);
    expect(merged.allow.length).toBe(hand.allow.length + scipyDistributions.allow.length + generated.allow.length);
    expect(merged.allow.slice(-generated.allow.length)).toEqual(generated.allow);
  });

  it("leave no module-scope allow entry but the TorchScript namespace (never a library module)", () => {
    expect(merged.allow.filter((e) => e.scope === "module").map((e) => e.path)).toEqual(["__torch__"]);
  });

  it("never list a name that a deny entry matches (a longer allow entry would override it)", () => {
    const denied = merged.deny.filter((d) => d.scope !== "attribute").map((d) => d.path);
    const clash = [...generatedNames].filter((q) => denied.some((d) => q === d || q.startsWith(`${d}.`)));
    expect(clash).toEqual([]);
  });

  it("list the data-only classes real files name (issue 9 item 6) and no re-export", () => {
    for (const q of [
      "sklearn.metrics._dist_metrics.EuclideanDistance", "sklearn.model_selection._search.GridSearchCV", "sklearn.model_selection._split.KFold",
      "sklearn.metrics._scorer._PredictScorer", "sklearn.kernel_ridge.KernelRidge", "numpy.core._multiarray_umath.log1p", "numpy.matrix",
      "numpy.recarray", "numpy.record", "numpy.number", "numpy.random.bit_generator.__pyx_unpickle_SeedSequence", "pandas._libs.missing.NA",
      "pandas.core.dtypes.dtypes.CategoricalDtype", "scipy.spatial.transform._rotation.Rotation", "scipy.optimize._optimize.OptimizeResult",
      "scipy.spatial._ckdtree.cKDTree", "scipy.interpolate._bsplines.BSpline", "torch.torch_version.TorchVersion",
      "torch.utils.data.dataset.TensorDataset", "torch.ao.nn.quantized.modules.linear.Linear", "torch.optim.adam.Adam",
      "torch.optim.lr_scheduler.StepLR", "argparse.Namespace", "omegaconf.dictconfig.DictConfig",
      "networkx.classes.graph.Graph", "statsmodels.regression.linear_model.OLS",
    ]) expect(generatedNames.has(q), q).toBe(true);
    for (const q of ["pandas.core.frame.get_handle", "pandas.core.frame.import_optional_dependency", "scipy.sparse.save_npz", "sklearn.pipeline.Parallel",
      "scipy.sparse._matrix_io.save_npz", "torch.nn.modules.module.deepcopy", "numpy.memmap", "numpy.DataSource", "dateutil.tz.tz.tzfile"])
      expect(generatedNames.has(q), q).toBe(false);
  });

  it("leave out scipy.stats distributions, whose state runs carried code, and say why for every exclusion", () => {
    expect([...generatedNames].some((q) => q.startsWith("scipy.stats._continuous_distns.") || q.startsWith("scipy.stats._distn_infrastructure."))).toBe(false);
    expect(generated.excluded.length).toBeGreaterThan(0);
    expect(generated.excluded.some((e) => e.path === "pandas.io.sas._sas.__pyx_unpickle_Enum" && e.why === "denied by pandas.io")).toBe(true);
    expect(generated.excluded.every((e) => e.path && e.why)).toBe(true);
  });
});
