/** How big a hostile input is built: `small` runs in CI, `full` is the size of the attack (a bench family). */
export type HostileSize = "small" | "full";

/**
 * One hostile input for the suite. `build` writes it under `dir` (streamed,
 * sparse where large) and returns the path to scan. `expect` is what a
 * scanner that holds must do: the exit code, and a pattern the JSON report
 * must contain (the problem named). Generators of every family share this
 * shape, so the runners (the CI test, the bench family) take them all.
 */
export interface HostileCase {
  /** Unique, stable name: `<family>/<what>`. */
  name: string;
  build(dir: string, size: HostileSize): Promise<string>;
  /** A config to scan with at this size (limits lowered so a small case trips them), or undefined for the defaults. */
  config?(size: HostileSize): Record<string, unknown> | undefined;
  expect: {
    /** Exit code of `modelward scan` (1: a finding or an incomplete analysis). */
    exit: number;
    /** Exit code at the small size when it differs (a flood too small to trip its limit is only a big listing). */
    smallExit?: number;
    /** Matched against the JSON report text: the report names the problem. */
    names: RegExp;
  };
}
