import type { Analyzer } from "@modelward/core";
import { analyzerFromHandlers, type FormatHandler } from "@modelward/plugin-kit";
import { torchLegacyHandler } from "./legacy-handler.js";
import { torchLegacyTarHandler } from "./legacy-tar-handler.js";
import { ALL_RULES } from "./rules.js";
import { torchZipHandler } from "./zip-handler.js";

// The legacy magic pickle and the tar header are exact signatures; the zip match needs the most context.
const HANDLERS: readonly FormatHandler[] = [torchLegacyHandler, torchLegacyTarHandler, torchZipHandler];

/**
 * The PyTorch analyzer, by content whatever the file is called: torch zip
 * checkpoints and TorchScript archives (container-level checks beside the
 * archive analyzer's dispatch of every member), legacy stacked-pickle files
 * (owned end to end: every stream handed back to the engine) and the
 * torch ≤ 0.1 tar layout.
 */
export const pytorchAnalyzer: Analyzer = analyzerFromHandlers({
  id: "pytorch",
  version: 1,
  description: "PyTorch checkpoints (zip, legacy stacked pickles, old tar), TorchScript and Lightning: layout as torch reads it, storages, hidden pickles, extra streams, TorchScript code.",
  formats: ["pytorch", "torchscript"],
  rules: ALL_RULES,
  handlers: HANDLERS,
});
