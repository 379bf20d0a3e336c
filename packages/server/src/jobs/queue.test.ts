import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database.js";
import { openDatabase } from "../db/open-database.js";
import { createModel } from "../store/models.js";
import { ensureProject } from "../store/projects.js";
import { cancelScan, claimJob, enqueueScan, finishJob, getScan, heartbeat, reapExpired, releaseJob } from "./queue.js";

// The queue's claim/lease/finish rules on the embedded store (the same SQL runs on PostgreSQL,
// where test/e2e's postgres suite checks them with real worker processes).

let dir: string;
let db: Database;
let projectId: string;
let modelId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mw-queue-"));
  db = await openDatabase({ dataDir: dir });
  projectId = (await ensureProject(db, "q")).id;
  modelId = (await createModel(db, projectId, { name: "m", repo_type: "file", source: {} })).id;
}, 180_000);

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const expireLeases = () => db.query("update file_scans set locked_until = now() - interval '1 second' where status = 'running'");

describe("file-scan queue", () => {
  it("claims oldest first, one claimant per job, and writes a result once", async () => {
    const a = await enqueueScan(db, projectId, modelId, {}, 3);
    const b = await enqueueScan(db, projectId, modelId, {}, 3);
    const first = await claimJob(db, "w1", 30);
    const second = await claimJob(db, "w2", 30);
    expect([first?.id, second?.id]).toEqual([a.id, b.id]);
    expect(await claimJob(db, "w3", 30)).toBeUndefined();
    expect(await heartbeat(db, first!, 30, { files_done: 1, files_found: 2 })).toBe("ok");
    expect((await getScan(db, projectId, a.id))?.progress).toEqual({ files_done: 1, files_found: 2 });
    const outcome = { status: "succeeded" as const, severity: "Pass", score: 1, platform: { p: 1 }, report: { r: 1 } };
    expect(await finishJob(db, first!, outcome)).toBe(true);
    expect(await finishJob(db, first!, outcome)).toBe(false);
    expect(await finishJob(db, second!, { status: "failed", error: "boom" })).toBe(true);
    expect(await getScan(db, projectId, b.id)).toMatchObject({ status: "failed", error: "boom" });
  });

  it("retries a job whose worker stopped heartbeating, and the old claimant can no longer write", async () => {
    const job = await enqueueScan(db, projectId, modelId, {}, 2);
    const dead = await claimJob(db, "dead", 30);
    expect(dead?.id).toBe(job.id);
    await expireLeases();
    const retry = await claimJob(db, "alive", 30);
    expect(retry).toMatchObject({ id: job.id, attempt: 2 });
    expect(await heartbeat(db, dead!, 30)).toBe("lost");
    expect(await finishJob(db, dead!, { status: "failed", error: "late" })).toBe(false);
    expect(await finishJob(db, retry!, { status: "succeeded", severity: "Alert", score: 3, platform: {}, report: {} })).toBe(true);
    const rows = await db.query<{ completions: number }>("select completions from file_scans where id = $1", [job.id]);
    expect(rows[0]!.completions).toBe(1);
  });

  it("fails a job with the reason once its attempts are used up", async () => {
    const job = await enqueueScan(db, projectId, modelId, {}, 1);
    expect((await claimJob(db, "w", 30))?.id).toBe(job.id);
    await expireLeases();
    expect(await claimJob(db, "w", 30)).toBeUndefined();
    expect(await reapExpired(db)).toBe(1);
    const failed = await getScan(db, projectId, job.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed?.error).toMatch(/attempt 1 of 1; no attempts left/);
  });

  it("cancels queued jobs at once and running ones at their next heartbeat", async () => {
    const queued = await enqueueScan(db, projectId, modelId, {}, 3);
    expect((await cancelScan(db, projectId, queued.id))?.status).toBe("cancelled");
    expect(await claimJob(db, "w", 30)).toBeUndefined();
    const running = await enqueueScan(db, projectId, modelId, {}, 3);
    const claim = await claimJob(db, "w", 30);
    expect((await cancelScan(db, projectId, running.id))?.status).toBe("running");
    expect(await heartbeat(db, claim!, 30)).toBe("cancel");
    expect(await finishJob(db, claim!, { status: "cancelled", error: "cancelled while running" })).toBe(true);
    expect((await getScan(db, projectId, running.id))?.status).toBe("cancelled");
  });

  it("hands a job back on shutdown without counting the attempt", async () => {
    const job = await enqueueScan(db, projectId, modelId, {}, 1);
    const claim = await claimJob(db, "w", 30);
    await releaseJob(db, claim!);
    expect(await getScan(db, projectId, job.id)).toMatchObject({ status: "queued", attempts: 0 });
    const again = await claimJob(db, "w2", 30);
    expect(again).toMatchObject({ id: job.id, attempt: 1 });
    await finishJob(db, again!, { status: "failed", error: "x" });
  });
});
