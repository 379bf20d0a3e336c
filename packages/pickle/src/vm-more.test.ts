import { concatBytes, memoryFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { isKind } from "./values.js";
import { runPickle } from "./vm.js";

const run = (bytes: Uint8Array, opts = {}) => runPickle(memoryFile("x.pkl", bytes), opts);

describe("pickle VM opcode coverage", () => {
  it("NEWOBJ_EX renders class, args and kwargs", async () => {
    const b = pickle().proto(4).stackGlobalOf("m", "C").binInt(1).tupleN(1).emptyDict().shortBinUnicode("k").binInt(2).setItem().newObjEx().stop().toBytes();
    const r = await run(b);
    expect(r.calls[0]).toMatchObject({ kind: "newobj_ex", expression: "m.C.__new__(m.C, 1, **{'k': 2})" });
  });

  it("PERSID text, LONG text, LONG1/LONG4, FLOAT, UNICODE and sets decode", async () => {
    const b = pickle().mark().persId("storage0").long("123L").long1(-5n).raw([0x8b, 2, 0, 0, 0, 0xff, 0x7f]).float("2.5").unicode("caf\\u00e9")
      .emptySet().mark().binInt(1).addItems().mark().binInt(2).frozenSet().tuple().stop().toBytes();
    const r = await run(b);
    expect(r.errors).toEqual([]);
    expect(r.persistentIds).toBe(1);
  });

  it("counts opcodes straddling a FRAME end", async () => {
    const b = pickle().proto(4).frame(3).shortBinUnicode("abcdef").stop().toBytes();
    const r = await run(b);
    expect(r.frameViolations).toBe(1);
  });

  it("a FRAME longer than the data is an error before anything in it runs (as in C)", async () => {
    const b = pickle().proto(4).frame(1000).callStr("os", "system", "x").stop().toBytes();
    const r = await run(b, { resync: false });
    expect(r.errors[0]!.kind).toBe("truncated");
  });

  it("keeps a long BINUNICODE8 as a prefix and skips the rest", async () => {
    const r = await run(pickle().proto(4).binUnicode8("x".repeat(100_000)).stop().toBytes(), { chunkSize: 4096 });
    expect(r.errors).toEqual([]);
    expect(r.bytesSkipped).toBeGreaterThan(0);
  });

  it("resyncs past junk to a protocol-0 GLOBAL payload", async () => {
    const junk = new Uint8Array(50_000).fill(0xff);
    const r = await run(concatBytes(pickle().proto(4).none().stop().toBytes(), junk, new TextEncoder().encode("cos\nsystem\n(S'x'\ntR.")));
    expect(r.globals.map((g) => `${g.module}.${g.name}`)).toEqual(["os.system"]);
    expect(r.streams.at(-1)!.resynced).toBe(true);
  });

  it("reports the resync budget as a limit when junk is longer", async () => {
    const r = await run(concatBytes(pickle().proto(4).none().stop().toBytes(), new Uint8Array(5000).fill(0xff)), { limits: { maxResyncBytes: 1000 } });
    expect(r.limitsHit.map((l) => l.limit)).toEqual(["maxResyncBytes"]);
    expect(r.unanalysedBytes).toBeGreaterThan(3000);
  });

  it("a skip requested inside a frame happens at the frame's end, where the loader's file position is", async () => {
    // FRAME [marker, BUILD, payload opcodes], then 8 raw bytes, then STOP: like joblib's file reads.
    const inner = pickle().stackGlobalOf("w", "Wrapper").emptyTuple().newObj().emptyDict().buildOp().pop().callStr("os", "system", "x").pop().toBytes();
    const b = concatBytes(pickle().proto(4).frame(inner.length).toBytes(), inner, new Uint8Array(8).fill(0x95), pickle().none().stop().toBytes());
    const r = await run(b, {
      afterBuild: (target: unknown) => (isKind(target as never, "call") ? { skip: 8 } : undefined),
    });
    expect(r.errors).toEqual([]);
    expect(r.calls.map((c) => c.expression)).toContain("os.system('x')");
  });

  it("stack and memo limits are reported, not crashed on", async () => {
    const b = pickle().proto(4);
    for (let i = 0; i < 100; i++) b.none();
    expect((await run(b.stop().toBytes(), { limits: { maxStack: 10 } })).limitsHit[0]!.limit).toBe("maxStack");
    const m = pickle().proto(4).none();
    for (let i = 0; i < 100; i++) m.put(i);
    expect((await run(m.stop().toBytes(), { limits: { maxMemo: 10 } })).limitsHit[0]!.limit).toBe("maxMemo");
  });

  it("POP removes a MARK on top of the stack (load_pop)", async () => {
    const r = await run(pickle().proto(4).none().mark().pop().stop().toBytes());
    expect(r.errors).toEqual([]);
    expect(r.streams[0]!.complete).toBe(true);
  });

  it("unsupported protocol and invalid opcodes are errors with offsets", async () => {
    expect((await run(new Uint8Array([0x80, 0x06, 0x4e, 0x2e]), { resync: false })).errors[0]).toMatchObject({ kind: "unsupported-protocol", offset: 0 });
    expect((await run(new Uint8Array([0x80, 0x04, 0xff]), { resync: false })).errors[0]).toMatchObject({ kind: "invalid-opcode", offset: 2 });
  });
});

describe("calls on objects that are not built-in containers (CPython oracle regressions)", () => {
  it("APPEND on an object calls its extend (do_append tries extend first), then append", async () => {
    const r = await run(pickle().global("m2", "C").shortBinUnicode("x").append().stop().toBytes());
    expect(r.calls.map((c) => [c.kind, c.method, c.expression])).toEqual([["method", "extend", "m2.C.extend('x')"]]);
  });
  it("APPEND on an instance with a planted append records the class's extend and the planted append (either may run)", async () => {
    // Found by the oracle's call generator (seed 1, --calls): CPython calls the class's extend; had the
    // class none, the planted append would run.
    const b = pickle().proto(2).global("m2", "C").mark().shortBinUnicode("echo").tuple().reduce();
    b.emptyDict().shortBinUnicode("append").stackGlobalOf("m1", "f").setItem().buildOp().binInt(181).append();
    const r = await run(b.stop().build_());
    expect(r.calls.filter((c) => c.kind === "method" || c.kind === "planted").map((c) => [c.kind, c.method])).toEqual([
      ["method", "extend"],
      ["planted", "append"],
    ]);
  });
  it("BUILD then BUILD calls a __setstate__ the first one planted", async () => {
    const b = pickle().proto(2).global("m", "C").emptyTuple().newObj().emptyDict().shortBinUnicode("__setstate__").global("m", "hook").setItem().buildOp().shortBinUnicode("s").buildOp();
    const r = await run(b.stop().toBytes());
    expect(r.calls.map((c) => c.kind)).toEqual(["newobj", "build", "planted"]);
    expect(r.calls[2]!.expression).toBe("m.hook('s')");
  });
});

describe("resync after a fault finds payloads in every spelling", () => {
  const enc = (x: string) => new TextEncoder().encode(x);
  const u32 = (n: number) => [n & 0xff, 0, 0, 0];
  it("a BINUNICODE module name after junk starts a stream (no PROTO, no GLOBAL line)", async () => {
    const payload = pickle().raw([0x58, ...u32(2)]).raw("os").raw([0x58, ...u32(6)]).raw("system").stackGlobal().shortBinUnicode("echo r").tupleN(1).reduce().stop().toBytes();
    const r = await run(concatBytes(enc("\xff\xfe junk"), payload));
    expect(r.calls.some((c) => c.expression === "os.system('echo r')")).toBe(true);
  });
  it("a SHORT_BINSTRING name after junk starts a stream", async () => {
    const payload = pickle().raw([0x55, 2]).raw("os").raw([0x55, 6]).raw("system").stackGlobal().stop().toBytes();
    const r = await run(concatBytes(new Uint8Array([0xff, 0xfe, 0xfd]), payload));
    expect(r.globals.some((g) => g.module === "os" && g.name === "system")).toBe(true);
  });
});
