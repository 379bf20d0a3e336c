import type { AnalyzerContext, FileRef, ModelFile } from "@modelward/core";

/** One PyTorch layout the analyzer reads: a cheap content match and the analysis. */
export interface TorchHandler {
  /** Same contract as `Analyzer.match`: synchronous, no I/O, never throws. */
  match(file: FileRef, head: Uint8Array, tail: Uint8Array): boolean;
  /** Analyzes a file `match` accepted. */
  analyze(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<void>;
}
