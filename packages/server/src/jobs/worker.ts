import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describeError, type ScanReport } from "@modelward/core";
import type { Database } from "../db/database.js";
import { newId } from "../ids.js";
import { platformView } from "../results/platform-view.js";
import type { SecretBox } from "../security/secret-box.js";
import type { NetworkPolicy } from "../security/ssrf-guard.js";
import { modelFetchers, type ModelFetcher } from "../sources/model-sources.js";
import { remoteScanPlan } from "../sources/remote-target.js";
import { integrationCredentials, integrationSecret } from "../store/integrations.js";
import { deleteModelFiles } from "../store/model-files.js";
import { modelForWorker, type RepoType } from "../store/models.js";
import { claimJob, finishJob, heartbeat, reapExpired, releaseJob, type ClaimedJob } from "./queue.js";
import type { ScanEngine } from "./scan-engine.js";

export interface WorkerOptions {
  db: Database;
  engine: ScanEngine;
  secrets: SecretBox;
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /** How long a claim lasts without a heartbeat; a dead worker's job is retried after it (default 30 s). */
  leaseSeconds?: number;
  /** Idle poll interval when no wake-up comes (default 1000 ms). */
  pollMs?: number;
  /** Keep uploaded files after a scan (default false: deleted once a scan succeeded). */
  retainUploads?: boolean;
  /** Memory this worker can give one scan; a job asking more is failed with the reason (default: unlimited). */
  memoryBudgetMegabytes?: number;
  network?: NetworkPolicy;
  fetchers?: Partial<Record<RepoType, ModelFetcher>>;
  /** Where job events are logged (never secrets). */
  log?: (line: string) => void;
  /** Test hook: called when a job starts, before its files are fetched. */
  onJobStart?: (job: ClaimedJob) => void;
}

/**
 * Runs file-scan jobs from the store: claims one (SKIP LOCKED), keeps its
 * lease alive with heartbeats that also carry progress and see cancels, runs
 * the engine on the model's files in a private temporary folder, and writes
 * the result once. A worker that dies leaves its lease to expire; the next
 * claim retries the job until `max_attempts`, then it fails with the reason.
 */
export class ScanWorker {
  readonly id = `${hostname()}:${process.pid}:${newId("w").slice(2, 8)}`;
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly active = new Map<string, { job: ClaimedJob; abort: AbortController; done: Promise<void> }>();
  private readonly fetchers: Partial<Record<RepoType, ModelFetcher>>;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly o: WorkerOptions) {
    this.fetchers = modelFetchers(o.fetchers);
  }

  private get lease() {
    return this.o.leaseSeconds ?? 30;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Claims at once instead of at the next poll (called when a job is enqueued in this process). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops claiming; running jobs are cancelled and handed back to the queue (not counted as an attempt). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const a of this.active.values()) a.abort.abort("shutdown");
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastReap = 0;
    while (!this.stopped) {
      try {
        if (Date.now() - lastReap > 1000) {
          lastReap = Date.now();
          await reapExpired(this.o.db);
        }
        if (this.running < (this.o.concurrency ?? 1)) {
          const job = await claimJob(this.o.db, this.id, this.lease);
          if (job) {
            this.launch(job);
            continue;
          }
        }
      } catch (error) {
        this.o.log?.(`worker ${this.id}: queue error: ${describeError(error)}`);
      }
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.o.pollMs ?? 1000);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }

  private launch(job: ClaimedJob): void {
    this.running++;
    const abort = new AbortController();
    const done = this.execute(job, abort).finally(() => {
      this.running--;
      this.active.delete(job.id);
      this.wake();
    });
    this.active.set(job.id, { job, abort, done });
  }

  private async execute(job: ClaimedJob, abort: AbortController): Promise<void> {
    const { db } = this.o;
    this.o.log?.(`worker ${this.id}: ${job.id} attempt ${job.attempt} started`);
    this.o.onJobStart?.(job);
    let progress: { files_done: number; files_found: number; current?: string } | undefined;
    let lost = false;
    const beat = async () => {
      const state = await heartbeat(db, job, this.lease, progress).catch(() => "ok" as const);
      if (state === "lost") {
        lost = true;
        abort.abort("lost");
      } else if (state === "cancel") abort.abort("cancel");
    };
    // Heartbeats at a third of the lease, and at most once a second for progress.
    const hb = setInterval(() => void beat(), Math.max(500, Math.min(1000, (this.lease * 1000) / 3)));
    let folder: string | undefined;
    try {
      const model = await modelForWorker(db, job.modelId);
      if (!model) throw new Error("the model was deleted");
      const needMb = job.options.ram_request_megabytes;
      if (needMb !== undefined && this.o.memoryBudgetMegabytes !== undefined && needMb > this.o.memoryBudgetMegabytes)
        throw new Error(`the scan asks for ${needMb} MB and this worker's budget is ${this.o.memoryBudgetMegabytes} MB`);
      const fetcher = this.fetchers[model.repo_type];
      let target: string;
      let sourceOptions: Record<string, Record<string, unknown>> | undefined;
      if (fetcher) {
        folder = await mkdtemp(join(tmpdir(), "modelward-job-"));
        const count = await fetcher(model, {
          db,
          secrets: this.o.secrets,
          ...(model.integration_id ? { integrationSecret: () => integrationSecret(db, this.o.secrets, model.integration_id!) } : {}),
          folder,
          network: this.o.network ?? {},
          signal: abort.signal,
        });
        if (count === 0) throw new Error("the model has no files to scan (upload files first)");
        target = folder;
      } else {
        const integration = model.integration_id ? await integrationCredentials(db, this.o.secrets, model.integration_id) : undefined;
        ({ target, sourceOptions } = await remoteScanPlan(model, integration, this.o.network ?? {}));
      }
      const report: ScanReport = await this.o.engine.scan(target, {
        signal: abort.signal,
        ...(sourceOptions ? { sourceOptions } : {}),
        ...(job.options.timeout_seconds ? { timeoutMs: job.options.timeout_seconds * 1000 } : {}),
        ...(job.options.ruleset ? { ruleset: job.options.ruleset } : {}),
        onProgress: (p) => {
          progress = { files_done: p.filesDone, files_found: p.filesFound, ...(p.current ? { current: p.current } : {}) };
        },
      });
      if (abort.signal.aborted) throw new Error(String(abort.signal.reason));
      const finishedAt = new Date().toISOString();
      const platform = platformView(report, { scanId: job.id, modelId: job.modelId, finishedAt });
      const written = await finishJob(db, job, { status: "succeeded", severity: platform.severity, score: platform.score, platform, report });
      if (written && model.repo_type === "file" && !this.o.retainUploads) await deleteModelFiles(db, model.id);
      this.o.log?.(`worker ${this.id}: ${job.id} ${written ? `succeeded: ${platform.severity}` : "finished after losing its claim: result discarded"}`);
    } catch (error) {
      const reason = abort.signal.reason;
      if (lost) this.o.log?.(`worker ${this.id}: ${job.id} lost its claim; result discarded`);
      else if (reason === "shutdown") await releaseJob(db, job).catch(() => undefined);
      else if (reason === "cancel") await finishJob(db, job, { status: "cancelled", error: "cancelled while running" });
      else {
        const message = describeError(error);
        await finishJob(db, job, { status: "failed", error: message }).catch(() => undefined);
        this.o.log?.(`worker ${this.id}: ${job.id} failed: ${message}`);
      }
    } finally {
      clearInterval(hb);
      if (folder) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
