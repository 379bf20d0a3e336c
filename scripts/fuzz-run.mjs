#!/usr/bin/env node
// Fuzz campaign runner (issue 18 item 6): mutates generated fixtures of every format (pickle, npy, zip,
// torch zip, legacy torch, tar, gzip, 7z, safetensors, GGUF, ONNX, Keras, h5, notebook) and scans each
// in-process through the engine with every analyzer (scripts/fuzz/fuzz-core.mjs). Needs `pnpm build`.
//   node scripts/fuzz-run.mjs [--rounds N] [--seed S] [--formats zip,tar] [--max-ms 10000] [--max-rss-mb 300]
//                             [--record test/fuzz/regressions.json] [--analyzer-timeout-ms 60000]
// Every input that makes an analyzer throw, hang (--max-ms of the process's CPU time, or the analyzers'
// wall-clock backstop, twice in a row; so `nice -n 19` on a busy machine finds no false hangs), or the process pass
// --max-rss-mb is recorded (with --record) as a regression: { seed, round, formats, kind, detail }, which
// regenerates the input exactly (fuzzInput); the CI test replays every recorded one. Prints one JSON summary
// line, per-format figures included; exits 1 when any input failed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { FUZZ_LIMITS, fuzzInput, fuzzOne, fuzzScanner, fuzzSeeds } from "./fuzz/fuzz-core.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const rounds = Number(arg("rounds", 10_000));
const seed = Number(arg("seed", 20261202));
const maxMs = Number(arg("max-ms", 10_000));
const maxRssMb = Number(arg("max-rss-mb", 300));
const record = arg("record", undefined);
const analyzerTimeoutMs = Number(arg("analyzer-timeout-ms", FUZZ_LIMITS.analyzerTimeoutMs));
const seeds = fuzzSeeds();
const formats = (arg("formats", undefined)?.split(",") ?? Object.keys(seeds)).filter((f) => f in seeds);

const scanner = await fuzzScanner({ ...FUZZ_LIMITS, analyzerTimeoutMs });
const started = Date.now();
const perFormat = Object.fromEntries(formats.map((f) => [f, { inputs: 0, threw: 0, hang: 0, rss: 0, rejected: 0, slowestMs: 0, slowestWallMs: 0, alert: 0 }]));
const failures = [];
let peakRssMb = 0;
for (let round = 0; round < rounds; round++) {
  const input = fuzzInput(seeds, formats, seed, round);
  const result = await fuzzOne(scanner, input, { maxMs });
  const stats = perFormat[input.format];
  stats.inputs++;
  stats.slowestMs = Math.max(stats.slowestMs, Math.round(result.ms));
  stats.slowestWallMs = Math.max(stats.slowestWallMs, Math.round(result.wallMs));
  if (result.verdict === "alert") stats.alert++;
  let kind = result.kind;
  let detail = result.detail;
  if ((round & 63) === 0 || kind) {
    const rss = process.memoryUsage().rss / 2 ** 20;
    peakRssMb = Math.max(peakRssMb, rss);
    if (!kind && rss > maxRssMb) {
      kind = "rss";
      detail = `process RSS ${Math.round(rss)} MB after this input`;
    }
  }
  if (kind === "hang") {
    // CPU time is already immune to load; a repeat rules out a one-off (a GC storm, the wall backstop).
    const again = await fuzzOne(scanner, input, { maxMs });
    if (again.kind !== "hang") {
      stats.hangNotRepeated = (stats.hangNotRepeated ?? 0) + 1;
      kind = undefined;
    }
  }
  if (kind) {
    stats[kind]++;
    failures.push({ seed, round, formats, format: input.format, name: input.name, size: input.bytes.length, kind, detail });
    console.error(JSON.stringify(failures[failures.length - 1]));
  }
}
if (record && failures.length) {
  const known = existsSync(record) ? JSON.parse(readFileSync(record, "utf8")) : [];
  const key = (f) => `${f.seed}:${f.round}:${f.formats.join(",")}`;
  const have = new Set(known.map(key));
  writeFileSync(record, JSON.stringify([...known, ...failures.filter((f) => !have.has(key(f)))], null, 2) + "\n");
}
const seconds = (Date.now() - started) / 1000;
console.log(JSON.stringify({ rounds, seed, seconds, inputsPerSecond: Math.round(rounds / seconds), peakRssMb: Math.round(peakRssMb), failures: failures.length, perFormat }));
process.exitCode = failures.length ? 1 : 0;
