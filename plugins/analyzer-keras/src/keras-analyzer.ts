import type { Analyzer } from "@modelward/core";
import { analyzerFromHandlers, type FormatHandler } from "@modelward/plugin-kit";
import { kerasConfigHandler } from "./config-handler.js";
import { hdf5Handler } from "./hdf5-handler.js";
import { kerasZipHandler } from "./keras-zip-handler.js";
import { ALL_RULES } from "./rules.js";

const HANDLERS: readonly FormatHandler[] = [kerasConfigHandler, kerasZipHandler, hdf5Handler];

/**
 * The Keras analyzer, by content: Keras configs as JSON documents (a `.keras`
 * archive's `config.json`, `model.to_json()` output, SavedModel Keras
 * metadata handed over by the TensorFlow analyzer) walked whole, and `.keras`
 * archives at container level.
 */
export const kerasAnalyzer: Analyzer = analyzerFromHandlers({
  id: "keras",
  version: 1,
  description: "Keras 3 .keras archives, Keras 2 HDF5 files and Keras configs: every object Keras would import or call, Lambda code, TFSMLayer paths, embedded torch modules.",
  formats: ["keras"],
  rules: ALL_RULES,
  handlers: HANDLERS,
});
