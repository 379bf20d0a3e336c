import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, callOf, findingsOf, g, high, scan, severityOf, show, str, tupleOf, type Builder } from "./test-helpers.js";

// Shapes real libraries write that reach a name through getattr, an enum call or a stored bound method
// (issue 9 items 2 and 3): each benign shape quiet, each gadget through the same names reported.
const run = async (steps: (b: Builder) => unknown, protocol = 4) => {
  const b = pickle().proto(protocol);
  steps(b);
  return scan(b.stop().toBytes());
};
// Protocol 2 writes Python 2's `__builtin__` (mapped back by the unpickler), later ones `builtins`.
const getattrOf = (b: Builder, owner: (b: Builder) => unknown, name: string, module = "builtins"): Builder => {
  b.global(module, "getattr");
  owner(b);
  return b.binUnicode(name).tupleN(2).reduce();
};
const unknownCalls = (r: Awaited<ReturnType<typeof scan>>) => findingsOf(r).filter((f) => f.ruleId === "pickle/unknown-call" && ["high", "critical"].includes(severityOf(f)));

describe("stdlib enums (issue 9.2)", () => {
  it("HTTPStatus.OK, re.IGNORECASE and signal.SIGINT as Python 3.11 pickles them are quiet", async () => {
    // pickle.dumps([HTTPStatus.OK, re.IGNORECASE, signal.SIGINT], 2) on Debian's Python 3.11.
    const r = await run((b) => {
      b.emptyList().mark();
      getattrOf(b, (x) => x.global("http", "HTTPStatus"), "OK", "__builtin__");
      getattrOf(b, (x) => x.global("re", "RegexFlag"), "IGNORECASE", "__builtin__");
      b.global("signal", "SIGINT").appends();
    }, 2);
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("the class called with the member's value (Python <= 3.10) is quiet", async () => {
    const r = await run((b) => {
      b.emptyList().mark();
      callOf(b, "http", "HTTPStatus", [(x) => x.binInt(200)]);
      callOf(b, "re", "RegexFlag", [(x) => x.binInt(2)]);
      callOf(b, "signal", "Signals", [(x) => x.binInt(2)]);
      callOf(b, "signal", "Handlers", [(x) => x.binInt(1)]);
      b.appends();
    });
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("an enum class called with anything but one plain value is an unknown call", async () => {
    for (const args of [[(x: Builder) => x.binInt(2), str("extra")], [tupleOf(str("a"))], [(x: Builder) => callOf(x, "collections", "OrderedDict", [])]]) {
      const r = await run((b) => callOf(b, "signal", "Signals", args));
      expect(unknownCalls(r).some((f) => f.message.includes("signal.Signals is allowed only as signal.Signals(a plain value)")), show(r)).toBe(true);
    }
  });

  it("a signal constant called, and the rest of signal, stay reported", async () => {
    const called = await run((b) => callOf(b, "signal", "SIGINT", [str("x")]));
    expect(unknownCalls(called).some((f) => f.message.includes("signal.SIGINT is allowed as a stored reference only")), show(called)).toBe(true);
    const handler = await run((b) => callOf(b, "signal", "signal", [(x) => x.binInt(2), g("signal", "SIG_IGN")]));
    expect(high(handler).some((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("signal.signal")), show(handler)).toBe(true);
  });

  it("getattr on an allowed enum: a denied or private attribute, or a call of a member, is reported", async () => {
    const system = await run((b) => getattrOf(b, (x) => x.global("http", "HTTPStatus"), "system"));
    expect(high(system).some((f) => f.ruleId === "pickle/dangerous-global"), show(system)).toBe(true);
    const priv = await run((b) => getattrOf(b, (x) => x.global("http", "HTTPStatus"), "_missing_"));
    expect(high(priv).some((f) => f.message.includes("http.HTTPStatus._missing_")), show(priv)).toBe(true);
    const call = await run((b) => getattrOf(b, (x) => x.global("re", "RegexFlag"), "from_bytes").emptyTuple().reduce());
    expect(atLeastMedium(call).some((f) => f.message.includes("re.RegexFlag.from_bytes")), show(call)).toBe(true);
  });
});

describe("constructors reached through getattr(cls, '__new__') (issue 9.3: scipy LinregressResult)", () => {
  const LR = ["scipy.stats._stats_mstats_common", "LinregressResult"] as const;
  // Protocol 2/3 of a class with keyword __getnewargs_ex__: partial(getattr(cls, '__new__')), BUILD (func, args, kwds, None), then ().
  it("LinregressResult as scipy pickles it below protocol 4 is quiet", async () => {
    const r = await run((b) => {
      // memo 0: the getattr result, as pickle writes it (BINPUT after the REDUCE).
      b.global("functools", "partial");
      getattrOf(b, (x) => x.global(...LR), "__new__").put(0).tupleN(1).reduce();
      b.mark().get(0).mark().global(...LR).binFloat(1.5).binFloat(0.5).tuple().emptyDict().none().tuple().buildOp().emptyTuple().reduce();
    }, 3);
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("__new__ of a class that is not allowed, or another method of an allowed one, called that way is reported", async () => {
    const probe = await run((b) => {
      b.global("functools", "partial");
      getattrOf(b, (x) => x.global("mw_probe", "Payload"), "__new__").tupleN(1).reduce().emptyTuple().reduce();
    }, 3);
    expect(high(probe).some((f) => f.message.includes("mw_probe.Payload")), show(probe)).toBe(true);
    const other = await run((b) => getattrOf(b, (x) => x.global(...LR), "_make").mark().shortBinUnicode("x").tuple().reduce(), 3);
    expect(unknownCalls(other).some((f) => f.message.includes("LinregressResult._make")), show(other)).toBe(true);
  });
});

describe("bound methods stored as data (issue 9.3: OneCycleLR.anneal_func)", () => {
  const SCHED = ["torch.optim.lr_scheduler", "OneCycleLR"] as const;
  // getattr(<scheduler>, '_annealing_cos'), the scheduler built by NEWOBJ + BUILD of its __dict__.
  const scheduler = (state: (b: Builder) => unknown) => (b: Builder) => {
    b.global(...SCHED).emptyTuple().newObj();
    state(b);
    b.buildOp();
  };
  const plainState = (b: Builder) => b.emptyDict().shortBinUnicode("total_steps").binInt(10).setItem();

  it("the stored reference, as torch.save writes a OneCycleLR, is quiet", async () => {
    const r = await run((b) => {
      b.emptyDict().shortBinUnicode("anneal_func");
      getattrOf(b, scheduler(plainState), "_annealing_cos");
      b.setItem();
    }, 2);
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });

  it("called at load time, it is an unknown call (a reference only)", async () => {
    const r = await run((b) => getattrOf(b, scheduler(plainState), "_annealing_cos").mark().binFloat(1).binFloat(2).binFloat(0.5).tuple().reduce(), 2);
    expect(unknownCalls(r).some((f) => f.message.includes("OneCycleLR._annealing_cos is allowed as a stored reference only")), show(r)).toBe(true);
  });

  it("an attribute the state plants on the instance is judged as what was planted", async () => {
    const planted = (b: Builder) => b.emptyDict().shortBinUnicode("_annealing_cos").global("os", "system").setItem();
    const r = await run((b) => getattrOf(b, scheduler(planted), "_annealing_cos").mark().shortBinUnicode("echo planted").tuple().reduce(), 2);
    expect(high(r).some((f) => f.ruleId === "pickle/dangerous-global" && f.message.includes("os.system")), show(r)).toBe(true);
  });

  it("another attribute of the instance, or of an instance of a class not allowed, is not allowed", async () => {
    const other = await run((b) => getattrOf(b, scheduler(plainState), "step"), 2);
    expect(atLeastMedium(other).some((f) => f.message.includes("OneCycleLR.step")), show(other)).toBe(true);
    const probe = await run((b) => getattrOf(b, (x) => x.global("mw_probe", "Thing").emptyTuple().newObj(), "_annealing_cos"), 2);
    expect(atLeastMedium(probe).some((f) => f.message.includes("mw_probe.Thing")), show(probe)).toBe(true);
  });
});

describe("torch sparse CSR tensors (issue 9.3)", () => {
  const tensor = (b: Builder) =>
    b.global("torch._utils", "_rebuild_tensor_v2").mark().emptyTuple().binInt(0).mark().binInt(4).tuple().mark().binInt(1).tuple().bool(false).emptyDict().tuple().reduce();
  it("_rebuild_sparse_csr_tensor(layout, (crow, col, values, size)) as torch 1.13 writes it is quiet", async () => {
    const r = await run((b) => {
      b.global("torch._utils", "_rebuild_sparse_csr_tensor").mark();
      callOf(b, "torch.serialization", "_get_layout", [str("torch.sparse_csr")]);
      b.mark();
      tensor(b);
      tensor(b);
      tensor(b);
      b.mark().binInt(3).binInt(3).tuple().tuple().tuple().reduce();
    }, 2);
    expect(atLeastMedium(r), show(r)).toEqual([]);
  });
  it("a payload among its arguments is still reported", async () => {
    const r = await run((b) => callOf(b, "torch._utils", "_rebuild_sparse_csr_tensor", [g("torch", "sparse_csr"), tupleOf((x) => callOf(x, "os", "system", [str("echo csr")]))]));
    expect(high(r).some((f) => f.message.includes("os.system('echo csr')")), show(r)).toBe(true);
  });
});
