import type { Analyzer, AnalyzerContext, FileRef, FormatId, ModelFile, RuleMeta } from "@modelward/core";

/**
 * One format inside a multi-format analyzer (zip/tar/7z in the archive
 * analyzer; torch zip/legacy/tar in the PyTorch one). Formats that share
 * rules are handlers of one analyzer, so each rule has one declaration.
 */
export interface FormatHandler {
  /** Formats it reads. */
  formats?: FormatId[];
  /** Same contract as `Analyzer.match`: synchronous, no I/O, never throws. */
  match(file: FileRef, head: Uint8Array, tail: Uint8Array): boolean;
  /** Analyzes a file `match` accepted; never throws on bad input. */
  analyze(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<void>;
}

/** What {@link analyzerFromHandlers} builds an analyzer from. */
export interface HandlerAnalyzerSpec {
  id: string;
  version: number;
  description: string;
  /** Formats of the analyzer (default: the union of the handlers'). */
  formats?: FormatId[];
  rules: RuleMeta[];
  /** Tried in order; the first whose `match` accepts the file analyzes it. */
  handlers: readonly FormatHandler[];
}

/**
 * An analyzer that matches when any handler does and gives the file to the
 * first handler that matches. If none matches at analysis time (the head and
 * tail are read again, so this only happens when the file changed or a
 * handler's match is inconsistent), the file is reported incomplete, never passed.
 */
export function analyzerFromHandlers(spec: HandlerAnalyzerSpec): Analyzer {
  const { handlers } = spec;
  return {
    id: spec.id,
    version: spec.version,
    description: spec.description,
    formats: spec.formats ?? [...new Set(handlers.flatMap((h) => h.formats ?? []))],
    rules: spec.rules,
    match: (file, head, tail) => handlers.some((h) => h.match(file, head, tail)),
    async analyze(file, ctx) {
      const n = Math.min(file.size, ctx.limits.headBytes);
      const head = await file.read(0, n);
      const tail = file.size <= n ? head : await file.read(file.size - n, file.size);
      const handler = handlers.find((h) => h.match(file, head, tail));
      if (!handler) {
        ctx.incomplete(`${spec.id}: the content matches none of the formats this analyzer reads`);
        return;
      }
      await handler.analyze(file, ctx);
    },
  };
}
