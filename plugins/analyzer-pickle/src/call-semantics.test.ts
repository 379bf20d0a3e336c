import defaultRuleset from "@modelward/ruleset-default";
import { CallSemantics, type CallSemanticsData } from "@modelward/pickle";
import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, callOf, findingsOf, g, high, none, scan, severityOf, show, str, tupleOf } from "./test-helpers.js";

describe("callables that call their arguments (issue 8 item 2)", () => {
  it("_rebuild_from_type_v2(f, …, args) runs f(*args): an unaudited f is an unknown call with the chain", async () => {
    const b = callOf(pickle().proto(4), "torch._tensor", "_rebuild_from_type_v2", [g("mw_probe", "payload"), g("torch", "Tensor"), tupleOf(str("echo chain")), (x) => x.emptyDict()]);
    const r = await scan(b.stop().toBytes());
    const f = high(r).find((x) => x.ruleId === "pickle/unknown-call" && x.message.includes("mw_probe.payload"));
    expect(f?.message, show(r)).toMatch(/_rebuild_from_type_v2\(.*\) calls mw_probe\.payload\('echo chain'\)/);
  });

  it("…and a dangerous f is critical with the chain", async () => {
    const b = callOf(pickle().proto(4), "torch._tensor", "_rebuild_from_type_v2", [g("os", "system"), g("torch", "Tensor"), tupleOf(str("echo x")), (x) => x.emptyDict()]);
    const r = await scan(b.stop().toBytes());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && severityOf(f) === "critical" && f.message.includes("calls os.system('echo x')")), show(r)).toBe(true);
  });

  it("…a call result as f is a dynamic call", async () => {
    const b = callOf(pickle().proto(4), "torch._tensor", "_rebuild_from_type_v2", [(x) => callOf(x, "collections", "OrderedDict", []), g("torch", "Tensor"), tupleOf(str("x")), (x) => x.emptyDict()]);
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/dynamic-call" && f.message.includes("_rebuild_from_type_v2")), show(r)).toBe(true);
  });

  it("…and the benign use (an allowed rebuild function) stays quiet", async () => {
    const b = callOf(pickle().proto(4), "torch._tensor", "_rebuild_from_type_v2", [g("torch._utils", "_rebuild_tensor_v2"), g("torch", "Tensor"), tupleOf(), (x) => x.emptyDict()]);
    const r = await scan(b.stop().toBytes());
    expect(high(r), show(r)).toEqual([]);
  });

  it("copyreg._reconstructor constructs its base: an unaudited base is a call", async () => {
    const b = callOf(pickle().proto(2), "copyreg", "_reconstructor", [g("collections", "OrderedDict"), g("mw_probe", "Base"), str("state")]);
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("constructs mw_probe.Base")), show(r)).toBe(true);
    const ok = await scan(callOf(pickle().proto(2), "copyreg", "_reconstructor", [g("collections", "OrderedDict"), g("builtins", "object"), none]).stop().toBytes());
    expect(high(ok), show(ok)).toEqual([]);
  });

  it("map(f, …) calls f; nested: map(partial(mw_probe.f), …) reaches f", async () => {
    const r = await scan(callOf(pickle().proto(4), "builtins", "map", [g("mw_probe", "f"), (x) => x.emptyList()]).stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("builtins.map")), show(r)).toBe(true);
    const nested = await scan(callOf(pickle().proto(4), "builtins", "map", [(x) => callOf(x, "functools", "partial", [g("mw_probe", "f")]), (x) => x.emptyList()]).stop().toBytes());
    expect(high(nested).some((f) => f.message.includes("mw_probe.f")), show(nested)).toBe(true);
  });

  it("numpy __generator_ctor calls its argument 1 with argument 0", async () => {
    const b = callOf(pickle().proto(2), "numpy.random._pickle", "__generator_ctor", [str("echo np"), g("mw_probe", "ctor")]);
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("calls mw_probe.ctor('echo np')")), show(r)).toBe(true);
  });

  it("a pandas Cython unpickle helper constructs its argument 0", async () => {
    const b = callOf(pickle().proto(2), "pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked", [g("mw_probe", "Cls"), (x) => x.binInt(1), none]);
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.message.includes("constructs mw_probe.Cls")), show(r)).toBe(true);
  });

  it("every case of the generated semantics data behaves as it says", async () => {
    const data = defaultRuleset.policies!["pickle-calls"] as CallSemanticsData;
    const sem = CallSemantics.fromData([data]);
    expect(sem.problems).toEqual([]);
    expect(sem.size).toBeGreaterThan(100);
    let ran = 0;
    for (const e of data.callables ?? []) {
      for (const c of (e.cases ?? []) as { name: string; input: { call: string; args: Record<string, string> }; fires: boolean }[]) {
        const dot = c.input.call.lastIndexOf(".");
        const positions = Object.keys(c.input.args).map(Number);
        const n = Math.max(...positions) + 1;
        const args = Array.from({ length: Math.max(n, 3) }, (_, i) => {
          const q = c.input.args[String(i)];
          if (!q) return none;
          const d = q.lastIndexOf(".");
          return g(q.slice(0, d), q.slice(d + 1));
        });
        const r = await scan(callOf(pickle().proto(4), c.input.call.slice(0, dot), c.input.call.slice(dot + 1), args).stop().toBytes());
        const probe = Object.values(c.input.args)[0]!;
        const judgedCalled = findingsOf(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes(probe));
        const flagged = atLeastMedium(r).some((f) => f.message.includes(probe) && !f.message.includes(c.input.call + "("));
        expect(c.fires ? judgedCalled : flagged, `${e.path}: ${c.name} ${show(r)}`).toBe(c.fires);
        ran++;
      }
    }
    expect(ran).toBeGreaterThan(200);
  });
});

