import {
  DEFAULT_LIMITS,
  type AnalyzerContext,
  type ArtifactFacts,
  type ComponentRecord,
  type FileReference,
  type FindingInput,
  type ImportRecord,
  type Limits,
  type NestedArtifact,
} from "@modelward/core";

/** Everything an analyzer did through a {@link recordingContext}. */
export interface Recording {
  findings: FindingInput[];
  /** Members handed back: read whole, except raw data (recorded with its reason, never read, as the engine does). */
  nested: { name: string; bytes: Uint8Array; key?: string; rawData?: string }[];
  facts: ArtifactFacts;
  imports: ImportRecord[];
  components: ComponentRecord[];
  /** Files of the target the artifact said it opens (checked by the engine in a real scan). */
  references: FileReference[];
  incomplete: string[];
}

/**
 * A bare {@link AnalyzerContext} that records what the analyzer reports,
 * for unit tests of one analyzer without the engine. Nested members are
 * read whole and recorded, not dispatched (use AnalyzerTester for that).
 */
export function recordingContext<O>(
  options: { options?: O; limits?: Partial<Limits>; policies?: Record<string, unknown[]> } = {},
): { ctx: AnalyzerContext<O>; recording: Recording } {
  const recording: Recording = { findings: [], nested: [], facts: {}, imports: [], components: [], references: [], incomplete: [] };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let remaining = limits.maxExpandedBytes;
  const ctx: AnalyzerContext<O> = {
    options: options.options as O,
    limits,
    expansion: {
      get remaining() {
        return remaining;
      },
      take: (bytes) => (bytes >= 0 && bytes <= remaining ? ((remaining -= bytes), true) : false),
    },
    signal: new AbortController().signal,
    policies: (ns) => options.policies?.[ns] ?? [],
    report: (f: FindingInput) => void recording.findings.push(f),
    scanNested: async (m: NestedArtifact) => {
      const where = { ...(m.key !== undefined ? { key: m.key } : {}), ...(m.rawData !== undefined ? { rawData: m.rawData } : {}) };
      recording.nested.push({ name: m.name, bytes: m.rawData !== undefined ? new Uint8Array(0) : await m.read(0, m.size), ...where });
    },
    describe: (facts) => {
      recording.facts = {
        ...recording.facts,
        ...facts,
        properties: { ...recording.facts.properties, ...facts.properties },
      };
    },
    recordImport: (r) => void recording.imports.push(r),
    recordComponent: (c) => void recording.components.push(c),
    recordReference: (r) => void recording.references.push(r),
    incomplete: (reason) => void recording.incomplete.push(reason),
  };
  return { ctx, recording };
}
