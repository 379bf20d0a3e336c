import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelwardClient } from "@modelward/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickle, startPostgresCluster, type PostgresCluster } from "@modelward/testing";
import { createKey, startCli, type ServeProcess } from "./service-harness.js";

// The service on a real PostgreSQL server: an API-only `modelward serve` and two
// `modelward worker` processes claiming from the same queue. 50 jobs; one worker is
// killed with SIGKILL while it holds a job; every job must end once, none lost.
//
// Nothing here waits on a wall-clock guess of how fast a loaded machine is: the jobs are
// all queued before the workers start (so worker 0 is sure to claim some), the kill lands
// while the test holds the victim's job row locked (so the job cannot finish between "seen
// running" and the SIGKILL), and the wait for the queue to drain fails only when no job
// has ended for STALL_MS, however long the whole run takes.

const JOBS = 50;
/** No job ended for this long: the queue is stuck, not slow (a lease is 3 s; a job takes well under a second alone). */
const STALL_MS = 120_000;
// A pickle of a few hundred thousand opcodes, so a job lasts long enough to be killed in.
const padding = (b: ReturnType<typeof pickle>) => {
  b.emptyList().mark();
  for (let i = 0; i < 60_000; i++) b.binInt(i);
  return b.appends();
};
const malicious = padding(pickle().proto(4)).pop().callStr("os", "system", "echo modelward test payload").stop().toBytes();
const benign = padding(pickle().proto(4)).stop().toBytes();

let cluster: PostgresCluster;
let dir: string;
let serve: ServeProcess;
let workers: ServeProcess[] = [];
let client: ModelwardClient;
let sql: pg.Client;
let store: string[];
const env = { MODELWARD_SERVER_KEY: randomBytes(32).toString("hex") };

beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = mkdtempSync(join(tmpdir(), "mw-service-pg-"));
  store = ["--database", cluster.url];
  const apiKey = await createKey(dir, store, "pg", env);
  serve = await startCli(["serve", ...store, "--api-only", "--port", "0"], dir, { env });
  client = new ModelwardClient({ url: serve.url, apiKey });
  sql = new pg.Client({ connectionString: cluster.url });
  await sql.connect();
}, 600_000);

afterAll(async () => {
  await sql?.end();
  await Promise.all([serve, ...workers].map((p) => p?.stop()));
  cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("scan service on PostgreSQL with two worker processes", () => {
  it("runs 50 jobs across both workers; a worker killed mid-job loses nothing and nothing completes twice", async () => {
    const expected = new Map<string, "Alert" | "Pass">();
    for (let i = 0; i < JOBS; i++) {
      const model = await client.registerModel({ name: `m${i}`, repo_type: "file" });
      await client.uploadModelFile(model.id, "model.pkl", i % 2 ? malicious : benign);
      const job = await client.startFileScan({ modelId: model.id });
      expected.set(job.jobId, i % 2 ? "Alert" : "Pass");
    }
    // Every job is queued before a worker exists, so both workers find work as soon as they start.
    const workerArgs = ["worker", ...store, "--lease-seconds", "3"];
    workers = await Promise.all([0, 1].map(() => startCli(workerArgs, dir, { env, waitFor: /worker (\S+) on postgres/ })));

    // Kill worker 0 while it holds a job. The test locks the job's row first (FOR UPDATE waits for any
    // write of the worker in flight, then re-checks the row): a row it gets is still running under
    // worker 0, and worker 0 cannot finish it before the kill lands.
    const victimId = workers[0]!.url;
    let held: string | undefined;
    await sql.query("begin");
    while (!held) {
      const rows = await sql.query("select id from file_scans where status = 'running' and locked_by = $1 limit 1 for update", [victimId]);
      held = rows.rows[0]?.id;
      if (held) break;
      // Worker 0 has jobs to claim as long as some are queued: only an empty queue ends the search.
      const queued = await sql.query("select count(*)::int as n from file_scans where status = 'queued'");
      if (queued.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!held) await sql.query("rollback");
    expect(held, "worker 0 never held a job while jobs were queued").toBeDefined();
    const exited = new Promise((r) => workers[0]!.child.once("exit", r));
    workers[0]!.child.kill("SIGKILL");
    await exited;
    await sql.query("rollback");

    // Wait for the queue to drain, failing only when it stops moving.
    let unfinished = Number.POSITIVE_INFINITY;
    let lastProgress = Date.now();
    for (;;) {
      const { rows } = await sql.query("select count(*)::int as n from file_scans where status in ('queued', 'running')");
      const n: number = rows[0].n;
      if (n === 0) break;
      if (n < unfinished) {
        unfinished = n;
        lastProgress = Date.now();
      }
      if (Date.now() - lastProgress > STALL_MS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const { rows } = await sql.query("select id, status, attempts, completions, severity, error, locked_by from file_scans order by created_at");
    expect(rows).toHaveLength(JOBS);
    for (const r of rows) {
      expect(r.completions, r.id).toBe(1);
      expect(r.status, `${r.id}: ${r.error}`).toBe("succeeded");
      expect(r.severity, r.id).toBe(expected.get(r.id));
    }
    // The job the killed worker held was retried by the other one and finished on its second attempt.
    expect(rows.find((r) => r.id === held)).toMatchObject({ status: "succeeded", attempts: 2 });
    const results = await sql.query("select count(*)::int as n from file_scan_results");
    expect(results.rows[0].n).toBe(JOBS);
    // Both workers ran jobs (the survivor's log names the jobs it finished).
    const finishedBy = (w: ServeProcess) => (w.log().match(/succeeded: (Alert|Pass)/g) ?? []).length;
    expect(finishedBy(workers[1]!)).toBeGreaterThan(0);
    expect(finishedBy(workers[0]!) + finishedBy(workers[1]!)).toBeGreaterThanOrEqual(JOBS - 1);
    // The latest verdicts read back through the API.
    const models = await client.listModels({ limit: 100 });
    expect(models.filter((m) => m.latest_scan?.severity === "Alert")).toHaveLength(JOBS / 2);
  }, 1_800_000);

  it("fails a job whose every attempt died, with the reason", async () => {
    await sql.query(
      `insert into file_scans(id, project_id, model_id, status, max_attempts, attempts, run_token, locked_by, locked_until)
       select 'scan_deadbeefdeadbeef', project_id, id, 'running', 1, 1, 'gone', 'gone', now() - interval '1 second' from models limit 1`,
    );
    // The surviving worker reaps expired leases about once a second; on a loaded machine that can take a while.
    const deadline = Date.now() + STALL_MS;
    let row: { status: string; error: string } | undefined;
    while (Date.now() < deadline) {
      row = (await sql.query("select status, error from file_scans where id = 'scan_deadbeefdeadbeef'")).rows[0];
      if (row?.status !== "running") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.error).toMatch(/no attempts left/);
  }, 300_000);
});
