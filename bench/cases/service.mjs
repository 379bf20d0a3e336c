// The scan service (issue 16 item 6): jobs per second through the API on 200 small models,
// p50/p99 latency of status calls under that load, and the memory of an idle server; with
// the embedded store (API + in-process worker), and with PostgreSQL + two worker processes.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { startPostgresCluster } from "@modelward/testing";
import { createKey, driveLoad, rssOf, startCli } from "../lib/service-load.mjs";

const MODELS = 200;

const figures = (load, idle, peak) => ({
  wallMs: load.wallMs,
  peakRssMb: peak,
  metrics: {
    models: MODELS,
    "jobs/s": load.jobsPerSecond.toFixed(1),
    "status p50 ms": load.statusP50Ms.toFixed(1),
    "status p99 ms": load.statusP99Ms.toFixed(1),
    "status calls": load.statusCalls,
    "idle RSS MB": idle.toFixed(0),
    outcomes: JSON.stringify(load.counts),
  },
});

export default [
  {
    name: "service: 200 models, embedded store (serve + in-process worker)",
    async create(dir) {
      return dir;
    },
    async measure(dir, { cliPath }) {
      const data = join(dir, `data-${Date.now()}`);
      await mkdir(data, { recursive: true });
      const store = ["--data-dir", data];
      const apiKey = createKey(cliPath, store, dir);
      const serve = await startCli(cliPath, ["serve", ...store, "--port", "0"], { cwd: dir });
      try {
        await new Promise((r) => setTimeout(r, 2000));
        const idle = rssOf(serve.child.pid).rssMb;
        const load = await driveLoad({ url: serve.value, apiKey, models: MODELS });
        return figures(load, idle, rssOf(serve.child.pid).hwmMb);
      } finally {
        serve.child.kill("SIGTERM");
        await new Promise((r) => serve.child.once("exit", r));
        await rm(data, { recursive: true, force: true });
      }
    },
    target: { minJobsPerSecond: 2, maxRssMb: 1200 },
  },
  {
    name: "service: 200 models, PostgreSQL + 2 worker processes",
    async create(dir) {
      return dir;
    },
    async measure(dir, { cliPath }) {
      const cluster = await startPostgresCluster();
      const env = { MODELWARD_SERVER_KEY: randomBytes(32).toString("hex") };
      const store = ["--database", cluster.url];
      const procs = [];
      try {
        const apiKey = createKey(cliPath, store, dir, env);
        const serve = await startCli(cliPath, ["serve", ...store, "--api-only", "--port", "0"], { cwd: dir, env });
        procs.push(serve);
        for (let i = 0; i < 2; i++) procs.push(await startCli(cliPath, ["worker", ...store], { cwd: dir, env, ready: /worker (\S+) on/ }));
        await new Promise((r) => setTimeout(r, 2000));
        const idle = rssOf(serve.child.pid).rssMb;
        const load = await driveLoad({ url: serve.value, apiKey, models: MODELS });
        return figures(load, idle, Math.max(...procs.map((p) => rssOf(p.child.pid).hwmMb)));
      } finally {
        for (const p of procs) p.child.kill("SIGTERM");
        await Promise.all(procs.map((p) => (p.child.exitCode === null ? new Promise((r) => p.child.once("exit", r)) : undefined)));
        cluster.stop();
      }
    },
    target: { minJobsPerSecond: 2, maxRssMb: 600 },
  },
];
