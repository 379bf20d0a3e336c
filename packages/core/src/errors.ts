/**
 * Stable error codes. A code never changes meaning; new ones are added.
 * - `MW_CONFIG_INVALID`: the config has problems (see `ConfigError.issues`).
 * - `MW_CONFIG_NOT_FOUND`: `--config` names a file that does not exist.
 * - `MW_PLUGIN_LOAD`: a plugin package could not be resolved or imported.
 * - `MW_PLUGIN_INVALID`: a plugin object does not satisfy the contract.
 * - `MW_TARGET_NOT_FOUND`: the target does not exist.
 * - `MW_TARGET_UNSUPPORTED`: no source handles the target.
 * - `MW_SOURCE_FAILED`: a source failed while listing or reading.
 * - `MW_READ_LIMIT`: a read asked for more than `maxReadBytes`.
 * - `MW_REPORTER_UNKNOWN`: no reporter has that id.
 * - `MW_OUTPUT_UNWRITABLE`: a report file cannot be written (a folder, no permission, a full disk).
 * - `MW_USAGE`: the command line is wrong.
 * - `MW_INTERNAL`: a bug in Modelward.
 */
export type ErrorCode =
  | "MW_CONFIG_INVALID"
  | "MW_CONFIG_NOT_FOUND"
  | "MW_PLUGIN_LOAD"
  | "MW_PLUGIN_INVALID"
  | "MW_TARGET_NOT_FOUND"
  | "MW_TARGET_UNSUPPORTED"
  | "MW_SOURCE_FAILED"
  | "MW_READ_LIMIT"
  | "MW_REPORTER_UNKNOWN"
  | "MW_OUTPUT_UNWRITABLE"
  | "MW_USAGE"
  | "MW_INTERNAL";

// A registry-wide symbol, so errors are recognised across duplicate copies of this package.
const MARKER = Symbol.for("modelward.error");

/** Base class of every error Modelward throws on purpose. */
export class ModelwardError extends Error {
  /** Stable code. */
  readonly code: ErrorCode;
  private readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelwardError";
    this.code = code;
  }

  /** True for any ModelwardError, even one from another copy of this package. */
  static isInstance(error: unknown): error is ModelwardError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** One problem in a config: where, what, and how to fix it. */
export interface ConfigIssue {
  /** File the problem is in (or `<cli>` for command-line options). */
  file: string;
  /** JSON pointer to the offending value, e.g. `/rules/pickle~1unknown-global/severity`. */
  pointer: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** A config with one or more problems, all listed at once. */
export class ConfigError extends ModelwardError {
  /** Every problem found. */
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(
      "MW_CONFIG_INVALID",
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  ${i.file}${i.pointer ? ` at ${i.pointer}` : ""}: ${i.message}\n    fix: ${i.fix}`).join("\n"),
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** The message of anything thrown, for reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `thrown value: ${String(error)}`;
}
