#!/usr/bin/env node
// Differential harness: the pickle VM against CPython's C unpickler (oracle.py, whose find_class
// returns inert recording stubs). Generates seeded opcode streams (and mutations of them), runs both,
// and compares the globals resolved and the calls made, in order, up to STOP or the first error.
// The VM must see at least what CPython does (a VM that misses a global or a call is unsound); the
// exact-agreement rate is reported too. Needs `pnpm build` (the VM's dist) and /usr/bin/python3.
//   node scripts/pickle-oracle/harness.mjs [--streams N] [--seed S] [--batch 5000] [--show 5] [--calls]
// --calls uses generateCalls (stack-aware programs that call through every call site) instead of
// the mixed opcode generator.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPickle } from "../../packages/pickle/dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));

/** The python3 that has the standard library's C pickle (Debian's, else the first on PATH). */
export function oraclePython() {
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

function rng(seed) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const enc = (s) => Buffer.from(s, "latin1");
const IDS = ["m1", "m2", "os", "collections", "pkg.sub"];
const NAMES = ["f", "C", "system", "OrderedDict", "a.b"];
const TEXT_INTS = ["0", "1", "00", "01", "-0", "0x10", "010", "1_000", " 7", "7 ", "99999999999999999999", "0x", "", "12abc", "\0", "+5"];
const TEXT_LONGS = ["0L", "12L", "0x10L", "0x10", "010", " 12 ", "1_0L", "-0x_1", "L", ""];
const TEXT_FLOATS = ["1.5", "inf", "-iNfinity", "nan", "1e999", " 1.5", "1_0", "1.", ".5"];

/** One generated stream: mostly valid opcode sequences that import, build and call. */
export function generate(random) {
  const pick = (a) => a[Math.floor(random() * a.length)];
  const parts = [];
  const proto = pick([-1, 0, 2, 3, 4, 5]);
  if (proto >= 2) parts.push(Buffer.from([0x80, proto]));
  const n = 1 + Math.floor(random() * 24);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(random() * 30);
    switch (k) {
      case 0: case 1: parts.push(enc(`c${pick(IDS)}\n${pick(NAMES)}\n`)); break;
      case 2: case 3: {
        const m = pick(IDS), nm = pick(NAMES);
        parts.push(Buffer.from([0x8c, m.length]), enc(m), Buffer.from([0x8c, nm.length]), enc(nm), Buffer.from([0x93]));
        break;
      }
      case 4: parts.push(enc(`(${random() < 0.5 ? "S'x'\n" : ""}i${pick(IDS)}\n${pick(NAMES)}\n`)); break;
      case 5: parts.push(enc(`S'${pick(["a", "echo", "\\x41", "q\\q"])}'\n`)); break;
      case 6: parts.push(Buffer.from([0x8c, 1]), enc(pick(["a", "b", "x"]))); break;
      case 7: parts.push(enc(`I${pick(TEXT_INTS)}\n`)); break;
      case 8: parts.push(enc(`L${pick(TEXT_LONGS)}\n`)); break;
      case 9: parts.push(enc(`F${pick(TEXT_FLOATS)}\n`)); break;
      case 10: parts.push(Buffer.from([0x4b, Math.floor(random() * 256)])); break;
      case 11: parts.push(Buffer.from([0x28])); break; // MARK
      case 12: parts.push(Buffer.from([0x74])); break; // TUPLE
      case 13: parts.push(Buffer.from([pick([0x85, 0x86, 0x87, 0x29])])); break;
      case 14: parts.push(Buffer.from([0x52])); break; // REDUCE
      case 15: parts.push(Buffer.from([0x81])); break; // NEWOBJ
      case 16: parts.push(Buffer.from([0x62])); break; // BUILD
      case 17: parts.push(Buffer.from([pick([0x5d, 0x7d, 0x8f])])); break; // empty list/dict/set
      case 18: parts.push(Buffer.from([pick([0x61, 0x65, 0x73, 0x75, 0x90])])); break; // APPEND(S) SETITEM(S) ADDITEMS
      case 19: parts.push(Buffer.from([0x71, Math.floor(random() * 4)])); break; // BINPUT
      case 20: parts.push(Buffer.from([0x68, Math.floor(random() * 4)])); break; // BINGET
      case 21: parts.push(Buffer.from([pick([0x30, 0x31, 0x32])])); break; // POP POP_MARK DUP
      case 22: parts.push(Buffer.from([0x6f])); break; // OBJ
      case 23: parts.push(Buffer.from([0x4e])); break; // NONE
      case 24: parts.push(enc(`p${Math.floor(random() * 4)}\n`)); break;
      case 25: parts.push(enc(`g${Math.floor(random() * 4)}\n`)); break;
      case 26: parts.push(Buffer.from([0x94])); break; // MEMOIZE
      case 27: parts.push(Buffer.from([0x8c, 12]), enc("__setstate__")); break;
      case 28: parts.push(Buffer.from([0x8c, 6]), enc("append")); break;
      default: parts.push(Buffer.from([0x92])); break; // NEWOBJ_EX
    }
  }
  parts.push(Buffer.from([0x2e]));
  let out = Buffer.concat(parts);
  if (random() < 0.3) {
    // A mutation: a byte changed, or the stream cut.
    out = Buffer.from(out);
    const at = Math.floor(random() * out.length);
    if (random() < 0.5) out[at] = Math.floor(random() * 256);
    else out = out.subarray(0, at);
  }
  return new Uint8Array(out);
}

