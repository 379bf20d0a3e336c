import type { ComponentRecord, ImportRecord } from "./analyzer.js";
import type { Finding } from "./finding.js";
import type { Severity, Verdict } from "./severity.js";
import type { TargetDescription } from "./source.js";
import type { Category } from "./taxonomy.js";

/** Version of the {@link ScanReport} shape; bumped (semver) whenever the JSON schema changes. */
export const REPORT_SCHEMA_VERSION = "1.4.0";

/** One analysis that did not finish, and why. */
export interface IncompleteAnalysis {
  /** The analyzer, or absent when the engine itself could not finish (read error, limit). */
  analyzer?: string;
  /** What happened: `threw: RangeError …`, `timed out after 300000 ms`, `member not opened: encrypted`. */
  reason: string;
}

/** Whether an artifact was analyzed in full, in part, or not at all. */
export type FileStatus = "scanned" | "incomplete" | "skipped";

/** One artifact: a top-level file or an archive member. */
export interface FileReport {
  /** Canonical URI of the target it came from. */
  target: string;
  /** Path of the top-level file relative to the target root. */
  path: string;
  /** Member chain inside `path`; empty for a top-level file. */
  members: string[];
  /** Size in bytes. */
  size: number;
  /** The real path a symlink led to, when the file was reached through one. */
  linkedTo?: string;
  /** The version of the file that was read (S3 version id or ETag, Git blob id, Hugging Face oid), for remote sources. */
  revision?: string;
  /** SHA-256 of the content, when a reporter or the config asked for hashes. */
  sha256?: string;
  /** Format recognised by an analyzer. */
  format?: string;
  /** ML framework, when known. */
  framework?: string;
  /** Model card facts the analyzers extracted. */
  properties: Record<string, string | number | boolean>;
  /** Analyzers that ran on it. */
  analyzers: string[];
  /** `scanned`, `incomplete` (some analysis did not finish) or `skipped` (see `skipReason`). */
  status: FileStatus;
  /** Why it was skipped. */
  skipReason?: string;
  /** Analyses that did not finish. */
  incomplete: IncompleteAnalysis[];
  /** Bytes actually read from it (a header-only scan reads a small fraction of `size`). */
  bytesRead: number;
  /** Its findings, most severe first. */
  findings: Finding[];
  /** Findings not kept once a rule passed `limits.maxFindingsPerRule` on this artifact, counted by rule id. */
  omittedFindings?: Record<string, number>;
  /** What it would import, call or instantiate when loaded. */
  imports: ImportRecord[];
  /** Software components it declares. */
  components: ComponentRecord[];
  /** The path of the multi-file model (`ScanReport.models`) this file belongs to, when it is part of one. */
  model?: string;
  /** Most severe unsuppressed finding of this artifact and everything nested in it. */
  highestSeverity?: Severity;
  /** Platform verdict over this artifact and everything nested in it. */
  verdict: Verdict;
}

/**
 * Verdict of a whole scan: the platform {@link Verdict}, or `none` when no
 * artifact was analysed (an empty target, or every file skipped). `none` is
 * never a pass: the scan counts as failed and the CLI exits 2.
 */
export type ScanVerdict = Verdict | "none";

/** Counts over the whole scan. */
export interface ScanSummary {
  /** Platform verdict of the scan: its most severe unsuppressed finding; incomplete is at least a warning; `none` when nothing was analysed. */
  verdict: ScanVerdict;
  /** Most severe unsuppressed finding. */
  highestSeverity?: Severity;
  /** Artifacts by status. */
  files: { total: number; scanned: number; incomplete: number; skipped: number };
  /** Unsuppressed findings by severity and category, plus the suppressed count. */
  findings: {
    total: number;
    suppressed: number;
    bySeverity: Record<Severity, number>;
    byCategory: Record<Category, number>;
  };
  /** Bytes read vs total size of the top-level files. */
  bytesRead: number;
  bytesTotal: number;
  /** The threshold in force and whether the scan fails it (a finding at or above, an incomplete analysis when that fails too, or nothing analysed). */
  failOn: Severity | "none";
  failed: boolean;
}

/**
 * A model made of several files (a TensorFlow SavedModel folder): judged as one.
 * Findings still point at the file they are about; the model's verdict covers all of its files.
 */
export interface ModelReport {
  /** Canonical URI of the target it came from. */
  target: string;
  /** The model's folder relative to the target root (`.` for the root). */
  path: string;
  /** What the model is, e.g. `TensorFlow SavedModel`. */
  kind: string;
  /** Its files (top-level paths), sorted. */
  files: string[];
  /** Most severe unsuppressed finding over all of its files. */
  highestSeverity?: Severity;
  /** Platform verdict over all of its files (incomplete is at least a warning). */
  verdict: Verdict;
}

/** The result of one scan: what every reporter renders. */
export interface ScanReport {
  /** {@link REPORT_SCHEMA_VERSION}. */
  schemaVersion: string;
  /** The tool and what it was composed of. */
  tool: {
    name: "modelward";
    version: string;
    analyzers: { id: string; version: number; plugin: string }[];
    rulesets: string[];
  };
  /** ISO 8601 timestamps and duration. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** What was scanned. */
  targets: TargetDescription[];
  /** Every artifact, in a stable order (target, path, member chain). */
  files: FileReport[];
  /** Multi-file models found (SavedModel folders), each judged over all of its files; absent when there are none. */
  models?: ModelReport[];
  /** Counts and the verdict. */
  summary: ScanSummary;
}
