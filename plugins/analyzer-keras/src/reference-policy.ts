import { KERAS_CLASSES, KERAS_FUNCTIONS, isKerasModule } from "./keras-names.js";

/** How a reference found in a config is judged. */
export type Verdict =
  | { kind: "dangerous"; why: string }
  | { kind: "gadget"; why: string; severity: "high" | "critical" }
  | { kind: "unknown-module" }
  | { kind: "custom" }
  | { kind: "safe" };

// Modules whose import or whose callables run commands, code, file or network operations
// (the pickle denylist's modules, as Keras imports `module` the way pickle imports globals).
const DANGEROUS_MODULES =
  /^(os|posix|nt|subprocess|builtins|__builtin__|sys|shutil|socket|pty|runpy|importlib|ctypes|pickle|_pickle|cPickle|dill|marshal|code|codeop|commands|webbrowser|http|urllib|urllib2|requests|httpx|ftplib|smtplib|telnetlib|pathlib|io|_io|tempfile|multiprocessing|asyncio|signal|platform|pydoc|timeit|cProfile|profile|pdb|bdb|trace|sqlite3|zipimport|imp|pip|setuptools|distutils|types|functools|operator|joblib|torch|numpy\.lib|numpy\.f2py|tensorflow\.io|tensorflow\.python\.ops\.gen_io_ops|tensorflow\.python\.ops\.script_ops|tensorflow\.compat\.v1\.io)(\.|$)/;

// Keras functions that load, write or download: reachable under safe_mode, so the known
// bypasses of its allow-list. `enable_unsafe_deserialization` turns safe_mode off (CVE-2025-9906).
const KERAS_GADGETS: Record<string, { why: string; severity: "high" | "critical" }> = {
  enable_unsafe_deserialization: { why: "turns off safe_mode for the rest of the load (CVE-2025-9906)", severity: "critical" },
  get_file: { why: "downloads a file from a URL the config chooses (CVE-2025-8747)", severity: "high" },
  load_model: { why: "loads another model from a path the config chooses", severity: "high" },
  save_model: { why: "writes a model file to a path the config chooses", severity: "high" },
  load_weights: { why: "reads weights from a path the config chooses", severity: "high" },
  save_weights: { why: "writes a file to a path the config chooses", severity: "high" },
  plot_model: { why: "writes an image file (and runs pydot/graphviz) at a path the config chooses", severity: "high" },
  model_to_dot: { why: "runs pydot/graphviz", severity: "high" },
  plot_image_gallery: { why: "writes files under safe_mode (public Keras function as a Lambda target)", severity: "high" },
  plot_bounding_box_gallery: { why: "writes files under safe_mode", severity: "high" },
  plot_segmentation_mask_gallery: { why: "writes files under safe_mode", severity: "high" },
  draw_bounding_boxes: { why: "a visualization helper with file side effects", severity: "high" },
  image_dataset_from_directory: { why: "reads a directory the config chooses", severity: "high" },
  text_dataset_from_directory: { why: "reads a directory the config chooses", severity: "high" },
  audio_dataset_from_directory: { why: "reads a directory the config chooses", severity: "high" },
  load_img: { why: "reads a file the config chooses", severity: "high" },
  save_img: { why: "writes a file the config chooses", severity: "high" },
  array_to_img: { why: "image helper outside the model's computation", severity: "high" },
  get_source_inputs: { why: "not a model component", severity: "high" },
  deserialize_keras_object: { why: "deserializes a nested object outside the normal walk", severity: "high" },
  export_saved_model: { why: "writes a SavedModel to a path the config chooses", severity: "high" },
  py_function: { why: "wraps an arbitrary Python function", severity: "critical" },
  numpy_function: { why: "wraps an arbitrary Python function", severity: "critical" },
  py_func: { why: "wraps an arbitrary Python function", severity: "critical" },
};

/** Gadget description of a function or class name, if it is one. */
export function gadgetOf(name: string): { why: string; severity: "high" | "critical" } | undefined {
  return Object.hasOwn(KERAS_GADGETS, name) ? KERAS_GADGETS[name] : undefined;
}

/** Whether a module path is one whose import or callables are known dangerous. */
export function isDangerousModule(module: string): boolean {
  return DANGEROUS_MODULES.test(module);
}

/**
 * Judges one reference: `module` (may be empty: Keras 2 resolves `class_name`
 * through its registry), `name` (class or function name), and whether it is a
 * function reference (`class_name: "function"`, a Lambda target).
 */
export function judgeReference(module: string, rawName: string, isFunction: boolean): Verdict {
  // tf.keras ≥ 2.11 writes its own optimizers as "Custom>Adam" (the registration package it uses).
  const name = /^(Custom|keras|Keras)>/.test(rawName) && KERAS_CLASSES.has(rawName.slice(rawName.indexOf(">") + 1)) ? rawName.slice(rawName.indexOf(">") + 1) : rawName;
  const qualified = module ? `${module}.${name}` : name;
  if (module && isDangerousModule(module)) return { kind: "dangerous", why: `imports ${module} and resolves ${qualified}` };
  const gadget = gadgetOf(name);
  if (gadget) return { kind: "gadget", ...gadget };
  if (module && !isKerasModule(module)) return { kind: "unknown-module" };
  if (isFunction) return KERAS_FUNCTIONS.has(name) ? { kind: "safe" } : { kind: "gadget", why: "a Keras API function that is not an activation, loss or metric, called as a model component", severity: "high" };
  if (KERAS_CLASSES.has(name)) return { kind: "safe" };
  return { kind: "custom" };
}
