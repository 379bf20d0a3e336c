import type { ScanReport } from "@modelward/core";

/** Report formats the result routes offer beside the platform view. */
export const REPORT_FORMATS = ["json", "sarif", "cyclonedx"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Progress of a running scan. */
export interface EngineProgress {
  filesDone: number;
  filesFound: number;
  current?: string;
}

/**
 * The scanner the service runs: exactly the CLI's (same config, engine and
 * reporters), handed in by whoever composes the server (`modelward serve`
 * builds it from the config file and the recommended preset), so the server
 * package depends on no plugin and a job's report is the one
 * `modelward scan` would write.
 */
export interface ScanEngine {
  /**
   * Scans a target: a local folder (uploaded files), or a remote URI
   * (`hf://…`, `git+https://…`, `s3://…`) read by the engine's source plugins
   * with `sourceOptions` (by source id: the job's credentials and parameters)
   * laid over the config's. Rejects only when the target cannot be opened.
   */
  scan(
    target: string,
    options: {
      signal: AbortSignal;
      timeoutMs?: number;
      ruleset?: string;
      sourceOptions?: Record<string, Record<string, unknown>>;
      onProgress?: (p: EngineProgress) => void;
    },
  ): Promise<ScanReport>;
  /** Renders a stored report as JSON, SARIF or CycloneDX text. */
  render(report: ScanReport, format: ReportFormat): Promise<string>;
}
