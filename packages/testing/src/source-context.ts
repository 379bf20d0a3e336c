import { DEFAULT_LIMITS, type Limits, type SourceContext, type SourceSkip } from "@modelward/core";

/** A SourceContext for source tests, recording what the source skipped or could not read. */
export interface TestSourceContext<O> {
  ctx: SourceContext<O>;
  skips: SourceSkip[];
  incomplete: SourceSkip[];
  /** Aborts the context's signal. */
  abort(): void;
}

/** A context with `options`, the default limits (overridable), and nothing ignored unless listed. */
export function testSourceContext<O>(options: O, o: { limits?: Partial<Limits>; ignored?: string[] } = {}): TestSourceContext<O> {
  const skips: SourceSkip[] = [];
  const incomplete: SourceSkip[] = [];
  const controller = new AbortController();
  return {
    skips,
    incomplete,
    abort: () => controller.abort(),
    ctx: {
      options,
      limits: { ...DEFAULT_LIMITS, ...o.limits },
      signal: controller.signal,
      skip: (s) => void skips.push(s),
      incomplete: (s) => void incomplete.push(s),
      isIgnored: (p) => o.ignored?.includes(p) ?? false,
    },
  };
}
