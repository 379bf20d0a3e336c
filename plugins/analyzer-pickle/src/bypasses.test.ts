import { concatBytes, joblibArray, npyFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { alarms, findingsOf, scan, severityOf } from "./test-helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);

async function expectAlarm(bytes: Uint8Array, ruleId: string, text?: string | RegExp, path = "sample.bin") {
  const r = await scan(bytes, path);
  const f = findingsOf(r).filter((x) => x.ruleId === ruleId && ["critical", "high"].includes(severityOf(x)));
  expect(f, JSON.stringify(findingsOf(r).map((x) => [x.ruleId, severityOf(x), x.message]))).not.toEqual([]);
  if (text) expect(f.some((x) => (typeof text === "string" ? x.message.includes(text) : text.test(x.message)))).toBe(true);
  return r;
}

describe("§3.2 pickle parser differentials", () => {
  it("P1 STACK_GLOBAL at opcode #0 without PROTO", async () => {
    await expectAlarm(pickle().shortBinUnicode("os").shortBinUnicode("system").stackGlobal().shortBinUnicode("echo p1").tupleN(1).reduce().stop().toBytes(), "pickle/dangerous-global", "os.system('echo p1')");
  });
  it("P2 STACK_GLOBAL operands from STRING/BINSTRING", async () => {
    await expectAlarm(pickle().string("'os'").binString("system").stackGlobal().stop().toBytes(), "pickle/dangerous-global", "os.system");
  });
  it("P3 memo hole after the payload: payload critical and malformed-stream reported", async () => {
    const r = await expectAlarm(pickle().proto(2).global("os", "system").shortBinUnicode("echo p3").tupleN(1).reduce().get(9).stop().toBytes(), "pickle/dangerous-global");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream")).toBe(true);
  });
  it("P4 int as STACK_GLOBAL module after a payload", async () => {
    const b = pickle().proto(4).callStr("os", "system", "echo p4").pop().binInt(3).shortBinUnicode("x").stackGlobal().stop().toBytes();
    const r = await expectAlarm(b, "pickle/dangerous-global");
    expect(findingsOf(r).find((f) => f.ruleId === "pickle/malformed-stream")?.message).toContain("STACK_GLOBAL requires str");
  });
  it("P5 memo poisoning via POP", async () => {
    const b = pickle().proto(4).shortBinUnicode("posix").memoize().shortBinUnicode("junk").pop().memoize().shortBinUnicode("system").memoize().get(0).get(2).stackGlobal().stop().toBytes();
    await expectAlarm(b, "pickle/dangerous-global", "posix.system");
  });
  it("P6 memo-build desync: PUT indices out of order", async () => {
    const b = pickle().proto(4).shortBinUnicode("0").put(1).pop().shortBinUnicode("posix").put(0).pop().shortBinUnicode("system").put(1).pop().get(0).get(1).stackGlobal().stop().toBytes();
    await expectAlarm(b, "pickle/dangerous-global", "posix.system");
  });
  it("P7 INT 0x10 (base 0) before the payload", async () => {
    await expectAlarm(pickle().int("0x10").pop().global("posix", "system").string("'id'").tupleN(1).reduce().stop().toBytes(), "pickle/dangerous-global", "posix.system('id')");
  });
  it("P8 BINBYTES crossing a FRAME boundary hides nothing", async () => {
    const hidden = pickle().global("os", "system").string("'echo p8'").tupleN(1).reduce().pop().toBytes();
    const b = pickle().proto(4).frame(6).raw([0x42, 0, 0, 0, 0]).raw(hidden).none().stop().toBytes();
    await expectAlarm(b, "pickle/dangerous-global", "os.system('echo p8')");
  });
  it("P9 GET of os/system with decoy torch strings pushed last", async () => {
    const b = pickle().proto(4).shortBinUnicode("os").put(0).shortBinUnicode("system").put(1).pop().pop()
      .shortBinUnicode("torch").shortBinUnicode("LongStorage").pop().pop().get(0).get(1).stackGlobal().stop().toBytes();
    await expectAlarm(b, "pickle/dangerous-global", "os.system");
  });
  it("P10 benign pickle then malicious pickle, and junk between streams", async () => {
    const benign = pickle().proto(4).emptyDict().stop().toBytes();
    const evil = pickle().proto(4).callStr("builtins", "eval", "1").stop().toBytes();
    await expectAlarm(concatBytes(benign, evil), "pickle/dangerous-global", "builtins.eval('1')");
    await expectAlarm(concatBytes(benign, enc("\n\x00garbage"), evil), "pickle/dangerous-global", "builtins.eval('1')");
  });
  it("P11 broken pickle after the payload (nullifAI)", async () => {
    const r = await expectAlarm(pickle().proto(2).global("builtins", "exec").shortBinUnicode("print(1)").tupleN(1).reduce().raw([0x58, 0xff, 0xff, 0xff]).toBytes(), "pickle/dangerous-global", "builtins.exec");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream")).toBe(true);
  });
  it("P12 OBJ call popped from the stack", async () => {
    await expectAlarm(pickle().proto(4).mark().stackGlobalOf("smtplib", "SMTP").shortBinUnicode("127.0.0.1").obj().pop().none().stop().toBytes(), "pickle/dangerous-global", "smtplib.SMTP('127.0.0.1')");
  });
  it("P13 dotted names: pathlib + os.system, builtins + eval.__call__", async () => {
    await expectAlarm(pickle().proto(4).callStr("pathlib", "os.system", "id").stop().toBytes(), "pickle/dangerous-global", "pathlib.os.system('id')");
    await expectAlarm(pickle().global("builtins", "eval.__call__").string("'1'").tupleN(1).reduce().stop().toBytes(), "pickle/dangerous-global");
  });
  it("P14 submodule of a denied module", async () => {
    await expectAlarm(pickle().proto(4).stackGlobalOf("asyncio.unix_events", "_UnixSubprocessTransport._start").stop().toBytes(), "pickle/dangerous-global");
  });
  it("P15 benign-module re-export of __builtins__", async () => {
    await expectAlarm(pickle().proto(4).stackGlobalOf("numpy", "__builtins__").stop().toBytes(), "pickle/dangerous-global", "numpy.__builtins__");
  });
  it("P16 runtime string building: module name is a call result", async () => {
    const b = pickle().proto(4).stackGlobalOf("builtins", "str").shortBinUnicode("os").tupleN(1).reduce().shortBinUnicode("system").stackGlobal().stop().toBytes();
    await expectAlarm(b, "pickle/dynamic-global");
  });
  it("P17 EXT1 fetches a callable without any GLOBAL", async () => {
    await expectAlarm(pickle().proto(2).ext(1).shortBinUnicode("id").tupleN(1).reduce().stop().toBytes(), "pickle/extension-code");
  });
  it("P18 scanner self-deactivation", async () => {
    await expectAlarm(pickle().proto(4).stackGlobalOf("picklescan.scanner", "scan_bytes").stop().toBytes(), "pickle/dangerous-global");
  });
  it("P19 billion laughs via GET amplification", async () => {
    const b = pickle().proto(4).emptyList().put(0);
    for (let level = 1; level < 40; level++) b.mark().get(level - 1).get(level - 1).list().put(level);
    await expectAlarm(b.stop().toBytes(), "pickle/expansion-attack");
  });
  it("P20 non-pickle bytes that look like a GLOBAL do not crash or alarm", async () => {
    const r = await scan(new Uint8Array([0x63, 0x6d, 0x6f, 0x64, 0x0a, 0xf8, 0x0a]), "not_a_pickle.bin");
    expect(alarms(r, "medium")).toBe(false);
  });
  it("P21/P22 a partially broken malicious file still alarms at critical despite torch decoys", async () => {
    const b = pickle().proto(4);
    for (let i = 0; i < 30; i++) b.stackGlobalOf("torch._utils", "_rebuild_tensor_v2").pop();
    b.callStr("os", "system", "echo p22").raw("\xff");
    const r = await scan(b.toBytes());
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/dangerous-global" && severityOf(f) === "critical")).toBe(true);
  });
  it("P23 list-vs-string wildcard: every ctypes name is denied", async () => {
    await expectAlarm(pickle().proto(4).callStr("ctypes", "CDLL", "libc.so.6").stop().toBytes(), "pickle/dangerous-global", "ctypes.CDLL");
  });
  it("INST with the Python 2 module name (malicious10)", async () => {
    await expectAlarm(pickle().mark().string("'print(1)'").inst("__builtin__", "exec").stop().toBytes(), "pickle/dangerous-global", "builtins.exec");
  });
  it("BUILD on an imported module overrides its attributes", async () => {
    const b = pickle().proto(4).stackGlobalOf("torch._utils", "x").none().emptyDict().shortBinUnicode("_rebuild_tensor").stackGlobalOf("builtins", "print").setItem().tupleN(2).buildOp().stop().toBytes();
    await expectAlarm(b, "pickle/module-attribute-override");
  });
  it("nested pickle handed to pickle.loads is scanned (malicious13)", async () => {
    const inner = pickle().proto(4).callStr("os", "system", "echo nested").stop().toBytes();
    const b = pickle().proto(4).stackGlobalOf("_pickle", "loads").bytes(inner).tupleN(1).reduce().stop().toBytes();
    const r = await expectAlarm(b, "pickle/nested-pickle");
    expect(findingsOf(r).some((f) => f.message.includes("os.system('echo nested')"))).toBe(true);
  });
  it("nested pickle built with _codecs.encode from a latin-1 str (protocol 0)", async () => {
    const inner = "cos\nsystem\n(S'echo x'\ntR.";
    const b = pickle().global("pickle", "loads").global("_codecs", "encode").string(`'${inner.replace(/\n/g, "\\n")}'`).string("'latin1'").tupleN(2).reduce().tupleN(1).reduce().stop().toBytes();
    const r = await scan(b);
    expect(r.recordings.length).toBeGreaterThan(1);
    expect(findingsOf(r).some((f) => f.message.includes("os.system('echo x')"))).toBe(true);
  });
  it("base64 pickle hidden in a data field is scanned", async () => {
    const inner = pickle().proto(4).callStr("builtins", "print", "pwned").stop().toBytes();
    const b = pickle().proto(4).emptyDict().shortBinUnicode("blob").binUnicode(Buffer.from(inner).toString("base64")).setItem().stop().toBytes();
    await expectAlarm(b, "pickle/unknown-call", "builtins.print('pwned')");
  });
});

describe("§3.1 routing, joblib and NumPy", () => {
  it("C5 protocol-0 pickle named model.bin is found by content", async () => {
    await expectAlarm(enc("cposix\nsystem\n(S'id'\ntR."), "pickle/dangerous-global", "posix.system('id')", "model.bin");
  });
  it("C1 protocol-0 pickle named config.json is found by content", async () => {
    await expectAlarm(enc("cos\nsystem\n(S'echo c1'\ntR."), "pickle/dangerous-global", undefined, "config.json");
  });
  it("C13 joblib: payload after a raw NumpyArrayWrapper array is reached", async () => {
    const data = new Uint8Array(800).fill(0x80); // bytes that would derail a naive opcode reader
    const b = pickle().proto(4).emptyDict().shortBinUnicode("a_weights");
    joblibArray(b, { dtype: "f8", shape: [100], data, alignment: true });
    b.setItem().shortBinUnicode("z_payload").callStr("os", "system", "echo c13").setItem().stop();
    const r = await expectAlarm(b.toBytes(), "pickle/dangerous-global", "os.system('echo c13')", "model.joblib");
    expect(findingsOf(r).filter((f) => f.ruleId === "pickle/malformed-stream")).toEqual([]);
  });
  it("C13 joblib object array: the nested pickle after the wrapper is analysed", async () => {
    const nested = pickle().proto(4).callStr("subprocess", "run", "echo obj").stop().toBytes();
    const b = pickle().proto(4);
    joblibArray(b, { dtype: "O8", shape: [1], data: nested });
    b.stop();
    await expectAlarm(b.toBytes(), "pickle/dangerous-global", "subprocess.run('echo obj')", "m.joblib");
  });
  it("C14 zlib- and gzip-compressed joblib are decompressed and analysed", async () => {
    const { deflateSync, gzipSync } = await import("node:zlib");
    const raw = pickle().proto(4).callStr("os", "system", "echo c14").stop().toBytes();
    await expectAlarm(new Uint8Array(deflateSync(raw)), "pickle/dangerous-global", "echo c14", "model.joblib");
    await expectAlarm(new Uint8Array(gzipSync(raw)), "pickle/dangerous-global", "echo c14", "model.joblib");
  });
  it("C5/C6 protocol-0 payload with no STOP (broken right after the call), named .bin, is claimed and reported", async () => {
    const r = await expectAlarm(enc("cos\nsystem\n(S'echo nostop'\ntR"), "pickle/dangerous-global", "echo nostop", "model.bin");
    expect(r.claimed).toBe("pickle");
  });
  it("text whose lines merely parse as opcodes, with no import and call, is not claimed", async () => {
    for (const text of ["I,love,models\n1,2,3\n", "cos\nsystem\n", "(defun foo ())\n", "S3 bucket list\n", "I0\n", "little", "big", "tests", "lists"]) {
      expect((await scan(enc(text), "notes.txt")).claimed, JSON.stringify(text)).toBeUndefined();
    }
  });
  it("a gzip that is not named as a dump (a .tar.gz) is left to the archive analyzer", async () => {
    const { gzipSync } = await import("node:zlib");
    const tarLike = new Uint8Array(gzipSync(new Uint8Array(1024).fill(0x61)));
    expect((await scan(tarLike, "release.tar.gz")).claimed).toBeUndefined();
    expect((await scan(tarLike, "data.gz")).claimed).toBeUndefined();
    const dump = new Uint8Array(gzipSync(pickle().proto(4).callStr("os", "system", "echo pklgz").stop().toBytes()));
    await expectAlarm(dump, "pickle/dangerous-global", "echo pklgz", "model.pkl.gz");
  });
  it("C14 bz2- and xz-compressed joblib are decompressed and analysed", async () => {
    // Node has no bzip2/xz compressor: the fixtures come from Debian's bzip2 and xz-utils (.ci/run installs them).
    const { execFileSync } = await import("node:child_process");
    const raw = pickle().proto(4).callStr("os", "system", "echo c14-bz-xz").stop().toBytes();
    for (const tool of ["bzip2", "xz"]) {
      const compressed = new Uint8Array(execFileSync(tool, ["-c", "-z"], { input: raw }));
      await expectAlarm(compressed, "pickle/dangerous-global", "echo c14-bz-xz", "model.joblib");
    }
  });
  it("C14 lz4-compressed joblib is decompressed and analysed", async () => {
    const lz4 = (await import("lz4js")).default as unknown as { compress(b: Uint8Array): Uint8Array };
    const raw = pickle().proto(4).callStr("os", "system", "echo lz4").stop().toBytes();
    await expectAlarm(new Uint8Array(lz4.compress(raw)), "pickle/dangerous-global", "echo lz4", "model.joblib");
  });
  it("C14 raw-LZMA joblib (compress=('lzma', n)) is decoded and analysed; a corrupt one is reported, never passed", async () => {
    // xz --format=lzma writes the LZMA-alone container that Python's lzma.FORMAT_ALONE (joblib) writes.
    const raw = pickle().proto(4).callStr("os", "system", "echo lzma").stop().toBytes();
    const { execFileSync } = await import("node:child_process");
    await expectAlarm(new Uint8Array(execFileSync("xz", ["-c", "-z", "--format=lzma"], { input: raw })), "pickle/dangerous-global", "echo lzma", "model.joblib");
    const r = await scan(new Uint8Array([0x5d, 0x00, 0x00, 0x80, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]), "model.joblib");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream" && severityOf(f) === "high"), JSON.stringify(findingsOf(r))).toBe(true);
    expect(r.recordings[0]!.incomplete.length).toBeGreaterThan(0);
  });
  it("C14 a decompression bomb is a limit finding", async () => {
    const { deflateSync } = await import("node:zlib");
    const bomb = new Uint8Array(deflateSync(new Uint8Array(64 * 1024 * 1024)));
    const r = await scan(bomb, "bomb.joblib");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/limit-exceeded")).toBe(true);
  });
  it("C15 NumPy object array: the pickle after the header is analysed", async () => {
    const p = pickle().proto(3).global("ssl", "get_server_certificate").string("'x.dns.invalid'").binInt(443).tupleN(2).tupleN(1).reduce().stop().toBytes();
    await expectAlarm(npyFile({ descr: "|O", shape: [1], data: p }), "pickle/dangerous-global", "ssl.get_server_certificate", "x.npy");
  });
  it("C15 NumPy header length that lies: the payload is still found", async () => {
    const p = enc("cos\nsystem\n(S'echo npz'\ntR.");
    const f = npyFile({ descr: "<O8", shape: [1], data: p, headerLengthOverride: 57 });
    await expectAlarm(f, "pickle/dangerous-global", "os.system('echo npz')", "arr_0.npy");
  });
  it("C16 functools.partial(torch.load, …) chained loader: calling the partial is judged as calling torch.load", async () => {
    const b = pickle().proto(4).stackGlobalOf("functools", "partial").stackGlobalOf("torch", "load").shortBinUnicode("config.json").tupleN(2).reduce().emptyTuple().reduce().stop().toBytes();
    await expectAlarm(b, "pickle/dangerous-global", "calls functools.partial(torch.load, 'config.json')()");
  });
});
