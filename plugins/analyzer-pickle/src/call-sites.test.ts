import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { atLeastMedium, callOf, findingsOf, high, scan, severityOf, show } from "./test-helpers.js";

// Issue 8 item 3, the call sites not covered elsewhere: cls.__new__ through NEWOBJ/NEWOBJ_EX,
// ADDITEMS on objects that are not sets (APPEND/APPENDS/SETITEMS: call-semantics.test.ts), copyreg extension codes registered
// by the stream itself. Each one with the benign shape the libraries write (quiet) and a gadget.
const dangerous = (r: Awaited<ReturnType<typeof scan>>, text: string) =>
  findingsOf(r).some((f) => ["critical", "high"].includes(severityOf(f)) && f.message.includes(text));

describe("every call site: NEWOBJ, NEWOBJ_EX, ADDITEMS, EXT (issue 8 item 3)", () => {
  it("NEWOBJ of a dangerous class (cls.__new__ runs, then BUILD) is reported; of an allowed class it is quiet", async () => {
    const bad = pickle().proto(2).global("subprocess", "Popen").shortBinUnicode("echo newobj").tupleN(1).newObj().stop().build_();
    const r = await scan(bad);
    expect(dangerous(r, "subprocess.Popen"), show(r)).toBe(true);
    const ok = pickle().proto(2).global("collections", "OrderedDict").emptyTuple().newObj().stop().build_();
    const rk = await scan(ok);
    expect(atLeastMedium(rk), show(rk)).toEqual([]);
  });

  it("NEWOBJ_EX of a dangerous class with keyword arguments is reported; of an allowed class it is quiet", async () => {
    const bad = pickle().proto(4).stackGlobalOf("subprocess", "Popen").shortBinUnicode("echo newobj_ex").tupleN(1)
      .emptyDict().shortBinUnicode("shell").bool(true).setItem().newObjEx().stop().build_();
    const r = await scan(bad);
    expect(dangerous(r, "subprocess.Popen"), show(r)).toBe(true);
    const ok = pickle().proto(4).stackGlobalOf("collections", "OrderedDict").emptyTuple().emptyDict().newObjEx().stop().build_();
    const rk = await scan(ok);
    expect(atLeastMedium(rk), show(rk)).toEqual([]);
  });

  it("ADDITEMS on an object that is not a set calls its add: a planted add = os.system is critical; on a set it is quiet", async () => {
    const b = callOf(pickle().proto(4), "collections", "OrderedDict", []);
    b.emptyDict().shortBinUnicode("add").stackGlobalOf("os", "system").setItem().buildOp();
    b.mark().shortBinUnicode("echo additems").addItems();
    const r = await scan(b.stop().build_());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && severityOf(f) === "critical" && f.message.includes("echo additems")), show(r)).toBe(true);
    const ok = pickle().proto(4).emptySet().mark().binInt(1).binInt(2).addItems().stop().build_();
    const rk = await scan(ok);
    expect(atLeastMedium(rk), show(rk)).toEqual([]);
  });

  it("an extension code registered by the stream itself (copyreg.add_extension, then EXT1) is reported at both steps", async () => {
    const b = callOf(pickle().proto(2), "copyreg", "add_extension", [(x) => x.shortBinUnicode("os"), (x) => x.shortBinUnicode("system"), (x) => x.binInt(240)]).pop();
    b.ext(240).shortBinUnicode("echo ext").tupleN(1).reduce();
    const r = await scan(b.stop().build_());
    expect(high(r).some((f) => f.message.includes("copyreg.add_extension")), show(r)).toBe(true);
    expect(high(r).some((f) => f.ruleId === "pickle/extension-code"), show(r)).toBe(true);
  });
});
