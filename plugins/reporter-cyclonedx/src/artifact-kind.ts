import type { FileReport } from "@modelward/core";

/**
 * Formats whose artifacts are models (weights, graphs or serialised model
 * objects). A pickle or joblib file is counted as a model: in an ML tree
 * that is what it almost always holds, and it is exactly what the scan is about.
 */
export const MODEL_FORMATS: ReadonlySet<string> = new Set([
  "pickle",
  "joblib",
  "numpy",
  "pytorch",
  "torchscript",
  "keras",
  "hdf5",
  "tensorflow",
  "onnx",
  "gguf",
  "safetensors",
]);

/** True when an analyzer recognised the artifact as a model format. */
export function isModel(file: FileReport): boolean {
  return file.format !== undefined && MODEL_FORMATS.has(file.format);
}

/**
 * Whether an artifact gets a component of its own: every model, and any other
 * artifact that has something to say (findings, declared packages, imports) or
 * whose analysis did not finish. Skipped files with nothing to say are left
 * out of the BOM (they are counted in the metadata).
 */
export function deservesComponent(file: FileReport): boolean {
  return (
    isModel(file) ||
    file.findings.length > 0 ||
    file.components.length > 0 ||
    file.imports.length > 0 ||
    file.status === "incomplete"
  );
}
