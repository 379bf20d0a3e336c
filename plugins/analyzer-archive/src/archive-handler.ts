import type { AnalyzerContext, FileRef, FormatId, ModelFile } from "@modelward/core";

/**
 * One archive format inside the `archive` analyzer. The engine wants every
 * rule declared by exactly one analyzer, and the formats share most rules
 * (traversal, links, bombs…), so they are handlers of one analyzer rather
 * than analyzers of their own.
 */
export interface ArchiveHandler {
  /** The formats it reads. */
  formats: FormatId[];
  /** Cheap content check on the head (and tail) bytes; never throws. */
  match(file: FileRef, head: Uint8Array, tail: Uint8Array): boolean;
  /** Analyze the archive, handing members to `ctx.scanNested`; never throws on bad input. */
  analyze(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<void>;
}
