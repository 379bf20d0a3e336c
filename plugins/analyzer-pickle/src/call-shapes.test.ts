import defaultRuleset from "@modelward/ruleset-default";
import { PicklePolicy, matchesCallShape, type PicklePolicyData } from "@modelward/pickle";
import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, callOf, dictOf, g, high, none, scan, show, str, tupleOf, type Step } from "./test-helpers.js";

// Reconstructors allowed only with the arguments their library pickles (issue 9 item 6): each has a
// benign case (the shape the library writes stays quiet) and gadgets through the allowed name (caught).
const run = async (steps: (b: ReturnType<typeof pickle>) => unknown) => {
  const b = pickle().proto(4);
  steps(b);
  return scan(b.stop().toBytes());
};
const unknownCallOf = (r: Awaited<ReturnType<typeof scan>>, path: string) =>
  high(r).filter((f) => f.ruleId === "pickle/unknown-call" && f.message.includes(`: ${path} is allowed `));

const KD = "sklearn.neighbors._kd_tree";
const BALL = "sklearn.neighbors._ball_tree";
const DIST = "sklearn.metrics._dist_metrics";
const DTI = "pandas.core.indexes.datetimes";
const IVI = "pandas.core.indexes.interval";
const TZ = "dateutil.tz.tz";

describe("call shapes of allowed reconstructors", () => {
  it("the policy data loads, and every shaped entry has a name-scope path", () => {
    const data = defaultRuleset.policies!.pickle as PicklePolicyData;
    expect(PicklePolicy.fromData([data]).problems).toEqual([]);
    const shaped = data.allow!.filter((e) => e.callShapes);
    expect(shaped.map((e) => e.path)).toEqual(expect.arrayContaining([`${KD}.newObj`, `${BALL}.newObj`, `${DIST}.newObj`, `${DTI}._new_DatetimeIndex`, `${IVI}._new_IntervalIndex`, `${TZ}.tzfile`]));
  });

  it("malformed callShapes are a policy problem, not a silent allow-everything", () => {
    const p = PicklePolicy.fromData([{ allow: [{ path: "m.f", reason: "r", callShapes: [{ args: [{ type: "evil" }] }] }, { path: "m", scope: "module", reason: "r", callShapes: [] }] }]);
    expect(p.problems).toHaveLength(2);
    expect(p.evaluate("m", "f").verdict).toBe("unknown");
  });

  it("dict keys: only listed str keys, and a dict longer than the VM keeps never matches", () => {
    const shapes = [{ args: [{ type: "dict" as const, keys: ["data", "name"] }] }];
    const dict = (keys: string[]) => ({ kind: "dict" as const, keys, values: keys.map(() => null), count: keys.length, weight: 1 });
    expect(matchesCallShape(shapes, [dict(["data", "name"])])).toBe(true);
    expect(matchesCallShape(shapes, [dict(["data", "tz"])])).toBe(false);
    expect(matchesCallShape(shapes, [{ ...dict(["data"]), count: 40 }])).toBe(false);
    expect(matchesCallShape(shapes, [dict(["data"])], dict(["x"]))).toBe(false);
  });

  for (const [tree, cls, other] of [[KD, "KDTree", `${BALL}.BallTree`], [BALL, "BallTree", `${KD}.KDTree`]] as const) {
    it(`${tree}.newObj(${cls}) is quiet; newObj of any other class (allowed or not) is an unknown call`, async () => {
      const ok = await run((b) => callOf(b, tree, "newObj", [g(tree, cls)]));
      expect(atLeastMedium(ok), show(ok)).toEqual([]);
      for (const [m, n] of [other.split(/\.(?=[^.]+$)/) as [string, string], ["collections", "OrderedDict"], ["mw_probe", "Payload"]] as const) {
        const bad = await run((b) => callOf(b, tree, "newObj", [g(m, n)]));
        expect(unknownCallOf(bad, `${tree}.newObj`), show(bad)).toHaveLength(1);
      }
      const twoArgs = await run((b) => callOf(b, tree, "newObj", [g(tree, cls), str("x")]));
      expect(unknownCallOf(twoArgs, `${tree}.newObj`), show(twoArgs)).toHaveLength(1);
    });
  }

  it("_dist_metrics.newObj takes its own module's classes only", async () => {
    const ok = await run((b) => callOf(b, DIST, "newObj", [g(DIST, "EuclideanDistance")]));
    expect(atLeastMedium(ok), show(ok)).toEqual([]);
    const bad = await run((b) => callOf(b, DIST, "newObj", [g("collections", "OrderedDict")]));
    expect(unknownCallOf(bad, `${DIST}.newObj`), show(bad)).toHaveLength(1);
  });

  it("a shaped name called through functools.partial is checked with the arguments it receives", async () => {
    const bad = await run((b) => {
      b.stackGlobalOf("functools", "partial").mark().stackGlobalOf(KD, "newObj").tuple().reduce();
      b.mark().stackGlobalOf("collections", "OrderedDict").tuple().reduce();
    });
    expect(unknownCallOf(bad, `${KD}.newObj`), show(bad)).toHaveLength(1);
  });

  it("a shaped name called by another callable (arguments it cannot see checked) is reported", async () => {
    // _rebuild_from_type_v2(f, cls, args) runs f(*args): visible arguments are checked like a direct call.
    const bad = await run((b) => callOf(b, "torch._tensor", "_rebuild_from_type_v2", [g(KD, "newObj"), g("torch", "Tensor"), tupleOf(g("collections", "OrderedDict")), (x) => x.emptyDict()]));
    expect(unknownCallOf(bad, `${KD}.newObj`), show(bad)).toHaveLength(1);
    const ok = await run((b) => callOf(b, "torch._tensor", "_rebuild_from_type_v2", [g(KD, "newObj"), g("torch", "Tensor"), tupleOf(g(KD, "KDTree")), (x) => x.emptyDict()]));
    expect(unknownCallOf(ok, `${KD}.newObj`), show(ok)).toEqual([]);
  });

  it("dateutil tzfile(None, name) is quiet; tzfile(path) opens the file and is an unknown call", async () => {
    const ok = await run((b) => callOf(b, TZ, "tzfile", [none, str("/usr/share/zoneinfo/Europe/Paris")]));
    expect(atLeastMedium(ok), show(ok)).toEqual([]);
    for (const args of [[str("/etc/passwd")], [str("/etc/passwd"), str("Europe/Paris")], [(b: ReturnType<typeof pickle>) => callOf(b, "io", "BytesIO", []), none]] as Step[][]) {
      const bad = await run((b) => callOf(b, TZ, "tzfile", args));
      expect(unknownCallOf(bad, `${TZ}.tzfile`), show(bad)).toHaveLength(1);
    }
  });

  it("pandas _new_DatetimeIndex(DatetimeIndex, {data, name}) is quiet; a 'tz' key (dateutil/<path> opens a file) or another class is not", async () => {
    const data: Step = (b) => callOf(b, "pandas.core.arrays.datetimes", "DatetimeArray", []);
    const ok = await run((b) => callOf(b, DTI, "_new_DatetimeIndex", [g(DTI, "DatetimeIndex"), dictOf({ data, name: none })]));
    expect(unknownCallOf(ok, `${DTI}._new_DatetimeIndex`), show(ok)).toEqual([]);
    const tz = await run((b) => callOf(b, DTI, "_new_DatetimeIndex", [g(DTI, "DatetimeIndex"), dictOf({ data: str("x"), tz: str("dateutil//etc/passwd"), freq: none })]));
    expect(unknownCallOf(tz, `${DTI}._new_DatetimeIndex`), show(tz)).toHaveLength(1);
    const cls = await run((b) => callOf(b, DTI, "_new_DatetimeIndex", [g("collections", "OrderedDict"), dictOf({ name: none })]));
    expect(unknownCallOf(cls, `${DTI}._new_DatetimeIndex`), show(cls)).toHaveLength(1);
  });

  it("pandas _new_IntervalIndex(IntervalIndex, {left, right, closed, name}) is quiet; another class's from_arrays is not", async () => {
    const ok = await run((b) => callOf(b, IVI, "_new_IntervalIndex", [g(IVI, "IntervalIndex"), dictOf({ left: none, right: none, closed: str("right"), name: none })]));
    expect(unknownCallOf(ok, `${IVI}._new_IntervalIndex`), show(ok)).toEqual([]);
    const bad = await run((b) => callOf(b, IVI, "_new_IntervalIndex", [g("pandas.core.frame", "DataFrame"), dictOf({ left: none })]));
    expect(unknownCallOf(bad, `${IVI}._new_IntervalIndex`), show(bad)).toHaveLength(1);
  });

  for (const [m, n] of [["sklearn.feature_selection._univariate_selection", "f_classif"], ["sklearn.cluster._kmeans", "_kmeans_single_lloyd"]] as const) {
    it(`${n} stored as a reference (a score function) is quiet; called it is an unknown call`, async () => {
      const ok = await run((b) => dictOf({ score_func: g(m, n) })(b));
      expect(atLeastMedium(ok), show(ok)).toEqual([]);
      const bad = await run((b) => callOf(b, m, n, [none, none]));
      expect(unknownCallOf(bad, `${m}.${n}`), show(bad)).toHaveLength(1);
    });
  }
});
