import type { ByteSource } from "@modelward/core";
import { runPickle, type PickleLimits } from "@modelward/pickle";

/**
 * Whether the bytes of a value that merely *starts* like a pickle (`\x80\x03`,
 * `gAN…`) and that nothing in the stream hands to a loader are a pickle at
 * all. NumPy array data is pickled as one bytes value (`_reconstruct` state),
 * and one float array in 65,536 starts with PROTO 2–5: those bytes are copied
 * into the array's buffer, never unpickled, and they fail a few opcodes in.
 *
 * Read as `pickle.loads` would (one stream, no resync): a pickle when its
 * first stream imports, calls or embeds something (a payload runs before any
 * later failure, so a hidden pickle broken after its payload still counts),
 * when it ends exactly at the end of the value, or when a limit stopped the
 * reading (what lies beyond is unknown). Anything else fails, or stops early
 * on a lone value, before importing or calling anything.
 */
export async function embeddedIsPickle(bytes: ByteSource, limits: Partial<PickleLimits>, signal?: AbortSignal): Promise<boolean> {
  const r = await runPickle(bytes, { multiStream: false, resync: false, limits, ...(signal ? { signal } : {}) });
  if (r.limitsHit.length > 0) return true;
  const acts = r.globals.length > 0 || r.calls.length > 0 || r.embedded.length > 0 || r.persistentIds > 0 || r.extensions.length > 0;
  if (acts) return true;
  const first = r.streams[0];
  return first !== undefined && first.complete && r.errors.length === 0 && first.end === bytes.size;
}
