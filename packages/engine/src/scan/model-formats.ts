/**
 * Formats that hold a model (or what a loader executes) and how to recognise
 * them without an analyzer. The engine consults this table only for a file no
 * loaded analyzer claimed: such a file is "not analysed", an incomplete
 * analysis, never skipped text. A format simply stops appearing here in
 * practice once an analyzer for it is loaded, because a claimed file never
 * reaches the table. Magic bytes decide first; an extension alone suffices only
 * where it is specific to models (`.bin` or `.pb` alone are too common).
 */
export interface ModelFormatSignature {
  /** Format name shown in the report. */
  format: string;
  /** Lower-case extensions (without the dot) that only model files use. */
  extensions?: readonly string[];
  /** Exact base names (lower case) that are model files whatever their extension. */
  names?: readonly string[];
  /** Byte signatures: `bytes` at `offset`. */
  magic?: readonly { offset: number; bytes: readonly number[] }[];
  /** A content test on the head, for formats without a fixed magic. */
  sniff?: (head: Uint8Array, size: number) => boolean;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** safetensors: u64 little-endian header length that fits the file, then a JSON object. */
function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const n = view.getBigUint64(0, true);
  return n > 1n && n <= BigInt(size - 8) && head[8] === 0x7b;
}

/** The table. Order matters only for the name shown when several match. */
export const MODEL_FORMATS: readonly ModelFormatSignature[] = [
  { format: "pickle", extensions: ["pkl", "pickle", "dill", "joblib"] },
  { format: "pytorch", extensions: ["pt", "pth", "ckpt", "pt2", "ptl"] },
  { format: "numpy", extensions: ["npy", "npz"], magic: [{ offset: 0, bytes: [0x93, ...ascii("NUMPY")] }] },
  { format: "safetensors", extensions: ["safetensors"], sniff: looksLikeSafetensors },
  { format: "gguf", extensions: ["gguf"], magic: [{ offset: 0, bytes: ascii("GGUF") }] },
  { format: "ggml", extensions: ["ggml"], magic: [{ offset: 0, bytes: ascii("lmgg") }, { offset: 0, bytes: ascii("tjgg") }, { offset: 0, bytes: ascii("fmgg") }] },
  { format: "keras", extensions: ["h5", "hdf5", "keras"], magic: [{ offset: 0, bytes: [0x89, ...ascii("HDF\r\n"), 0x1a, 0x0a] }, { offset: 512, bytes: [0x89, ...ascii("HDF\r\n"), 0x1a, 0x0a] }] },
  { format: "onnx", extensions: ["onnx", "ort"] },
  { format: "tensorflow", extensions: ["pb", "pbtxt"], names: ["saved_model.pb", "saved_model.pbtxt", "keras_metadata.pb", "fingerprint.pb"] },
  { format: "tflite", extensions: ["tflite", "lite"], magic: [{ offset: 4, bytes: ascii("TFL3") }] },
  { format: "notebook", extensions: ["ipynb"] },
  { format: "coreml", extensions: ["mlmodel"] },
  { format: "paddle", extensions: ["pdmodel", "pdparams", "pdiparams"] },
  { format: "mxnet", extensions: ["params"] },
  { format: "caffe", extensions: ["caffemodel"] },
  { format: "llamafile", extensions: ["llamafile"] },
  { format: "flax msgpack", extensions: ["msgpack"] },
];

/** What a file looks like: the model format and the evidence, or undefined. */
export function modelFormatOf(name: string, extension: string, head: Uint8Array, size: number): { format: string; by: string } | undefined {
  const lower = name.toLowerCase();
  for (const sig of MODEL_FORMATS) {
    if (sig.magic?.some((m) => m.offset + m.bytes.length <= head.length && m.bytes.every((b, i) => head[m.offset + i] === b)))
      return { format: sig.format, by: "magic bytes" };
    if (sig.sniff?.(head, size)) return { format: sig.format, by: "header layout" };
  }
  for (const sig of MODEL_FORMATS) {
    if (sig.names?.includes(lower)) return { format: sig.format, by: `file name ${name}` };
    if (extension && sig.extensions?.includes(extension)) return { format: sig.format, by: `extension .${extension}` };
  }
  return undefined;
}
