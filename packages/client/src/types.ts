/** Types of the scan service's API (`/v1`), as its OpenAPI document describes them. */

export type PlatformSeverity = "Alert" | "Warning" | "Pass";
export type RepoType = "file" | "huggingface" | "github" | "s3_bucket";
export type ScanStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type FindingSeverity = "critical" | "high" | "medium" | "low" | "info";
export type ReportFormat = "json" | "sarif" | "cyclonedx";

export interface Project {
  id: string;
  name: string;
  created_at: string;
}

/** Registration of a model, in the platform's parameters. */
export interface RegisterModelInput {
  name: string;
  repo_type: RepoType;
  /** github (and optionally huggingface): the repository URL. */
  repo_url?: string;
  /** github: default `main`. */
  branch_name?: string;
  /** github: clone depth, default 1. */
  depth?: number;
  /** huggingface: `owner/name`. */
  model_id?: string;
  /** huggingface: default `main`. */
  revision?: string;
  /** s3_bucket. */
  bucket_name?: string;
  region?: string;
  prefix?: string;
  /** An integration holding the credentials of a private source. */
  integration_id?: string;
}

export interface LatestVerdict {
  scan_id: string;
  status: ScanStatus;
  severity: PlatformSeverity | null;
  score: 1 | 2 | 3 | null;
  finished_at: string | null;
}

export interface Model extends Omit<RegisterModelInput, "integration_id"> {
  id: string;
  project_id: string;
  integration_id: string | null;
  created_at: string;
  /** The latest finished scan (what a registry page shows), or null. */
  latest_scan: LatestVerdict | null;
}

export interface ModelFile {
  path: string;
  size: number;
  sha256: string;
  created_at: string;
}

export interface FileScanStatus {
  id: string;
  project_id: string;
  model_id: string;
  status: ScanStatus;
  progress: { files_done: number; files_found: number; current?: string } | null;
  attempts: number;
  max_attempts: number;
  error: string | null;
  severity: PlatformSeverity | null;
  score: 1 | 2 | 3 | null;
  options: Record<string, unknown>;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface UnsafeDependency {
  name: string;
  kind: "global" | "call" | "op" | "layer" | "module";
  safety: "dangerous" | "unknown";
  severity: FindingSeverity;
  members?: string[];
}

export interface FileSecurityReport {
  file: string;
  severity: PlatformSeverity;
  status: "scanned" | "incomplete" | "skipped";
  format?: string;
  size: number;
  findings: number;
  unsafe_dependencies: UnsafeDependency[];
  incomplete?: string[];
  skip_reason?: string;
}

export interface FileScanResult {
  scan_id: string;
  model_id: string;
  severity: PlatformSeverity;
  /** 1 Pass, 2 Warning, 3 Alert. */
  score: 1 | 2 | 3;
  finished_at: string;
  summary: {
    files: { total: number; scanned: number; incomplete: number; skipped: number };
    findings: number;
    by_severity: Record<FindingSeverity, number>;
    nothing_analysed: boolean;
  };
  file_security_reports: FileSecurityReport[];
}

export interface IntegrationInput {
  name: string;
  kind: "huggingface" | "aws" | "github";
  /** huggingface, github. */
  token?: string;
  /** aws. */
  access_key_id?: string;
  secret_access_key?: string;
}

export interface Integration {
  id: string;
  project_id: string;
  name: string;
  kind: IntegrationInput["kind"];
  public_fields: Record<string, string>;
  has_secret: true;
  created_at: string;
}
