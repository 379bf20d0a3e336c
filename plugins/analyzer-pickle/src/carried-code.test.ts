import defaultRuleset from "@modelward/ruleset-default";
import { PicklePolicy, type PicklePolicyData } from "@modelward/pickle";
import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, findingsOf, scan, severityOf, show, type Builder } from "./test-helpers.js";

// scipy.stats distributions exec the `_parse_arg_template` their pickled state carries (issue 8.3): allowed
// only with a template scipy itself generates, critical with anything else.
const data = defaultRuleset.policies!.pickle as PicklePolicyData;
const templates = data.allow!.find((e) => e.carriedCode)!.carriedCode!.equals;
const NORM_TEMPLATE = templates.find((t) => t.includes("def _parse_args(self,  loc=0, scale=1):"))!;
const INFRA = "scipy.stats._distn_infrastructure";
const CONT = "scipy.stats._continuous_distns";

/** norm_gen's __dict__ as scipy pickles it, `extra` keys first (decoys), the template under `template`. */
function distState(b: Builder, template: (b: Builder) => unknown, extra = 0): Builder {
  b.emptyDict().mark();
  for (let i = 0; i < extra; i++) b.shortBinUnicode(`attr${i}`).none();
  b.shortBinUnicode("name").shortBinUnicode("norm").shortBinUnicode("numargs").binInt(0).shortBinUnicode("_parse_arg_template");
  template(b);
  return b.setItems();
}
/** rv_continuous_frozen(dist=norm_gen instance with `state`), protocol 4. */
function frozenNorm(state: (b: Builder) => unknown): Uint8Array {
  const b = pickle().proto(4).stackGlobalOf(INFRA, "rv_continuous_frozen").emptyTuple().newObj();
  b.emptyDict().shortBinUnicode("args").emptyTuple().shortBinUnicode("dist").stackGlobalOf(CONT, "norm_gen").emptyTuple().newObj();
  state(b);
  b.buildOp().setItem().setItem().buildOp();
  return b.stop().toBytes();
}
const critical = (r: Awaited<ReturnType<typeof scan>>) => findingsOf(r).filter((f) => severityOf(f) === "critical" && f.message.includes("runs code its state carries"));

describe("scipy.stats distributions judged by the code they carry (issue 8.3)", () => {
  it("the generated data loads, lists scipy's templates and every distribution class", () => {
    expect(PicklePolicy.fromData([data]).problems).toEqual([]);
    expect(templates.length).toBeGreaterThan(10);
    expect(NORM_TEMPLATE).toBeDefined();
    const p = PicklePolicy.fromData([data]);
    for (const [m, n] of [[CONT, "norm_gen"], [CONT, "gamma_gen"], ["scipy.stats._discrete_distns", "poisson_gen"], [INFRA, "rv_continuous_frozen"]]) expect(p.evaluate(m!, n!).verdict, n).toBe("safe");
    expect(p.evaluate(INFRA, "argsreduce").verdict).toBe("dangerous");
  });

  it("a frozen norm as scipy pickles it (its own template) is quiet", async () => {
    const r = await scan(frozenNorm((b) => distState(b, (x) => x.binUnicode(NORM_TEMPLATE))), "dist.pkl");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("a state of 33 entries (gilbrat) is still read for its template", async () => {
    const r = await scan(frozenNorm((b) => distState(b, (x) => x.binUnicode(NORM_TEMPLATE), 31)), "dist.pkl");
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("a template that is not scipy's is critical", async () => {
    const evil = `${NORM_TEMPLATE}\n__import__('os').system('echo carried')\n`;
    const r = await scan(frozenNorm((b) => distState(b, (x) => x.binUnicode(evil))), "dist.pkl");
    expect(critical(r).some((f) => f.message.includes("echo carried")), show(r)).toBe(true);
  });

  it("scipy's template first and another one hidden after 40 decoys (the last wins) is critical", async () => {
    const r = await scan(
      frozenNorm((b) => {
        distState(b, (x) => x.binUnicode(NORM_TEMPLATE), 0);
        b.mark();
        for (let i = 0; i < 40; i++) b.shortBinUnicode(`decoy${i}`).none();
        return b.shortBinUnicode("_parse_arg_template").binUnicode("import os\nos.system('echo hidden')\n").setItems();
      }),
      "dist.pkl",
    );
    expect(critical(r).some((f) => f.message.includes("echo hidden")), show(r)).toBe(true);
  });

  it("a template built at load time, a state that is not a dict, and a dict changed after the BUILD are critical", async () => {
    const built = await scan(frozenNorm((b) => distState(b, (x) => x.stackGlobalOf("_codecs", "decode").mark().binUnicode("x").shortBinUnicode("rot13").tuple().reduce())), "dist.pkl");
    expect(critical(built), show(built)).not.toEqual([]);
    const tuple = await scan(frozenNorm((b) => b.mark().mark().shortBinUnicode("_parse_arg_template").binUnicode("import os").tuple().tuple()), "dist.pkl");
    expect(critical(tuple), show(tuple)).not.toEqual([]);
    // BUILD with a payload, then the same memoized dict set back to scipy's template.
    const b = pickle().proto(4).stackGlobalOf(CONT, "norm_gen").emptyTuple().newObj();
    b.emptyDict().memoize().shortBinUnicode("_parse_arg_template").binUnicode("import os\nos.system('echo swapped')\n").setItem().buildOp();
    b.get(0).shortBinUnicode("_parse_arg_template").binUnicode(NORM_TEMPLATE).setItem().tupleN(2).stop();
    const swapped = await scan(b.toBytes(), "dist.pkl");
    expect(critical(swapped).some((f) => f.message.includes("echo swapped")), show(swapped)).toBe(true);
  });

  it("the protocol-0/1 form (copyreg._reconstructor(norm_gen, object, None)) is judged the same", async () => {
    const evil = (t: string) =>
      pickle().global("copyreg", "_reconstructor").mark().global(CONT, "norm_gen").global("__builtin__", "object").none().tuple().reduce()
        .mark().string("'_parse_arg_template'").string(`'${t.replace(/\n/g, "\\n").replace(/'/g, "\\'")}'`).dict().buildOp().stop().toBytes();
    const bad = await scan(evil("import os\nos.system('echo p0')\n"), "dist.pkl");
    expect(critical(bad), show(bad)).not.toEqual([]);
    const ok = await scan(evil(NORM_TEMPLATE), "dist.pkl");
    expect(critical(ok), show(ok)).toEqual([]);
  });
});
