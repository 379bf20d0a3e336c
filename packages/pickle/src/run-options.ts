import type { PickleLimits } from "./limits.js";
import type { PickleValue } from "./values.js";

/**
 * What a caller tells the VM to do after a BUILD, for loaders that read the
 * file directly in the middle of unpickling (joblib's NumpyArrayWrapper).
 */
export type BuildAction =
  /** Raw bytes follow (after the current frame, where the loader's file position is): skip them. */
  | {
      skip: number;
      /** A one-byte padding length and that many padding bytes come first (joblib ≥ 1.2 array alignment). */
      alignmentPadding?: boolean;
    }
  /** A whole pickle stream follows (after the current frame): run it, then resume. */
  | { nestedPickle: true }
  /** The loader would fail here. */
  | { error: string };

/** Options of {@link runPickle}. */
export interface PickleRunOptions {
  /** First byte of the first stream (default 0). */
  start?: number;
  /** End of the analysed span, exclusive (default: the source size). */
  end?: number;
  /** Limits (defaults {@link DEFAULT_PICKLE_LIMITS}). */
  limits?: Partial<PickleLimits>;
  /**
   * Called for PERSID/BINPERSID with the persistent id, as the loader's
   * `persistent_load` would be (torch uses it for storages). Whatever it
   * returns replaces the symbolic result; it must not throw.
   */
  persistentLoad?: (pid: PickleValue, offset: number) => PickleValue | undefined;
  /** Called after every BUILD with the built object and its state. */
  afterBuild?: (target: PickleValue, state: PickleValue, offset: number) => BuildAction | undefined;
  /** Keep reading streams after STOP (default true): `pickle.load` called again, legacy torch, joblib. */
  multiStream?: boolean;
  /** Scan past a broken stream for the start of another one (default true). */
  resync?: boolean;
  /** Bytes fetched per refill (default 1 MiB). */
  chunkSize?: number;
  /** Stops the run early (then reported as the `signal` limit). */
  signal?: AbortSignal;
}
