import type { RuleMeta } from "./rule.js";
import type { ScanReport } from "./report.js";

/** What a reporter gets besides the report. */
export interface ReporterContext<O = unknown> {
  /** The reporter's options from the config or CLI. */
  readonly options: O;
  /** Every rule known to the scan, by id (so a reporter can describe rules that fired). */
  readonly rules: ReadonlyMap<string, RuleMeta>;
  /** Whether the output goes to a colour-capable terminal. */
  readonly color: boolean;
  /**
   * The working directory of the scan (absolute), when known: reporters show
   * local paths relative to it, so two targets never print the same path for different files.
   */
  readonly workingDirectory?: string;
  /**
   * The folder local paths are relative to in repository-facing formats
   * (SARIF for code scanning): the git top level containing the targets, else the working directory.
   */
  readonly sourceRoot?: string;
}

/** Turns a {@link ScanReport} into an output format. Pure: no I/O. */
export interface Reporter<O = unknown> {
  /** Unique id, used with `--format` (`json`, `sarif`). */
  id: string;
  /** One line saying what it writes. */
  description: string;
  /** IANA media type of the output. */
  mediaType: string;
  /** File extension without the dot (`sarif`). */
  defaultExtension: string;
  /** What the report must contain for this reporter (e.g. SHA-256 of each file for an SBOM). */
  needs?: { sha256?: boolean };
  /** Render the report. Deterministic for the same report. */
  render(report: ScanReport, ctx: ReporterContext<O>): Promise<string | Uint8Array>;
  /**
   * The same output as `render`, in pieces, for reports too large for one
   * string (V8 caps strings near 512 MB). Callers that write to a file or a
   * stream prefer it when present.
   */
  renderChunks?(report: ScanReport, ctx: ReporterContext<O>): AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
}
