/** Thrown by cursors and readers when the data ends before a structure does. */
export class TruncatedError extends Error {
  constructor(
    /** What was being read. */
    readonly what: string,
    /** Offset where it was expected. */
    readonly offset: number,
  ) {
    super(`truncated: ${what} at byte ${offset}`);
    this.name = "TruncatedError";
  }
}

/** Thrown when a length, count or offset from the file exceeds a limit or the file. */
export class LimitExceededError extends Error {
  constructor(
    /** Which value. */
    readonly what: string,
    /** The value the file declared. */
    readonly value: bigint | number,
    /** The bound it broke. */
    readonly limit: bigint | number,
  ) {
    super(`${what} ${value} exceeds ${limit}`);
    this.name = "LimitExceededError";
  }
}

/**
 * Converts a length/offset read from untrusted bytes (possibly a 64-bit
 * BigInt) to a safe number, throwing if it is negative or above `max`.
 * Use it before every allocation or loop bound that the file decides.
 */
export function checkedSize(what: string, value: bigint | number, max: number): number {
  const big = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
  if (typeof value === "number" && !Number.isSafeInteger(value)) throw new LimitExceededError(what, value, max);
  if (big < 0n || big > BigInt(max)) throw new LimitExceededError(what, value, max);
  return Number(big);
}

/** True when `[offset, offset + length)` lies inside `[0, size)`, computed in BigInt. */
export function spanFits(offset: bigint | number, length: bigint | number, size: bigint | number): boolean {
  const o = BigInt(offset);
  const l = BigInt(length);
  return o >= 0n && l >= 0n && o + l <= BigInt(size);
}
