/** An output of a code cell in {@link buildNotebook}: one of the nbformat 4 output shapes. */
export type NotebookOutputSpec =
  | { type: "stream"; name?: "stdout" | "stderr"; text: string }
  | { type: "execute_result" | "display_data"; data: Record<string, string | unknown>; executionCount?: number | null; metadata?: Record<string, unknown> }
  | { type: "error"; ename: string; evalue: string; traceback: string[] };

/** A cell in {@link buildNotebook}. */
export interface NotebookCellSpec {
  type?: "code" | "markdown" | "raw";
  source: string;
  /** Code cells only; default: the cell's position among code cells, 1-based. Null: never run. */
  executionCount?: number | null;
  outputs?: NotebookOutputSpec[];
  /** Markdown cells: attachments by name, each a MIME bundle (`{ "image/png": base64 }`). */
  attachments?: Record<string, Record<string, string>>;
  metadata?: Record<string, unknown>;
  id?: string;
}

/** Options of {@link buildNotebook}. */
export interface BuildNotebookOptions {
  cells: NotebookCellSpec[];
  metadata?: Record<string, unknown>;
  /** Indentation as Jupyter writes (1, the default) or 0 for compact JSON. */
  indent?: number;
  /** Write sources and texts as one string instead of Jupyter's list of lines. */
  sourceAsString?: boolean;
  nbformatMinor?: number;
}

const te = new TextEncoder();

/** Jupyter's multi-line string: the lines, each keeping its `\n`. */
export function notebookLines(text: string): string[] {
  const parts = text.split(/(?<=\n)/);
  return parts.filter((p) => p !== "");
}

/** The nbformat 4 JSON object of a notebook (use {@link buildNotebook} for bytes). */
export function notebookJson(o: BuildNotebookOptions): Record<string, unknown> {
  const ml = (s: string) => (o.sourceAsString ? s : notebookLines(s));
  let run = 0;
  const cells = o.cells.map((c, i) => {
    const type = c.type ?? "code";
    const cell: Record<string, unknown> = { cell_type: type, id: c.id ?? `cell-${i}`, metadata: c.metadata ?? {}, source: ml(c.source) };
    if (type === "code") {
      run++;
      cell.execution_count = c.executionCount === undefined ? run : c.executionCount;
      cell.outputs = (c.outputs ?? []).map((out) => {
        if (out.type === "stream") return { output_type: "stream", name: out.name ?? "stdout", text: ml(out.text) };
        if (out.type === "error") return { output_type: "error", ename: out.ename, evalue: out.evalue, traceback: out.traceback };
        const data = Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, typeof v === "string" && k.startsWith("text/") ? ml(v) : v]));
        const r: Record<string, unknown> = { output_type: out.type, data, metadata: out.metadata ?? {} };
        if (out.type === "execute_result") r.execution_count = out.executionCount === undefined ? cell.execution_count : out.executionCount;
        return r;
      });
    }
    if (c.attachments) cell.attachments = c.attachments;
    return cell;
  });
  return {
    cells,
    metadata: o.metadata ?? { kernelspec: { display_name: "Python 3", language: "python", name: "python3" }, language_info: { name: "python", version: "3.11.7" } },
    nbformat: 4,
    nbformat_minor: o.nbformatMinor ?? 5,
  };
}

/** A Jupyter notebook (nbformat 4.5) as Jupyter writes it: sorted keys, one-space indent, lines as lists. */
export function buildNotebook(o: BuildNotebookOptions): Uint8Array {
  return te.encode(`${JSON.stringify(notebookJson(o), null, o.indent ?? 1)}\n`);
}

/**
 * Base64 text of `bytes` bytes, shaped like an image payload (a PNG
 * signature then filler), for output data and attachments.
 */
export function fakeBase64Image(bytes: number, seed = 1): string {
  const raw = Buffer.alloc(bytes);
  raw.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let x = seed >>> 0 || 1;
  for (let i = 8; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = x & 0xff;
  }
  return raw.toString("base64");
}
