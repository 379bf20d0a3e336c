import type { OptionsSchema } from "./options-schema.js";
import type { FileRef, ModelFile, NestedArtifact } from "./file.js";
import type { FindingInput, PositionInFile } from "./finding.js";
import type { Limits } from "./limits.js";
import type { RuleMeta } from "./rule.js";

/**
 * Format ids analyzers declare and report. Well-known ids are listed for
 * autocompletion; a third-party analyzer may use its own (kebab-case).
 */
export type FormatId =
  | "pickle"
  | "joblib"
  | "numpy"
  | "pytorch"
  | "torchscript"
  | "zip"
  | "tar"
  | "gzip"
  | "bzip2"
  | "xz"
  | "7z"
  | "keras"
  | "hdf5"
  | "tensorflow"
  | "onnx"
  | "gguf"
  | "safetensors"
  | "notebook"
  | "python"
  | "requirements"
  | "json"
  | (string & {});

/** How safe a referenced import, call, op or layer is judged to be. */
export type ImportSafety = "dangerous" | "unknown" | "safe";

/**
 * Something the artifact would import, call or instantiate when loaded: the
 * platform's "unsafe dependencies" per file (`os.system`, TF op `WriteFile`, Keras layer `Lambda`).
 */
export interface ImportRecord {
  /** What kind of reference: a pickle global, a call, a graph op, a layer class, a code module. */
  kind: "global" | "call" | "op" | "layer" | "module";
  /** Fully qualified name, `os.system`, `tensorflow/WriteFile`, `keras.layers.Lambda`. */
  name: string;
  /** Judgement from the policy. */
  safety: ImportSafety;
}

/**
 * Another file of the same target that the artifact opens when it is loaded: an
 * external-data file, a checkpoint data shard, a safetensors shard, a code module.
 * The engine checks it once the whole target is listed (a scan-level check): the
 * file must be there, beside the artifact, long enough, and not a symlink out of the
 * artifact's folder. Only top-level files of a folder target are checked (a single
 * file scanned alone has no siblings to judge).
 */
export interface FileReference {
  /** What the artifact needs it for, in a few words: `external data of tensor w`, `data shard 1 of 2`. */
  role: string;
  /**
   * The path as the artifact resolves it, relative to the artifact's folder, `/`-separated.
   * Analyzers report paths that climb out (`..`, absolute, URLs) themselves and do not record them.
   */
  path: string;
  /** The artifact reads the first `minSize` bytes of that file (decimal, up to 64 bits): a shorter file is reported. */
  minSize?: string;
  /** The file must be analysed too (a shard with its own header): a skipped or ignored file leaves the artifact incomplete. */
  mustBeAnalysed?: boolean;
  /** Rules reported on the referring artifact. */
  rules: {
    /** The file is not in the target. */
    missing: string;
    /** The file is a symlink whose real path is outside the artifact's folder (the loader follows it). */
    outside?: string;
    /** The file is shorter than `minSize`. */
    short?: string;
  };
  /** Where in the artifact the reference is written. */
  position?: PositionInFile;
}

/** A software component the artifact declares or needs (for the SBOM). */
export interface ComponentRecord {
  /** `library` for packages, `framework` for the ML framework a model is for. */
  type: "library" | "framework";
  /** Package name as the ecosystem spells it. */
  name: string;
  /** Version or version range as written. */
  version?: string;
  /** Package URL (`pkg:pypi/torch@2.1.0`). */
  purl?: string;
  /** Where the artifact declares it: 1-based line (in the cell, when `cell` is set). */
  declaredAt?: { line: number; cell?: number };
  /**
   * How it was declared: the manifest kind (`requirements`, `pyproject`, `poetry-lock`,
   * `conda`, `notebook-install`, `notebook-import` …).
   */
  via?: string;
  /** Known advisories that affect the declared version (or that the declared range admits). */
  advisories?: ComponentAdvisory[];
}

/** A published advisory against a component (PyPA / OSV id, aliases such as CVE and GHSA ids). */
export interface ComponentAdvisory {
  /** The advisory id, e.g. `PYSEC-2022-43015` or `GHSA-…`. */
  id: string;
  /** Other ids of the same advisory (CVE, GHSA). */
  aliases: string[];
  /** Versions that fix it (the lowest fixed version of each affected range). */
  fixed: string[];
}

/** Facts about an artifact for reports and the ML-BOM (model card facts). */
export interface ArtifactFacts {
  /** The format the analyzer recognised, e.g. `pickle`, `pytorch`. */
  format?: FormatId;
  /** The ML framework the artifact is for, e.g. `pytorch`, `keras`. */
  framework?: string;
  /** Extra facts: tensor count, parameter count, opset, architecture… */
  properties?: Record<string, string | number | boolean>;
  /**
   * The artifact is the root of a model made of several files of its folder (a
   * SavedModel's `saved_model.pb`): the files its layout names belong to that model,
   * and the report judges them together (see `ScanReport.models`).
   */
  model?: ModelLayout;
}

