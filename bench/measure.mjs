// Child process of bench/run.mjs: scans one path with the built engine and the
// recommended preset, then writes wall time, peak RSS and the report to a file.
import { writeFileSync } from "node:fs";
import { createScanner, loadConfig } from "@modelward/engine";
import { PRESETS, VERSION } from "modelward";

const [target, out, concurrency, sourcesJson] = process.argv.slice(2);
// Remote cases pass source options (an endpoint, keys); URIs are not paths to search for a config from.
const sources = sourcesJson ? JSON.parse(sourcesJson) : {};
const isUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
const { config } = await loadConfig({
  cwd: process.cwd(),
  presets: PRESETS,
  defaultConfig: { extends: ["modelward:recommended"] },
  overrides: { ...(concurrency ? { limits: { concurrency: Number(concurrency) } } : {}), ...(Object.keys(sources).length ? { sources } : {}) },
  scanPaths: isUri ? [] : [target],
});
const scanner = createScanner(config, VERSION);
const started = process.hrtime.bigint();
const report = await scanner.scan([target]);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
// maxRSS is in kilobytes and covers the whole process, module loading included.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
writeFileSync(out, JSON.stringify({ wallMs, peakRssMb, report }));