describe("getattr and functools.partial judged as what they resolve to (issue 9 item 6)", () => {
  it("getattr(AllowedClass, 'member') looked up (an Enum member under 3.11+) is quiet", async () => {
    const r = await scan(callOf(pickle().proto(4), "builtins", "getattr", [g("collections", "OrderedDict"), str("fromkeys")]).stop().toBytes());
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("getattr(AllowedClass, 'method') called is a call of AllowedClass.method (not audited: unknown call)", async () => {
    const b = callOf(pickle().proto(4), "builtins", "getattr", [g("collections", "OrderedDict"), str("fromkeys")]).mark().emptyList().tuple().reduce();
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("collections.OrderedDict.fromkeys")), show(r)).toBe(true);
    expect(findingsOf(r).some((f) => f.message.includes("builtins.getattr is"))).toBe(false);
  });

  it("getattr on a dangerous module, a dunder name or a computed object stays dangerous", async () => {
    const sys = await scan(callOf(pickle().proto(4), "builtins", "getattr", [g("os", "path"), str("join")]).stop().toBytes());
    expect(high(sys).length, show(sys)).toBeGreaterThan(0);
    const dunder = await scan(callOf(pickle().proto(4), "builtins", "getattr", [g("collections", "OrderedDict"), str("__init__")]).stop().toBytes());
    expect(atLeastMedium(dunder).length, show(dunder)).toBeGreaterThan(0);
    const computed = callOf(pickle().proto(4), "builtins", "getattr", [(x) => callOf(x, "builtins", "__import__", [str("os")]), str("system")]).mark().shortBinUnicode("echo g").tuple().reduce();
    const r = await scan(computed.stop().toBytes());
    expect(findingsOf(r).some((f) => f.message.includes("builtins.getattr") && ["critical", "high"].includes(severityOf(f))), show(r)).toBe(true);
  });

  it("getattr passed around as data (map(getattr, …)) is not cleared", async () => {
    const r = await scan(callOf(pickle().proto(4), "builtins", "map", [g("builtins", "getattr"), (x) => x.emptyList(), (x) => x.emptyList()]).stop().toBytes());
    expect(high(r).some((f) => f.message.includes("builtins.getattr")), show(r)).toBe(true);
  });

  it("partial(builtins.int) and calling it is quiet; partial(f) called is f called", async () => {
    const ok = callOf(pickle().proto(4), "functools", "partial", [g("builtins", "int")]).mark().shortBinUnicode("7").tuple().reduce();
    const r = await scan(ok.stop().toBytes());
    expect(atLeastMedium(r), show(r)).toEqual([]);
    const bad = callOf(pickle().proto(4), "functools", "partial", [g("mw_probe", "f")]).mark().shortBinUnicode("x").tuple().reduce();
    const rb = await scan(bad.stop().toBytes());
    expect(high(rb).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("mw_probe.f")), show(rb)).toBe(true);
  });

  it("a partial whose function a BUILD state replaces is judged by the replacement", async () => {
    const b = callOf(pickle().proto(4), "functools", "partial", [g("builtins", "int")]);
    b.mark().stackGlobalOf("os", "system").emptyTuple().emptyDict().none().tuple().buildOp();
    b.mark().shortBinUnicode("echo swapped").tuple().reduce();
    const r = await scan(b.stop().toBytes());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && severityOf(f) === "critical"), show(r)).toBe(true);
  });
});

