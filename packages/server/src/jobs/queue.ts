import { randomUUID } from "node:crypto";
import type { Database, Sql } from "../db/database.js";
import { newId } from "../ids.js";

export const SCAN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** Limits and references a caller may give a scan. */
export interface ScanOptionsInput {
  /** Whole-scan deadline. */
  timeout_seconds?: number;
  /** Memory the caller expects the scan to need; a worker refuses a job above its own budget. */
  ram_request_megabytes?: number;
  /** A ruleset id or package the worker's config knows (not a path: callers never choose files on the server). */
  ruleset?: string;
}

export interface ScanProgressView {
  files_done: number;
  files_found: number;
  current?: string;
}

/** A file-scan job as the API shows it. */
export interface FileScanView {
  id: string;
  project_id: string;
  model_id: string;
  status: ScanStatus;
  progress: ScanProgressView | null;
  attempts: number;
  max_attempts: number;
  error: string | null;
  severity: string | null;
  score: number | null;
  options: ScanOptionsInput;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A row as the database returns it: the view with its times as Dates. */
type Row = Omit<FileScanView, "created_at" | "started_at" | "finished_at"> & {
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const COLUMNS = "id, project_id, model_id, status, progress, attempts, max_attempts, error, severity, score, options, created_at, started_at, finished_at";

const view = (r: Row): FileScanView => ({
  id: r.id,
  project_id: r.project_id,
  model_id: r.model_id,
  status: r.status,
  progress: r.progress,
  attempts: r.attempts,
  max_attempts: r.max_attempts,
  error: r.error,
  severity: r.severity,
  score: r.score,
  options: r.options,
  created_at: r.created_at.toISOString(),
  started_at: r.started_at?.toISOString() ?? null,
  finished_at: r.finished_at?.toISOString() ?? null,
});

export async function enqueueScan(db: Sql, projectId: string, modelId: string, options: ScanOptionsInput, maxAttempts: number): Promise<FileScanView> {
  const rows = await db.query<Row>(
    `insert into file_scans(id, project_id, model_id, status, options, max_attempts) values ($1, $2, $3, 'queued', $4, $5) returning ${COLUMNS}`,
    [newId("scan"), projectId, modelId, JSON.stringify(options), maxAttempts],
  );
  return view(rows[0]!);
}

export async function getScan(db: Sql, projectId: string, id: string): Promise<FileScanView | undefined> {
  const rows = await db.query<Row>(`select ${COLUMNS} from file_scans where project_id = $1 and id = $2`, [projectId, id]);
  return rows[0] ? view(rows[0]) : undefined;
}

export async function listModelScans(db: Sql, projectId: string, modelId: string, limit: number): Promise<FileScanView[]> {
  const rows = await db.query<Row>(`select ${COLUMNS} from file_scans where project_id = $1 and model_id = $2 order by created_at desc, id desc limit $3`, [
    projectId,
    modelId,
    limit,
  ]);
  return rows.map(view);
}

/**
 * Cancels a scan: a queued one at once; a running one is flagged and its
 * worker stops at its next heartbeat. Finished scans are left as they are.
 */
export async function cancelScan(db: Sql, projectId: string, id: string): Promise<FileScanView | undefined> {
  await db.query(
    `update file_scans set status = 'cancelled', finished_at = now(), error = 'cancelled before it started', run_token = null, locked_by = null, locked_until = null
     where project_id = $1 and id = $2 and status = 'queued'`,
    [projectId, id],
  );
  await db.query("update file_scans set cancel_requested = true where project_id = $1 and id = $2 and status = 'running'", [projectId, id]);
  return getScan(db, projectId, id);
}

/** A job a worker holds: the token proves the claim is still its own when it writes. */
export interface ClaimedJob {
  id: string;
  projectId: string;
  modelId: string;
  attempt: number;
  options: ScanOptionsInput;
  token: string;
}

/**
 * Claims the oldest runnable job: queued, or running with an expired lease
 * (its worker died) and attempts left. `FOR UPDATE SKIP LOCKED` lets any
 * number of workers on any host claim concurrently without taking the same
 * row; the lease (`locked_until`) is what hands a dead worker's job on.
 */
export async function claimJob(db: Sql, workerId: string, leaseSeconds: number): Promise<ClaimedJob | undefined> {
  const token = randomUUID();
  const rows = await db.query<Row>(
    `update file_scans set status = 'running', attempts = attempts + 1, run_token = $2, locked_by = $1,
            locked_until = now() + make_interval(secs => $3), started_at = coalesce(started_at, now()), progress = null
     where id = (
       select id from file_scans
       where (status = 'queued' or (status = 'running' and locked_until < now()))
         and attempts < max_attempts and not cancel_requested
       order by created_at, id
       limit 1
       for update skip locked
     )
     returning ${COLUMNS}`,
    [workerId, token, leaseSeconds],
  );
  const r = rows[0];
  return r ? { id: r.id, projectId: r.project_id, modelId: r.model_id, attempt: r.attempts, options: r.options, token } : undefined;
}

/**
 * Ends jobs whose lease expired and that may not be retried: out of attempts
 * (failed with the reason) or cancelled while running. Any worker runs it.
 */
export async function reapExpired(db: Sql): Promise<number> {
  const failed = await db.query(
    `update file_scans set status = 'failed', finished_at = now(), run_token = null, locked_by = null, locked_until = null,
            error = 'the worker stopped (crashed or was killed) during attempt ' || attempts || ' of ' || max_attempts || '; no attempts left'
     where id in (select id from file_scans where status = 'running' and locked_until < now() and attempts >= max_attempts for update skip locked)
     returning id`,
  );
  const cancelled = await db.query(
    `update file_scans set status = 'cancelled', finished_at = now(), run_token = null, locked_by = null, locked_until = null, error = 'cancelled'
     where id in (select id from file_scans where status = 'running' and locked_until < now() and cancel_requested for update skip locked)
     returning id`,
  );
  return failed.length + cancelled.length;
}

/**
 * Extends the lease and records progress. Returns `lost` when the claim is no
 * longer this worker's (the lease expired and another took it), `cancel` when
 * a cancel was asked for, else `ok`.
 */
export async function heartbeat(db: Sql, job: ClaimedJob, leaseSeconds: number, progress?: ScanProgressView): Promise<"ok" | "cancel" | "lost"> {
  const rows = await db.query<{ cancel_requested: boolean }>(
    `update file_scans set locked_until = now() + make_interval(secs => $3), progress = coalesce($4, progress)
     where id = $1 and run_token = $2 and status = 'running' returning cancel_requested`,
    [job.id, job.token, leaseSeconds, progress ? JSON.stringify(progress) : null],
  );
  if (!rows[0]) return "lost";
  return rows[0].cancel_requested ? "cancel" : "ok";
}

/**
 * Writes a job's outcome once, atomically: the status and the result row in
 * one transaction, only while the claim is still this worker's. Returns false
 * (and writes nothing) when it is not, so a job is never completed twice.
 */
export async function finishJob(
  db: Database,
  job: ClaimedJob,
  outcome:
    | { status: "succeeded"; severity: string; score: number; platform: unknown; report: unknown }
    | { status: "failed" | "cancelled"; error: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `update file_scans set status = $3, finished_at = now(), error = $4, severity = $5, score = $6,
              completions = completions + 1, run_token = null, locked_by = null, locked_until = null
       where id = $1 and run_token = $2 and status = 'running' returning id`,
      [
        job.id,
        job.token,
        outcome.status,
        outcome.status === "succeeded" ? null : outcome.error,
        outcome.status === "succeeded" ? outcome.severity : null,
        outcome.status === "succeeded" ? outcome.score : null,
      ],
    );
    if (!rows.length) return false;
    if (outcome.status === "succeeded")
      await tx.query("insert into file_scan_results(scan_id, platform, report) values ($1, $2, $3)", [
        job.id,
        JSON.stringify(outcome.platform),
        JSON.stringify(outcome.report),
      ]);
    return true;
  });
}

/**
 * Gives a claimed job back (the worker is shutting down): queued again with
 * the attempt not counted, or failed when it was its last one.
 */
export async function releaseJob(db: Sql, job: ClaimedJob): Promise<void> {
  await db.query(
    `update file_scans set status = 'queued', attempts = attempts - 1, run_token = null, locked_by = null, locked_until = null
     where id = $1 and run_token = $2 and status = 'running'`,
    [job.id, job.token],
  );
}

/** The stored result of a succeeded scan: the platform view and the full ScanReport. */
export async function getResult(db: Sql, scanId: string): Promise<{ platform: unknown; report: unknown } | undefined> {
  const rows = await db.query<{ platform: unknown; report: unknown }>("select platform, report from file_scan_results where scan_id = $1", [scanId]);
  return rows[0];
}

/** The latest succeeded scan of a model. */
export async function latestSucceededScan(db: Sql, projectId: string, modelId: string): Promise<FileScanView | undefined> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from file_scans where project_id = $1 and model_id = $2 and status = 'succeeded' order by finished_at desc, id desc limit 1`,
    [projectId, modelId],
  );
  return rows[0] ? view(rows[0]) : undefined;
}
