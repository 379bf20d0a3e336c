import type { ModelFile } from "./file.js";
import type { Limits } from "./limits.js";

/** What was opened: shown in reports and pinned for reproducibility. */
export interface TargetDescription {
  /** Canonical URI: `file:///abs/path`, `hf://org/model@<sha>`, `s3://bucket/prefix`. */
  uri: string;
  /** The target as the user wrote it. */
  input: string;
  /** Id of the source that opened it (`file`, `hf`, `s3`, `git`). */
  source: string;
  /** Pinned revision: commit sha, ETag, version id; absent for local files. */
  revision?: string;
}

/** A path the source saw but did not yield, and why (symlink out of the root, special file…). */
export interface SourceSkip {
  /** Path relative to the target root. */
  path: string;
  /** Why it was not yielded. */
  reason: string;
  /**
   * The budget outside Modelward's limits that stopped it (`PATH_MAX` for a path too long to open), with
   * its value and the size that passed it: the engine then also reports a high `engine/budget-exceeded` finding.
   */
  budget?: { name: string; limit: number; actual?: number };
}

/** What a source may do while listing. */
export interface SourceContext<O = unknown> {
  /** The source's options from the config. */
  readonly options: O;
  /** Engine limits in force. */
  readonly limits: Limits;
  /** Aborted when the scan is cancelled. */
  readonly signal: AbortSignal;
  /** Record a path that was not yielded, with the reason. Never skip silently. */
  skip(entry: SourceSkip): void;
  /**
   * Record a path that was seen but could not be listed or read in full (an
   * unreadable folder, a name that is not valid UTF-8, a path too long to
   * open, standard input past its limit). Counted as an incomplete analysis:
   * the scan fails under the defaults, never passes it by.
   */
  incomplete(entry: SourceSkip): void;
  /**
   * True when the config's ignore globs exclude this root-relative path.
   * Sources ask before descending, so ignored folders are never walked.
   */
  isIgnored(path: string): boolean;
}

/** An opened target. The engine always calls `close`, even after an error. */
export interface OpenedTarget {
  /** What was opened. */
  description: TargetDescription;
  /** The files, in a stable order. Each is read lazily. */
  files(): AsyncIterable<ModelFile>;
  /** Release handles, temp dirs, connections. */
  close(): Promise<void>;
}

/** Where artifacts come from: local paths, Git, Hugging Face, S3. */
export interface Source<O = unknown> {
  /** Unique id (`file`). */
  id: string;
  /** One line saying what it opens. */
  description: string;
  /** URI schemes it handles, with `://` (`hf://`); an empty list means plain paths. */
  schemes: string[];
  /** Open a target. Throws a `ModelwardError` (`MW_TARGET_*`) when it cannot. */
  open(target: string, ctx: SourceContext<O>): Promise<OpenedTarget>;
}
