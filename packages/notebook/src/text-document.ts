import type { Notebook } from "./notebook-types.js";
import { pointerSegment } from "./read-notebook.js";

/** Where a piece of text came from. */
export interface TextOrigin {
  /** `file` for a plain text file; otherwise the part of a notebook. */
  part: "file" | "cell-source" | "cell-metadata" | "output" | "notebook-metadata";
  /** Cell index (0-based, as in the file). */
  cell?: number;
  /** The cell's execution count; null when it was never run. */
  executionCount?: number | null;
  cellType?: string;
  /** Output index within the cell. */
  outputIndex?: number;
  /** `stream:stdout`, `traceback`, or the MIME type of the output data (`text/plain`, `text/html`). */
  outputKind?: string;
  /** RFC 6901 pointer of the value in the notebook JSON. */
  jsonPointer?: string;
}

/** One piece of text with its origin. */
export interface TextSegment {
  text: string;
  origin: TextOrigin;
}

/** A position in a {@link TextDocument}: 1-based line and column (UTF-16 code units, as SARIF counts by default) within its segment. */
export interface TextPosition {
  segment: number;
  origin: TextOrigin;
  line: number;
  column: number;
}

/**
 * Text to scan, made of segments (a file, or a notebook's cell sources,
 * outputs and metadata), each mapping offsets to a line and column within it.
 * Scanners run per segment so a match never spans two cells.
 */
export class TextDocument {
  private readonly lineStarts: (number[] | undefined)[] = [];

  constructor(readonly segments: readonly TextSegment[]) {}

  /** A document of one plain-text file. */
  static fromText(text: string): TextDocument {
    return new TextDocument([{ text, origin: { part: "file" } }]);
  }

  /** Line and column of `offset` in segment `segment`. */
  locate(segment: number, offset: number): TextPosition {
    const seg = this.segments[segment];
    if (!seg) throw new RangeError(`no segment ${segment}`);
    const starts = this.starts(segment, seg.text);
    const at = Math.max(0, Math.min(offset, seg.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { segment, origin: seg.origin, line: lo + 1, column: at - starts[lo]! + 1 };
  }

  /** The text of 1-based `line` of a segment, without its line break. */
  lineText(segment: number, line: number): string {
    const seg = this.segments[segment];
    if (!seg) return "";
    const starts = this.starts(segment, seg.text);
    const s = starts[line - 1];
    if (s === undefined) return "";
    const next = starts[line];
    let e = next === undefined ? seg.text.length : next - 1;
    if (e > s && seg.text[e - 1] === "\r") e--;
    return seg.text.slice(s, e);
  }

  private starts(index: number, text: string): number[] {
    let starts = this.lineStarts[index];
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.lineStarts[index] = starts;
    }
    return starts;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Terminal colour codes removed (IPython colours tracebacks), so text reads as the user saw it. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * The text of a notebook as segments: notebook metadata, then per cell its
 * source, metadata and every text output (stream text, text MIME data,
 * tracebacks without colour codes). Empty texts are left out.
 */
export function notebookDocument(nb: Notebook): TextDocument {
  const segs: TextSegment[] = [];
  if (nb.metadata) segs.push({ text: nb.metadata, origin: { part: "notebook-metadata", jsonPointer: "/metadata" } });
  for (const cell of nb.cells) {
    const base = { cell: cell.index, executionCount: cell.executionCount, cellType: cell.cellType };
    const cp = cell.jsonPointer;
    if (cell.source) segs.push({ text: cell.source, origin: { part: "cell-source", ...base, jsonPointer: `${cp}/source` } });
    if (cell.metadata) segs.push({ text: cell.metadata, origin: { part: "cell-metadata", ...base, jsonPointer: `${cp}/metadata` } });
    for (const out of cell.outputs) {
      const op = `${cp}/outputs/${out.index}`;
      const o = { part: "output" as const, ...base, outputIndex: out.index };
      if (out.text) segs.push({ text: out.text, origin: { ...o, outputKind: `stream:${out.name ?? "stdout"}`, jsonPointer: `${op}/text` } });
      for (const [mime, text] of Object.entries(out.data)) {
        if (text) segs.push({ text, origin: { ...o, outputKind: mime, jsonPointer: `${op}/data/${pointerSegment(mime)}` } });
      }
      const err = [out.ename && out.evalue !== undefined ? `${out.ename}: ${out.evalue}` : (out.ename ?? out.evalue), out.traceback].filter(Boolean).join("\n");
      if (err) segs.push({ text: stripAnsi(err), origin: { ...o, outputKind: "traceback", jsonPointer: `${op}/traceback` } });
    }
  }
  return new TextDocument(segs);
}

/** Human form of an origin: `cell 3 [7], output 0 (stream:stdout), line 2`. */
export function describeOrigin(origin: TextOrigin, line?: number): string {
  const where: string[] = [];
  if (origin.part === "notebook-metadata") where.push("notebook metadata");
  if (origin.cell !== undefined) where.push(`cell ${origin.cell}${origin.executionCount != null ? ` [${origin.executionCount}]` : ""}`);
  if (origin.part === "cell-metadata") where.push("metadata");
  if (origin.outputIndex !== undefined) where.push(`output ${origin.outputIndex}${origin.outputKind ? ` (${origin.outputKind})` : ""}`);
  if (line !== undefined) where.push(`line ${line}`);
  return where.join(", ");
}
