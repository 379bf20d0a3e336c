import { TruncatedError } from "./bounds.js";

/**
 * A bounds-checked little/big-endian reader over a byte array. Every read
 * checks the remaining length first and throws {@link TruncatedError}
 * instead of reading past the end; 64-bit fields come back as BigInt.
 */
export class BinaryCursor {
  private readonly view: DataView;
  /** Current offset in `bytes`. */
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    /** Added to offsets in error messages, when `bytes` is a window of a larger file. */
    readonly baseOffset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  /** Bytes left after the current offset. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.offset + n > this.bytes.length) throw new TruncatedError(what, this.baseOffset + this.offset);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(what = "u8"): number {
    return this.view.getUint8(this.need(1, what));
  }
  u16(what = "u16", littleEndian = true): number {
    return this.view.getUint16(this.need(2, what), littleEndian);
  }
  u32(what = "u32", littleEndian = true): number {
    return this.view.getUint32(this.need(4, what), littleEndian);
  }
  i32(what = "i32", littleEndian = true): number {
    return this.view.getInt32(this.need(4, what), littleEndian);
  }
  u64(what = "u64", littleEndian = true): bigint {
    return this.view.getBigUint64(this.need(8, what), littleEndian);
  }
  i64(what = "i64", littleEndian = true): bigint {
    return this.view.getBigInt64(this.need(8, what), littleEndian);
  }
  f32(what = "f32", littleEndian = true): number {
    return this.view.getFloat32(this.need(4, what), littleEndian);
  }
  f64(what = "f64", littleEndian = true): number {
    return this.view.getFloat64(this.need(8, what), littleEndian);
  }
  /** A view (not a copy) of the next `n` bytes. */
  bytesView(n: number, what = "bytes"): Uint8Array {
    const at = this.need(n, what);
    return this.bytes.subarray(at, at + n);
  }
  /** Skip `n` bytes. */
  skip(n: number, what = "skip"): void {
    this.need(n, what);
  }
}
