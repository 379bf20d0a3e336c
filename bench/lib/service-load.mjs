// Load driver of the scan-service cases: starts `modelward serve` (and workers), registers
// N small models, uploads a pickle to each, starts their scans, polls statuses from a few
// concurrent pollers the whole time (their latencies are the status-call figures), and
// waits for every job to finish. Measures jobs/s from the first start to the last finish,
// p50/p99 of status calls, the server's idle RSS before the load and its peak RSS.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { ModelwardClient } from "@modelward/client";
import { pickle } from "@modelward/testing";

/** Starts the built CLI and resolves once stderr matches `ready` (first group returned). */
export function startCli(cliPath, args, { cwd, env = {}, ready = /serving (http:\/\/127\.0\.0\.1:\d+)\/v1/ } = {}) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (d) => {
      log += d;
      const m = ready.exec(log);
      if (m && !child.readyValue) {
        child.readyValue = m[1];
        resolve({ child, value: m[1], log: () => log });
      }
    });
    child.once("exit", (code) => reject(new Error(`modelward ${args[0]} exited ${code}:\n${log}`)));
  });
}

export function createKey(cliPath, storeArgs, cwd, env = {}) {
  return execFileSync(process.execPath, [cliPath, "serve", "keys", "create", ...storeArgs, "--project", "bench"], { cwd, env: { ...process.env, ...env } }).toString().trim();
}

/** VmRSS / VmHWM of a process in MB (Linux). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs the load against a started service; returns the figures. */
export async function driveLoad({ url, apiKey, models, pollers = 4 }) {
  const client = new ModelwardClient({ url, apiKey });
  const benign = pickle().proto(4).emptyDict().shortBinUnicode("epoch").binInt(3).setItem().stop().toBytes();
  const malicious = pickle().proto(4).callStr("os", "system", "echo bench payload").stop().toBytes();
  const jobs = [];
  const latencies = [];
  let stop = false;
  const poll = async () => {
    while (!stop) {
      const id = jobs[Math.floor(Math.random() * jobs.length)];
      if (!id) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const t = performance.now();
      await client.getFileScan(id);
      latencies.push(performance.now() - t);
    }
  };
  const pollersDone = Promise.all(Array.from({ length: pollers }, poll));
  const started = performance.now();
  for (let i = 0; i < models; i++) {
    const model = await client.registerModel({ name: `bench-${i}`, repo_type: "file" });
    await client.uploadModelFile(model.id, "model.pkl", i % 10 === 0 ? malicious : benign);
    jobs.push((await client.startFileScan({ modelId: model.id })).jobId);
  }
  const submittedMs = performance.now() - started;
  let finished = 0;
  const counts = {};
  for (const id of jobs) {
    const s = await client.fileScan(id).getStatus({ waitUntilFinish: true, pollIntervalMs: 100 });
    counts[s.status] = (counts[s.status] ?? 0) + 1;
    finished++;
  }
  const wallMs = performance.now() - started;
  stop = true;
  await pollersDone;
  latencies.sort((a, b) => a - b);
  return {
    wallMs,
    jobsPerSecond: finished / (wallMs / 1000),
    submittedMs,
    statusP50Ms: percentile(latencies, 50),
    statusP99Ms: percentile(latencies, 99),
    statusCalls: latencies.length,
    counts,
  };
}