/**
 * A stream built to call: a stack-aware program (it tracks what it pushed) that imports callables
 * and calls them through every call site (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST, BUILD with a
 * planted `__setstate__`, APPEND(S)/SETITEMS/ADDITEMS on instances, call results called), memoises
 * and fetches them, and nests calls as arguments; then, sometimes, one mutation.
 */
export function generateCalls(random) {
  const pick = (a) => a[Math.floor(random() * a.length)];
  const parts = [];
  const b = (...x) => parts.push(Buffer.from(x));
  const t = (s) => parts.push(enc(s));
  const proto = pick([2, 3, 4, 5]);
  b(0x80, proto);
  // What is on the stack: "c" a callable, "o" an object (call result), "v" a plain value, "m" a mark.
  const stack = [];
  const memo = [];
  const pushGlobal = () => {
    const m = pick(IDS), n = pick(NAMES);
    if (random() < 0.5) t(`c${m}\n${n}\n`);
    else {
      b(0x8c, m.length); t(m); b(0x8c, n.length); t(n); b(0x93);
    }
    stack.push("c");
  };
  const pushValue = () => {
    const k = Math.floor(random() * 4);
    if (k === 0) { b(0x8c, 4); t("echo"); }
    else if (k === 1) b(0x4b, Math.floor(random() * 256));
    else if (k === 2) b(0x4e);
    else b(0x7d);
    stack.push(k === 3 ? "d" : "v");
  };
  const args = () => {
    // A tuple of 0-2 values, some of them call results.
    const n = Math.floor(random() * 3);
    b(0x28); stack.push("m");
    for (let i = 0; i < n; i++) {
      if (random() < 0.25) { pushGlobal(); b(0x29, 0x52); stack.pop(); stack.push("o"); }
      else pushValue();
    }
    b(0x74);
    while (stack.pop() !== "m");
    stack.push("t");
  };
  const steps = 2 + Math.floor(random() * 10);
  for (let i = 0; i < steps; i++) {
    const k = Math.floor(random() * 12);
    const top = stack[stack.length - 1];
    if (k <= 2 || top === undefined) {
      pushGlobal();
      if (random() < 0.3) { b(0x94); memo.push(memo.length); }
      continue;
    }
    if (k === 3 && memo.length) { b(0x68, pick(memo)); stack.push("c"); continue; }
    if ((k === 4 || k === 5) && (top === "c" || top === "o")) {
      args(); b(k === 4 ? 0x52 : 0x81); stack.pop(); stack.pop(); stack.push("o"); continue;
    }
    if (k === 6 && top === "c") {
      args(); b(0x7d); b(0x92); stack.pop(); stack.pop(); stack.push("o"); continue;
    }
    if (k === 7) {
      // OBJ: MARK callable args… OBJ
      b(0x28); pushGlobal(); pushValue(); b(0x6f); stack.pop(); stack.pop(); stack.push("o"); continue;
    }
    if (k === 8) { t(`(${random() < 0.5 ? "S'x'\n" : ""}i${pick(IDS)}\n${pick(NAMES)}\n`); stack.push("o"); continue; }
    if (k === 9 && top === "o") {
      // BUILD with a state that may plant __setstate__ / append / add, then maybe use it.
      b(0x7d);
      const key = pick(["__setstate__", "append", "extend", "add", "x"]);
      b(0x8c, key.length); t(key); pushGlobal(); stack.pop(); b(0x73); b(0x62);
      if (random() < 0.5) { b(0x8c, 1); t("s"); b(0x62); }
      continue;
    }
    if (k === 10 && top === "o") {
      const op = pick([0x61, 0x65, 0x75, 0x90, 0x73]);
      if (op === 0x61) { pushValue(); stack.pop(); }
      else if (op === 0x73) { pushValue(); pushValue(); stack.pop(); stack.pop(); }
      else { b(0x28); pushValue(); if (op === 0x75) pushValue(); stack.pop(); if (op === 0x75) stack.pop(); }
      b(op);
      continue;
    }
    if (k === 11 && top === "o") { args(); b(0x52); stack.pop(); stack.pop(); stack.push("o"); continue; }
    pushValue();
  }
  b(0x2e);
  let out = Buffer.concat(parts);
  if (random() < 0.2) {
    out = Buffer.from(out);
    const at = Math.floor(random() * out.length);
    if (random() < 0.5) out[at] = Math.floor(random() * 256);
    else out = out.subarray(0, at);
  }
  return new Uint8Array(out);
}

