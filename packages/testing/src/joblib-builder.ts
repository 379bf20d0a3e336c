import { PickleBuilder } from "./pickle-builder.js";

/** Options of {@link joblibArray}. */
export interface JoblibArrayOptions {
  /** numpy dtype string as its reduction writes it (`f8`, `i4`, `O8`). */
  dtype: string;
  /** Array shape. */
  shape: number[];
  /** Raw array bytes, or for `O8` the nested pickle joblib writes. */
  data: Uint8Array;
  /** Write joblib ≥ 1.2's alignment padding (one length byte + padding) before the data. */
  alignment?: boolean;
}

/**
 * Appends a numpy array the way joblib's NumpyPickler writes it: a
 * `joblib.numpy_pickle.NumpyArrayWrapper` built with NEWOBJ + BUILD of its
 * state dict, then (outside any frame) the raw array bytes or, for object
 * arrays, a whole nested pickle; the outer pickle then resumes.
 */
export function joblibArray(b: PickleBuilder, o: JoblibArrayOptions): PickleBuilder {
  b.stackGlobalOf("joblib.numpy_pickle", "NumpyArrayWrapper").emptyTuple().newObj();
  b.emptyDict().mark();
  b.shortBinUnicode("subclass").stackGlobalOf("numpy", "ndarray");
  b.shortBinUnicode("shape").mark();
  for (const n of o.shape) b.binInt(n);
  b.tuple();
  b.shortBinUnicode("order").shortBinUnicode("C");
  b.shortBinUnicode("dtype").stackGlobalOf("numpy", "dtype").shortBinUnicode(o.dtype).bool(false).bool(true).tupleN(3).reduce();
  b.mark().binInt(3).shortBinUnicode("<").none().none().none().binInt(-1).binInt(-1).binInt(0).tuple().buildOp();
  b.shortBinUnicode("allow_mmap").bool(false);
  if (o.alignment) b.shortBinUnicode("numpy_array_alignment_bytes").binInt(16);
  b.setItems().buildOp();
  if (o.alignment) b.raw([3, 0, 0, 0]);
  return b.raw(o.data);
}
