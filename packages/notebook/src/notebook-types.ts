/** One output of a code cell, as far as its text goes. */
export interface NotebookOutput {
  /** Position in the cell's `outputs` array. */
  index: number;
  /** `stream`, `execute_result`, `display_data`, `error` (v3: `pyout`, `pyerr`, …), or what the file says. */
  outputType: string;
  /** Stream name (`stdout`, `stderr`) for stream outputs. */
  name?: string;
  /** Stream text. */
  text?: string;
  /** Text-like MIME bundles (`text/plain`, `text/html`, `application/json` as JSON text, …); image, audio, video and PDF data are skipped. */
  data: Record<string, string>;
  /** Error outputs: exception name, value and the traceback lines joined with `\n`. */
  ename?: string;
  evalue?: string;
  traceback?: string;
  /** Execution count of an `execute_result`. */
  executionCount?: number | null;
}

/** One cell. */
export interface NotebookCell {
  /** Position in the notebook (over all worksheets for nbformat 3). */
  index: number;
  /** RFC 6901 pointer of the cell in the notebook JSON (`/cells/3`, v3: `/worksheets/0/cells/3`). */
  jsonPointer: string;
  /** `code`, `markdown`, `raw` (v3: `heading`), or what the file says. */
  cellType: string;
  /** The cell id (nbformat ≥ 4.5), if any. */
  id?: string;
  /** `execution_count` (v3: `prompt_number`); null when never run. */
  executionCount: number | null;
  /** The source, multi-line arrays joined as Jupyter joins them. */
  source: string;
  outputs: NotebookOutput[];
  /** Cell metadata as JSON text (bounded), when not empty. */
  metadata?: string;
  /** Names of attachments passed over without being read. */
  skippedAttachments: string[];
}

/** Something passed over on purpose without being read (binary payloads). */
export interface SkippedValue {
  /** RFC 6901 pointer of the value in the notebook JSON. */
  jsonPointer: string;
  /** Raw bytes of the value in the file. */
  bytes: number;
  /** Why: `image/png` output data, `attachment`, … */
  reason: string;
}

/** Something that made the read incomplete: a syntax error, a limit, a cut value. */
export interface NotebookProblem {
  kind: "syntax" | "limit" | "truncated" | "structure" | "io";
  message: string;
  /** Byte offset in the file, when known. */
  byteOffset?: number;
  jsonPointer?: string;
}

/** Bounds of one notebook read; hitting one is a {@link NotebookProblem}, never silent. */
export interface NotebookLimits {
  /** Most raw bytes kept of one string (a cell source, an output text); the rest is cut. */
  maxStringBytes: number;
  /** Most raw bytes of text kept over the whole notebook; past it text is cut. */
  maxTotalTextBytes: number;
  /** Most cells read. */
  maxCells: number;
  /** Most outputs read per cell. */
  maxOutputsPerCell: number;
  /** Most bytes of metadata JSON kept per metadata object. */
  maxMetadataBytes: number;
  /** Deepest JSON nesting accepted. */
  maxDepth: number;
  /** Most skipped values recorded in detail (the rest are counted). */
  maxSkippedRecords: number;
}

export const DEFAULT_NOTEBOOK_LIMITS: Readonly<NotebookLimits> = Object.freeze({
  // A cell source or a single output beyond 16 MiB is generated data, not something a person typed;
  // its first 16 MiB are still scanned.
  maxStringBytes: 16 * 1024 * 1024,
  // Text held in memory for the scan; binary payloads are skipped, so real notebooks stay far below.
  maxTotalTextBytes: 128 * 1024 * 1024,
  // Large real notebooks have hundreds of cells; 100k bounds the per-cell bookkeeping.
  maxCells: 100_000,
  // A training loop printing progress makes thousands of stream outputs; Jupyter merges consecutive ones.
  maxOutputsPerCell: 20_000,
  // Widget state in metadata can be megabytes; keep the first 1 MiB as text.
  maxMetadataBytes: 1024 * 1024,
  // nbformat is at most ~8 levels deep; JSON outputs and metadata may nest more.
  maxDepth: 128,
  maxSkippedRecords: 1000,
});

/** A notebook as far as it could be read. */
export interface Notebook {
  /** `nbformat` and `nbformat_minor`, when present. */
  nbformat?: number;
  nbformatMinor?: number;
  /** Kernel / language name from the metadata (`python3`, `python`), when present. */
  language?: string;
  /** Notebook metadata as JSON text (bounded), when not empty. */
  metadata?: string;
  cells: NotebookCell[];
}

/** The result of {@link readNotebook}: never throws for bad input. */
export interface NotebookReadResult {
  notebook: Notebook;
  /** Why the read is incomplete; empty when the whole file was read. */
  problems: NotebookProblem[];
  /** Binary payloads passed over (first `maxSkippedRecords`). */
  skipped: SkippedValue[];
  /** Count and bytes of all skipped values. */
  skippedCount: number;
  skippedBytes: number;
  /** Bytes read from the file. */
  bytesRead: number;
}
