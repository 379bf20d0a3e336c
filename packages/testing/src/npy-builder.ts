/** Options of {@link npyFile}. */
export interface NpyOptions {
  /** dtype descr as numpy writes it (`<f8`, `|O`, `<i4`). */
  descr: string;
  /** Array shape. */
  shape: number[];
  /** Bytes after the header: raw array data, or the pickle of an object array. */
  data: Uint8Array;
  /** Format version 1 (2-byte header length) or 2/3 (4-byte). Default 1. */
  version?: 1 | 2 | 3;
  /** Writes this header length instead of the real one (a lying length field). */
  headerLengthOverride?: number;
}

const te = new TextEncoder();

/**
 * A .npy file laid out as numpy.lib.format writes it: magic, version, header
 * length, a Python dict literal padded with spaces to a 64-byte boundary and
 * ending in a newline, then the data.
 */
export function npyFile(o: NpyOptions): Uint8Array {
  const version = o.version ?? 1;
  const shape = o.shape.length === 1 ? `(${o.shape[0]},)` : `(${o.shape.join(", ")})`;
  let dict = `{'descr': '${o.descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - prefix - 1, " ") + "\n";
  const header = te.encode(dict);
  const out = new Uint8Array(prefix + header.length + o.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const len = o.headerLengthOverride ?? header.length;
  if (version === 1) new DataView(out.buffer).setUint16(8, len, true);
  else new DataView(out.buffer).setUint32(8, len, true);
  out.set(header, prefix);
  out.set(o.data, prefix + header.length);
  return out;
}
