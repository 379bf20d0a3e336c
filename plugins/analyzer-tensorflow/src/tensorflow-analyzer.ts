import type { Analyzer } from "@modelward/core";
import { analyzerFromHandlers, type FormatHandler } from "@modelward/plugin-kit";
import { checkpointHandler } from "./checkpoint-handler.js";
import { fingerprintHandler } from "./fingerprint-handler.js";
import { kerasMetadataHandler } from "./keras-metadata-handler.js";
import { ALL_RULES } from "./rules.js";
import { savedModelHandler } from "./saved-model-handler.js";

// By name first for the SavedModel side files, then by content.
const HANDLERS: readonly FormatHandler[] = [kerasMetadataHandler, fingerprintHandler, savedModelHandler, checkpointHandler];

/**
 * The TensorFlow analyzer: SavedModel `saved_model.pb` and frozen GraphDef
 * files (ops of the main graph and of every library function), the
 * SavedModel's `keras_metadata.pb` (handed to the Keras analyzer as JSON) and
 * `fingerprint.pb`.
 */
export const tensorflowAnalyzer: Analyzer = analyzerFromHandlers({
  id: "tensorflow",
  version: 1,
  description: "TensorFlow SavedModel and GraphDef: Python callbacks, file and network ops (with constant paths) in the graph and every library function, unknown ops, Keras metadata.",
  formats: ["tensorflow"],
  rules: ALL_RULES,
  handlers: HANDLERS,
});
