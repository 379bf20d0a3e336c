import type { FormatHandler } from "@modelward/plugin-kit";
import { checkConfigSource } from "./config-document.js";

// Signs that a JSON document is a Keras-serialized object: Keras 3 `module` values,
// `model.to_json()`'s keras_version, SavedModel keras_metadata node fields, a model class at the top.
const KERAS_SIGNS = /"module"\s*:\s*"(keras|tf_keras)|"keras_version"\s*:|"expects_training_arg"\s*:|"must_restore_from_config"\s*:|^\s*\{\s*"class_name"\s*:\s*"(Sequential|Functional|Model)"/;

/**
 * A Keras config as a JSON document: `config.json` of a `.keras` archive (the
 * archive analyzer hands members to the engine), a `model.to_json()` file, or a
 * SavedModel keras_metadata node the TensorFlow analyzer hands over. A
 * `config.json` with a `class_name` is always taken, because Keras
 * deserializes it whatever else it holds (a `subprocess.Popen` at the top).
 */
export const kerasConfigHandler: FormatHandler = {
  formats: ["keras"],
  match(file, head) {
    const start = head.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    if (start < 0 || head[start] !== 0x7b) return false;
    const text = Buffer.from(head.subarray(start, Math.min(head.length, start + 64 * 1024))).toString("utf8");
    // The Keras metadata of a SavedModel, gathered by the TensorFlow analyzer: Keras configs by construction.
    if (file.name === "keras_metadata.json" && file.depth > 0) return true;
    if (!/"class_name"\s*:/.test(text)) return false;
    return file.name === "config.json" || KERAS_SIGNS.test(text);
  },
  async analyze(file, ctx) {
    const summary = await checkConfigSource(file, ctx, file.name);
    ctx.describe({
      format: "keras",
      framework: "keras",
      properties: { kerasConfig: true, ...(summary ? { objects: summary.objects, lambdas: summary.lambdas, ...(summary.topClass ? { modelClass: summary.topClass } : {}) } : {}) },
    });
  },
};