/** The files of a multi-file model, as its root artifact declares them. */
export interface ModelLayout {
  /** What the model is, e.g. `TensorFlow SavedModel`. */
  kind: string;
  /** Paths relative to the root artifact's folder that belong to the model; a trailing `/` takes a whole folder. */
  parts: string[];
}

/**
 * Decompressed bytes that all analyses under one top-level file may still
 * produce. It starts at `limits.maxExpandedBytes` for each top-level file and is
 * shared by every nested analysis of it, so a bomb spread over many members or
 * levels is bounded as a whole.
 */
export interface ExpansionBudget {
  /** Bytes still allowed. */
  readonly remaining: number;
  /** Take `bytes` from the budget: true when granted, false (taking nothing) when fewer remain. */
  take(bytes: number): boolean;
}

/** What an analyzer can do while it runs. All methods are safe to call any number of times. */
export interface AnalyzerContext<O = unknown> {
  /** The analyzer's options from the config (validated by the analyzer). */
  readonly options: O;
  /** Engine limits in force. */
  readonly limits: Limits;
  /** Aborted when the analyzer's time limit passes or the scan is cancelled; stop promptly. */
  readonly signal: AbortSignal;
  /** The decompression budget of the top-level file this artifact belongs to. */
  readonly expansion: ExpansionBudget;
  /**
   * The policy data every loaded ruleset provides under `namespace`
   * (e.g. `pickle`), in config order. The analyzer validates and merges it.
   */
  policies(namespace: string): readonly unknown[];
  /** Report a finding. `ruleId` must be one the analyzer or a loaded ruleset declares. */
  report(finding: FindingInput): void;
  /**
   * Hand a member back to the engine, which sniffs and dispatches it like any
   * file, with the container chain recorded. Resolves when it has been analyzed;
   * never rejects (failures become findings or incomplete entries of the member).
   */
  scanNested(member: NestedArtifact): Promise<void>;
  /** Record facts about the artifact (merged with earlier calls). */
  describe(facts: ArtifactFacts): void;
  /** Record an import, call, op or layer the artifact would resolve when loaded. */
  recordImport(record: ImportRecord): void;
  /** Record a software component the artifact declares (SBOM). */
  recordComponent(component: ComponentRecord): void;
  /** Record another file of the target that the artifact opens when loaded, for the engine's scan-level check. */
  recordReference(reference: FileReference): void;
  /**
   * Say that part of the artifact was not analyzed (a region skipped, a member
   * not opened, a limit hit). The file is then reported incomplete: never a silent pass.
   */
  incomplete(reason: string): void;
}

/**
 * Reads one kind of artifact and reports what it would do when loaded.
 * Analyzers never throw on bad input: malformed content is a finding. A throw
 * is still caught by the engine and recorded as an incomplete analysis.
 */
export interface Analyzer<O = unknown> {
  /** Unique id, kebab-case (`pickle`); config refers to it as `<plugin namespace>/<id>` or `<id>`. */
  id: string;
  /** Bumped when the analyzer's results can change for the same input. */
  version: number;
  /** One line saying what it reads. */
  description: string;
  /** Formats it recognises. */
  formats: FormatId[];
  /** Every rule it may report. */
  rules: RuleMeta[];
  /**
   * The options it takes (`analyzers.<id>.options` in a config), validated by the engine when
   * the config loads: a wrong type or an unknown key is a config error. Without a schema the
   * analyzer takes no options, and giving it some is a config error.
   */
  optionsSchema?: OptionsSchema;
  /**
   * Validators of the policy data it reads (`ctx.policies(namespace)`), by namespace: each
   * checks one ruleset's data and returns its problems as sentences (empty when valid). The
   * engine runs them on rulesets a config supplies as objects or JSON files, when it loads.
   */
  policyValidators?: Record<string, (data: unknown) => string[]>;
  /**
   * Cheap, synchronous, no I/O, never throws: does this artifact look like
   * ours? Decide by content first; the extension is only a hint.
   * @param head the first bytes of the artifact (up to `limits.headBytes`)
   * @param tail the last bytes of the artifact (up to `limits.headBytes`)
   */
  match(file: FileRef, head: Uint8Array, tail: Uint8Array): boolean;
  /** Analyze the artifact, reporting through `ctx`. */
  analyze(file: ModelFile, ctx: AnalyzerContext<O>): Promise<void>;
}
