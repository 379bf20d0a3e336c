import type { ModelwardClient } from "./client.js";
import type { FileScanResult, FileScanStatus } from "./types.js";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** Options of {@link FileScanJob.getStatus}. */
export interface GetStatusOptions {
  /** Poll until the scan succeeded, failed or was cancelled. */
  waitUntilFinish?: boolean;
  /** Between polls (default 500 ms). */
  pollIntervalMs?: number;
  /** Give up waiting after this long (default 30 minutes): rejects, the scan goes on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A started file scan. */
export class FileScanJob {
  constructor(
    private readonly client: ModelwardClient,
    readonly jobId: string,
  ) {}

  /** The scan's status; with `waitUntilFinish`, once it has finished. */
  async getStatus(options: GetStatusOptions = {}): Promise<FileScanStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const status = await this.client.getFileScan(this.jobId);
      if (!options.waitUntilFinish || FINISHED.has(status.status)) return status;
      if (Date.now() > deadline) throw new Error(`file scan ${this.jobId} still ${status.status} after ${options.timeoutMs ?? 1_800_000} ms`);
      options.signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 500));
    }
  }

  /** The result (the platform view) of the succeeded scan. */
  getResult(): Promise<FileScanResult> {
    return this.client.getFileScanResult(this.jobId);
  }

  cancel(): Promise<FileScanStatus> {
    return this.client.cancelFileScan(this.jobId);
  }
}