/** Runs the oracle on `streams` (one python process), returning one record per stream. */
export async function oracle(streams) {
  const py = spawn("/bin/sh", ["-c", `ulimit -v 2000000; exec ${oraclePython()} -W ignore ${join(here, "oracle.py")}`], { stdio: ["pipe", "pipe", "inherit"] });
  const chunks = [];
  py.stdout.on("data", (d) => chunks.push(d));
  const done = new Promise((resolve, reject) => {
    py.on("error", reject);
    py.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`oracle exited ${code}`))));
  });
  for (const s of streams) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(s.length);
    const a = py.stdin.write(len);
    const b = py.stdin.write(s);
    if (!a || !b) await new Promise((r) => py.stdin.once("drain", r));
  }
  py.stdin.end();
  await done;
  return Buffer.concat(chunks).toString("utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

const source = (b) => ({ name: "s.pkl", size: b.length, read: async (s, e) => b.subarray(Math.max(0, s), Math.min(e, b.length)), async *stream() { yield b; } });

const qual = (v) => (v && typeof v === "object" && v.kind === "global" ? `${v.module}.${v.name}` : undefined);

/** What the VM says CPython's unpickler (plain pickle.load, no fix_imports) resolves and calls. */
export async function vmView(bytes) {
  const r = await runPickle(source(bytes), { multiStream: false, resync: false, limits: { maxOpcodes: 100_000 } });
  const globals = r.globals.filter((g) => g.resolved && g.stream === 0).map((g) => [g.writtenModule ?? g.module, g.name]);
  const calls = [];
  for (const c of r.calls) {
    if (c.stream !== 0) continue;
    const t = c.target;
    if (c.kind === "build" || c.kind === "persistent_load") continue;
    if (c.kind === "planted") {
      if (qual(t)) calls.push(["call", qual(t)]);
      else if (t && typeof t === "object" && t.kind === "call" && qual(t.callee)) calls.push(["dyncall", qual(t.callee)]);
      continue;
    }
    if (c.kind === "method") {
      const owner = qual(t) ?? (t && t.kind === "call" ? qual(t.callee) : undefined);
      if (owner) calls.push([`method:${c.method}`, owner]);
      continue;
    }
    if (qual(t)) calls.push(["call", qual(t)]);
    else if (t && typeof t === "object" && t.kind === "call" && qual(t.callee)) calls.push(["dyncall", qual(t.callee)]);
  }
  return { globals, calls, errors: r.errors.length };
}

const key = (x) => JSON.stringify(x);
const missing = (want, have) => {
  const h = new Set(have.map(key));
  return want.filter((x) => !h.has(key(x)));
};

/**
 * Compares `count` streams from `seed`: returns the streams where the VM
 * missed a global or a call CPython made (`unsound`), and how many agreed
 * exactly (same globals and calls, as sets).
 */
export async function campaign(count, seed, batch = 5000, mode = "mixed") {
  const random = rng(seed);
  const gen = mode === "calls" ? generateCalls : generate;
  const unsound = [];
  let exact = 0;
  let cpythonCalls = 0;
  for (let done = 0; done < count; done += batch) {
    const streams = Array.from({ length: Math.min(batch, count - done) }, () => gen(random));
    const want = await oracle(streams);
    for (let i = 0; i < streams.length; i++) {
      const o = want[i];
      if (!o) throw new Error(`oracle returned ${want.length} records for ${streams.length} streams`);
      const v = await vmView(streams[i]);
      cpythonCalls += o.calls.length;
      const mg = missing(o.globals, v.globals);
      const mc = missing(o.calls, v.calls);
      if (mg.length || mc.length) unsound.push({ index: done + i, bytes: Buffer.from(streams[i]).toString("base64"), missedGlobals: mg, missedCalls: mc, cpythonError: o.error });
      else if (missing(v.globals, o.globals).length === 0 && missing(v.calls, o.calls).length === 0) exact++;
    }
  }
  return { count, seed, unsound, exact, cpythonCalls };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const started = Date.now();
  const mode = process.argv.includes("--calls") ? "calls" : "mixed";
  const res = await campaign(arg("streams", 10_000), arg("seed", 8), arg("batch", 5000), mode);
  const show = arg("show", 5);
  for (const u of res.unsound.slice(0, show)) console.log(JSON.stringify(u));
  console.log(JSON.stringify({ streams: res.count, seed: res.seed, unsound: res.unsound.length, exactAgreement: res.exact, cpythonCalls: res.cpythonCalls, seconds: (Date.now() - started) / 1000 }));
  process.exitCode = res.unsound.length ? 1 : 0;
}
