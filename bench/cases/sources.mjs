// Remote sources: a 10 GB sparse safetensors (the 7B-like layout of the safetensors case) and a
// 2 GB torch.save zip scanned through the Hugging Face stand-in (HTTP ranges) and through s3rver
// (ranged GetObject), and a 1,000-file Git repository cloned at depth 1 over smart HTTP.
// "read MB" is what crossed the wire (a remote file's bytesRead).
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { startGitHttpServer, startHubStandIn, startS3Server } from "@modelward/testing";
import { writeSparseTorchZip } from "../lib/sparse-zip.mjs";
import safetensorsCases from "./safetensors.mjs";

const sparseSafetensors = safetensorsCases[0].create;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const run = promisify(execFile);
const MiB = 1024 * 1024;
const wire = { maxWallMs: 1000, maxBytesRead: 4 * MiB };

/** 200 weights of 10 MiB and 56 biases of 4 KiB (float32): ≈ 2.1 GB, as the pytorch case. */
function bigStateDict() {
  const tensors = {};
  for (let i = 0; i < 200; i++) tensors[`layers.${i}.weight`] = { shape: [(10 * MiB) / 4], key: String(i) };
  for (let i = 0; i < 56; i++) tensors[`layers.${i}.bias`] = { shape: [1024], key: String(200 + i) };
  return tensors;
}


/** Serves one disk file as `org/bench` through the HF stand-in. */
async function viaHub(path) {
  const hub = await startHubStandIn({ repos: { "org/bench": { files: { [basename(path)]: { diskPath: path } } } } });
  return {
    target: "hf://org/bench",
    sources: { hf: { hf_endpoint: hub.url } },
    metrics: async () => ({ "served MB": (hub.bytesServed() / 1e6).toFixed(2), requests: hub.requests.length }),
    stop: () => hub.close(),
  };
}

/** Serves one disk file as `s3://bench/<name>` through s3rver (linked into its store, not uploaded). */
async function viaS3(path) {
  const s3 = await startS3Server(["bench"]);
  await s3.put("bench", basename(path), { diskPath: path });
  return {
    target: "s3://bench/",
    sources: { s3: { s3_endpoint: s3.endpoint, aws_access_key_id: s3.accessKeyId, aws_secret_access_key: s3.secretAccessKey, region: "us-east-1" } },
    stop: () => s3.stop(),
  };
}

const top = (report) => report.files.find((f) => f.members.length === 0);
const metrics = (report) => ({ format: top(report)?.format ?? "-", findings: report.summary.findings.total, incomplete: report.summary.files.incomplete });

export default [
  { name: "sources: 10 GB sparse safetensors through the HF stand-in", create: sparseSafetensors, serve: viaHub, target: wire, metrics },
  { name: "sources: 10 GB sparse safetensors through s3rver", create: sparseSafetensors, serve: viaS3, target: wire, metrics },
  {
    name: "sources: 2 GB torch.save zip through the HF stand-in",
    create: (dir) => writeSparseTorchZip(join(dir, "pytorch_model.bin"), bigStateDict()),
    serve: viaHub,
    target: wire,
    metrics,
  },
  {
    name: "sources: 2 GB torch.save zip through s3rver",
    create: (dir) => writeSparseTorchZip(join(dir, "pytorch_model.bin"), bigStateDict()),
    serve: viaS3,
    target: wire,
    metrics,
  },
  {
    name: "sources: 1,000-file Git repository at depth 1 over smart HTTP",
    async create(dir) {
      // Ten commits of history so depth 1 has something to leave behind.
      const work = join(dir, "work");
      mkdirSync(work, { recursive: true });
      const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.invalid", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.invalid" };
      await run("git", ["init", "-q", "-b", "main"], { cwd: work, env });
      for (let c = 0; c < 10; c++) {
        for (let i = 0; i < 100; i++) {
          mkdirSync(join(work, `d${c}`), { recursive: true });
          writeFileSync(join(work, `d${c}`, `f${i}.json`), JSON.stringify({ commit: c, file: i, note: "benign config" }));
        }
        await run("git", ["add", "-A"], { cwd: work, env });
        await run("git", ["commit", "-q", "-m", `c${c}`], { cwd: work, env });
      }
      await run("git", ["clone", "-q", "--bare", work, join(dir, "repo.git")], { env });
      return dir;
    },
    async serve(dir) {
      const server = await startGitHttpServer(dir);
      return { target: `git+${server.url}/repo.git`, sources: {}, metrics: async () => ({ requests: server.requests.length }), stop: () => server.close() };
    },
    target: { maxWallMs: 5000 },
    metrics: (report) => ({ files: report.summary.files.total, findings: report.summary.findings.total }),
  },
];
