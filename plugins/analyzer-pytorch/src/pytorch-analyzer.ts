import type { Analyzer } from "@modelward/core";
import { torchLegacyHandler } from "./legacy-handler.js";
import { torchLegacyTarHandler } from "./legacy-tar-handler.js";
import { ALL_RULES } from "./rules.js";
import type { TorchHandler } from "./torch-handler.js";
import { torchZipHandler } from "./zip-handler.js";

// The legacy magic pickle and the tar header are exact signatures; the zip match needs the most context.
const HANDLERS: readonly TorchHandler[] = [torchLegacyHandler, torchLegacyTarHandler, torchZipHandler];

/**
 * The PyTorch analyzer, by content whatever the file is called: torch zip
 * checkpoints and TorchScript archives (container-level checks beside the
 * archive analyzer's dispatch of every member), legacy stacked-pickle files
 * (owned end to end: every stream handed back to the engine) and the
 * torch ≤ 0.1 tar layout.
 */
export const pytorchAnalyzer: Analyzer = {
  id: "pytorch",
  version: 1,
  description: "PyTorch checkpoints (zip, legacy stacked pickles, old tar), TorchScript and Lightning: layout as torch reads it, storages, hidden pickles, extra streams, TorchScript code.",
  formats: ["pytorch", "torchscript"],
  rules: ALL_RULES,
  match(file, head, tail) {
    return HANDLERS.some((h) => h.match(file, head, tail));
  },
  async analyze(file, ctx) {
    const n = Math.min(file.size, ctx.limits.headBytes);
    const head = await file.read(0, n);
    const tail = file.size <= n ? head : await file.read(file.size - n, file.size);
    const handler = HANDLERS.find((h) => h.match(file, head, tail));
    if (!handler) {
      ctx.incomplete("the content matches no PyTorch layout this analyzer reads");
      return;
    }
    await handler.analyze(file, ctx);
  },
};