describe("every call site (issue 8 item 3)", () => {
  it("a __setstate__ planted by one BUILD is called by the next", async () => {
    const b = callOf(pickle().proto(4), "collections", "OrderedDict", []);
    b.emptyDict().shortBinUnicode("__setstate__").stackGlobalOf("mw_probe", "hook").setItem().buildOp();
    b.shortBinUnicode("echo planted").buildOp();
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("mw_probe.hook('echo planted')")), show(r)).toBe(true);
  });

  it("a planted __setstate__ hidden after 40 decoy keys is still seen", async () => {
    const b = callOf(pickle().proto(4), "collections", "OrderedDict", []);
    b.emptyDict().mark();
    for (let i = 0; i < 40; i++) b.shortBinUnicode(`k${i}`).none();
    b.shortBinUnicode("__setstate__").stackGlobalOf("os", "system").setItems().buildOp();
    b.shortBinUnicode("echo hidden").buildOp();
    const r = await scan(b.stop().toBytes());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("os.system('echo hidden')")), show(r)).toBe(true);
  });

  it("an ordinary BUILD state (no planted hook) stays quiet", async () => {
    const b = callOf(pickle().proto(4), "collections", "OrderedDict", []);
    b.emptyDict().shortBinUnicode("weights").none().setItem().buildOp();
    const r = await scan(b.stop().toBytes());
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("APPEND on an object calls its append: planted append = os.system is critical", async () => {
    const b = callOf(pickle().proto(4), "collections", "OrderedDict", []);
    b.emptyDict().shortBinUnicode("append").stackGlobalOf("os", "system").setItem().buildOp();
    b.shortBinUnicode("echo appended").append();
    const r = await scan(b.stop().toBytes());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("os.system('echo appended')")), show(r)).toBe(true);
  });

  it("APPENDS/SETITEMS on an unaudited class's instance are calls of it; on an allowed OrderedDict they are quiet", async () => {
    const b = callOf(pickle().proto(4), "mw_probe", "Bag", []).mark().binInt(1).appends();
    const r = await scan(b.stop().toBytes());
    expect(high(r).some((f) => f.ruleId === "pickle/unknown-call" && f.message.includes("mw_probe.Bag")), show(r)).toBe(true);
    const ok = callOf(pickle().proto(4), "collections", "OrderedDict", []).mark().shortBinUnicode("a").binInt(1).setItems();
    const rk = await scan(ok.stop().toBytes());
    expect(atLeastMedium(rk), show(rk)).toEqual([]);
  });
});
