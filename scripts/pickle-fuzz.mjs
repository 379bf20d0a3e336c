#!/usr/bin/env node
// Fuzz campaign for the pickle VM (issue 18 item 6): mutates seed pickles (the testing kit's examples
// and hand-built streams) and runs the VM on each, checking that it never throws, that every run ends
// within a deadline, and that memory stays bounded. Needs `pnpm build` first.
//   node scripts/pickle-fuzz.mjs [--rounds N] [--seed S] [--max-ms 2000] [--max-rss-mb 300]
// Prints a summary line as JSON; exits 1 on the first failure (with the seed and round to reproduce).
import { runPickle } from "../packages/pickle/dist/index.js";
import { buildExamples, pickle } from "@modelward/testing";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rounds = arg("rounds", 100_000);
const seed = arg("seed", 20261201);
const maxMs = arg("max-ms", 2000);
const maxRssMb = arg("max-rss-mb", 300);

function rng(s) {
  let x = s >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const seeds = [
  ...buildExamples().filter((e) => /\.(pkl|joblib|bin|pickle)$/.test(e.path)).map((e) => e.bytes),
  pickle().proto(4).callStr("os", "system", "echo fuzz").stop().toBytes(),
  pickle().global("builtins", "getattr").mark().global("collections", "OrderedDict").string("'fromkeys'").tuple().reduce().stop().toBytes(),
  pickle().proto(2).emptyList().put(0).mark().get(0).get(0).list().put(1).int("0x10").long("0x20L").float("1.5").stop().toBytes(),
  pickle().proto(4).frame(20).stackGlobalOf("m", "C").emptyTuple().newObj().emptyDict().shortBinUnicode("__setstate__").stackGlobalOf("m", "f").setItem().buildOp().none().buildOp().stop().toBytes(),
];

// Opcode bytes spliced in: the VM must handle any opcode anywhere.
const OPS = [0x28, 0x2e, 0x30, 0x31, 0x32, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x52, 0x53, 0x58, 0x61, 0x62, 0x63, 0x65, 0x68, 0x69, 0x6a, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x7d, 0x80, 0x81, 0x82, 0x85, 0x8c, 0x8e, 0x90, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98];

function mutate(bytes, random) {
  let out = Uint8Array.from(bytes);
  const n = 1 + Math.floor(random() * 4);
  for (let k = 0; k < n; k++) {
    const kind = Math.floor(random() * 6);
    const at = Math.floor(random() * Math.max(1, out.length));
    if (kind === 0 && out.length > 1) out = out.subarray(0, at);
    else if (kind === 1) out.fill(0xff, at, Math.min(out.length, at + 1 + Math.floor(random() * 8)));
    else if (kind === 2) out[at] = Math.floor(random() * 256);
    else if (kind === 3) out[at] = OPS[Math.floor(random() * OPS.length)];
    else if (kind === 4) {
      // Duplicate a slice (repeats opcodes: floods, nesting).
      const len = Math.floor(random() * 64);
      const copies = 1 + Math.floor(random() * 200);
      const slice = out.subarray(at, at + len);
      const grown = new Uint8Array(out.length + slice.length * copies);
      grown.set(out.subarray(0, at), 0);
      for (let c = 0; c < copies; c++) grown.set(slice, at + c * slice.length);
      grown.set(out.subarray(at), at + slice.length * copies);
      out = grown;
    } else {
      const other = seeds[Math.floor(random() * seeds.length)];
      const cut = Math.floor(random() * other.length);
      const joined = new Uint8Array(at + other.length - cut);
      joined.set(out.subarray(0, at), 0);
      joined.set(other.subarray(cut), at);
      out = joined;
    }
  }
  return out;
}

const source = (b) => ({ name: "fuzz.pkl", size: b.length, read: async (s, e) => b.subarray(Math.max(0, s), Math.min(e, b.length)), async *stream() { yield b; } });

const random = rng(seed);
const started = Date.now();
let slowest = 0;
let peakRss = 0;
let limits = 0;
let errors = 0;
let opcodes = 0;
for (let round = 0; round < rounds; round++) {
  const bytes = mutate(seeds[round % seeds.length], random);
  const t = Date.now();
  let r;
  try {
    r = await runPickle(source(bytes), { limits: { maxOpcodes: 5_000_000 } });
  } catch (e) {
    console.error(JSON.stringify({ failure: "threw", seed, round, error: String(e?.stack ?? e), input: Buffer.from(bytes).toString("base64").slice(0, 4000) }));
    process.exit(1);
  }
  const ms = Date.now() - t;
  slowest = Math.max(slowest, ms);
  if (ms > maxMs) {
    console.error(JSON.stringify({ failure: "slow", seed, round, ms, input: Buffer.from(bytes).toString("base64").slice(0, 4000) }));
    process.exit(1);
  }
  if (r.limitsHit.length) limits++;
  if (r.errors.length) errors++;
  opcodes += r.opcodes;
  if ((round & 1023) === 0) {
    const rss = process.memoryUsage().rss / 2 ** 20;
    peakRss = Math.max(peakRss, rss);
    if (rss > maxRssMb) {
      console.error(JSON.stringify({ failure: "rss", seed, round, rssMb: Math.round(rss) }));
      process.exit(1);
    }
  }
}
console.log(JSON.stringify({ rounds, seed, seconds: (Date.now() - started) / 1000, slowestMs: slowest, peakRssMb: Math.round(peakRss), withLimitHit: limits, withErrors: errors, opcodes }));
