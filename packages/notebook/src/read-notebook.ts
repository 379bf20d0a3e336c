import type { ByteSource } from "@modelward/core";
import { JsonStream, JsonStreamError } from "./json-stream.js";
import {
  DEFAULT_NOTEBOOK_LIMITS,
  type Notebook,
  type NotebookCell,
  type NotebookLimits,
  type NotebookOutput,
  type NotebookProblem,
  type NotebookReadResult,
  type SkippedValue,
} from "./notebook-types.js";

/** MIME types whose data is binary (base64) or media: passed over, never read as text. */
export function isBinaryMime(mime: string): boolean {
  const m = mime.toLowerCase();
  return m.startsWith("image/") || m.startsWith("audio/") || m.startsWith("video/") || m === "application/pdf" || m === "application/octet-stream";
}

/** RFC 6901 escaping of one pointer segment. */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Read a Jupyter notebook (nbformat 4, and nbformat 3 worksheets) from its
 * bytes as a stream, without ever holding the file: binary output data
 * (`image/*`, audio, video, PDF) and cell attachments are passed over without
 * being materialised, strings are cut at `limits.maxStringBytes`, and every
 * cut, limit or syntax error is a problem in the result. Never throws for bad
 * input; an I/O error of the source is a problem too.
 */
export async function readNotebook(source: ByteSource | AsyncIterable<Uint8Array>, limits: Partial<NotebookLimits> = {}): Promise<NotebookReadResult> {
  const reader = new NotebookReader({ ...DEFAULT_NOTEBOOK_LIMITS, ...limits }, source);
  return reader.run();
}

class NotebookReader {
  private readonly json: JsonStream;
  private readonly problems: NotebookProblem[] = [];
  private readonly skipped: SkippedValue[] = [];
  private skippedCount = 0;
  private skippedBytes = 0;
  private textLeft: number;
  private readonly notebook: Notebook = { cells: [] };
  private cellLimitReported = false;

  constructor(
    private readonly limits: NotebookLimits,
    source: ByteSource | AsyncIterable<Uint8Array>,
  ) {
    const chunks = Symbol.asyncIterator in source ? source : (source as ByteSource).stream();
    this.json = new JsonStream(chunks as AsyncIterable<Uint8Array>, limits.maxDepth);
    this.textLeft = limits.maxTotalTextBytes;
  }

  async run(): Promise<NotebookReadResult> {
    try {
      await this.readTop();
      if (!(await this.json.atEnd())) this.problem("syntax", "data after the end of the notebook object", this.json.offset);
    } catch (e) {
      if (e instanceof JsonStreamError) this.problem("syntax", e.message, e.offset);
      else this.problem("io", `could not read the file: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {
      notebook: this.notebook,
      problems: this.problems,
      skipped: this.skipped,
      skippedCount: this.skippedCount,
      skippedBytes: this.skippedBytes,
      bytesRead: this.json.stats.bytesRead,
    };
  }

  private problem(kind: NotebookProblem["kind"], message: string, byteOffset?: number, jsonPointer?: string): void {
    if (this.problems.length >= 100) return;
    const p: NotebookProblem = { kind, message };
    if (byteOffset !== undefined) p.byteOffset = byteOffset;
    if (jsonPointer !== undefined) p.jsonPointer = jsonPointer;
    this.problems.push(p);
  }

  /** Pass over a binary payload, recording it. */
  private async skip(pointer: string, reason: string): Promise<void> {
    const from = this.json.offset;
    await this.json.skipValue();
    const bytes = this.json.offset - from;
    this.skippedCount++;
    this.skippedBytes += bytes;
    if (this.skipped.length < this.limits.maxSkippedRecords) this.skipped.push({ jsonPointer: pointer, bytes, reason });
  }

  /** A string, or an array of strings joined, within the text budgets. */
  private async readText(pointer: string, joiner = ""): Promise<string> {
    const b = await this.json.peek();
    if (b === 0x22) return this.readOneString(pointer);
    if (b === 0x5b) {
      await this.json.beginArray();
      const parts: string[] = [];
      for (let first = true, i = 0; await this.json.nextElement(first); first = false, i++) {
        if ((await this.json.peek()) === 0x22) parts.push(await this.readOneString(`${pointer}/${i}`));
        else parts.push(await this.readJsonText(`${pointer}/${i}`));
      }
      return parts.join(joiner);
    }
    if (b === 0x7b) return this.readJsonText(pointer);
    const v = await this.json.readScalar();
    return v === null ? "" : String(v);
  }

  private async readOneString(pointer: string): Promise<string> {
    const max = Math.max(0, Math.min(this.limits.maxStringBytes, this.textLeft));
    const at = this.json.offset;
    const s = await this.json.readString(max);
    this.textLeft -= Math.min(s.rawBytes, max);
    if (s.truncated) {
      const why = max < this.limits.maxStringBytes ? `the notebook's text budget (${this.limits.maxTotalTextBytes} bytes) ran out` : `longer than ${this.limits.maxStringBytes} bytes`;
      this.problem("truncated", `string of ${s.rawBytes} bytes cut: ${why}`, at, pointer);
    }
    return s.text;
  }

  /** Any JSON value as compact JSON text, bounded by `maxMetadataBytes` and the text budget. */
  private async readJsonText(pointer: string): Promise<string> {
    const bytes = Math.max(0, Math.min(this.limits.maxMetadataBytes, this.textLeft));
    const budget = { bytes, truncated: false };
    const at = this.json.offset;
    const value = await this.json.readValue(budget);
    this.textLeft -= bytes - Math.max(0, budget.bytes);
    if (budget.truncated) this.problem("truncated", `JSON value cut after ${bytes} bytes`, at, pointer);
    return JSON.stringify(value) ?? "";
  }

  private async readTop(): Promise<void> {
    await this.json.beginObject();
    for (let first = true; ; first = false) {
      const key = await this.json.nextKey(first);
      if (key === null) return;
      const pointer = `/${pointerSegment(key)}`;
      switch (key) {
        case "cells":
          await this.readCells(pointer);
          break;
        case "worksheets":
          await this.readWorksheets(pointer);
          break;
        case "metadata": {
          const text = await this.readJsonText(pointer);
          if (text !== "{}") this.notebook.metadata = text;
          const lang = /"(?:language|name)"\s*:\s*"([A-Za-z0-9_.+-]{1,40})"/.exec(text);
          if (lang) this.notebook.language = lang[1]!.toLowerCase();
          break;
        }
        case "nbformat":
        case "nbformat_minor": {
          const v = (await this.json.peek()) === 0x22 ? Number((await this.json.readString(32)).text) : await this.json.readScalar();
          if (typeof v === "number" && Number.isFinite(v)) {
            if (key === "nbformat") this.notebook.nbformat = v;
            else this.notebook.nbformatMinor = v;
          }
          break;
        }
        default:
          await this.json.skipValue();
      }
    }
  }

  private async readWorksheets(pointer: string): Promise<void> {
    await this.json.beginArray();
    for (let first = true, w = 0; await this.json.nextElement(first); first = false, w++) {
      await this.json.beginObject();
      for (let f = true; ; f = false) {
        const key = await this.json.nextKey(f);
        if (key === null) break;
        if (key === "cells") await this.readCells(`${pointer}/${w}/cells`);
        else await this.json.skipValue();
      }
    }
  }

  private async readCells(pointer: string): Promise<void> {
    await this.json.beginArray();
    for (let first = true, i = 0; await this.json.nextElement(first); first = false, i++) {
      if (this.notebook.cells.length >= this.limits.maxCells) {
        if (!this.cellLimitReported) this.problem("limit", `more than ${this.limits.maxCells} cells: the rest are not read`, this.json.offset, `${pointer}/${i}`);
        this.cellLimitReported = true;
        await this.json.skipValue();
        continue;
      }
      this.notebook.cells.push(await this.readCell(`${pointer}/${i}`, this.notebook.cells.length));
    }
  }

  private async readCell(pointer: string, index: number): Promise<NotebookCell> {
    const cell: NotebookCell = { index, jsonPointer: pointer, cellType: "", executionCount: null, source: "", outputs: [], skippedAttachments: [] };
    if ((await this.json.peek()) !== 0x7b) {
      this.problem("structure", "a cell is not an object", this.json.offset, pointer);
      await this.json.skipValue();
      return cell;
    }
    await this.json.beginObject();
    for (let first = true; ; first = false) {
      const key = await this.json.nextKey(first);
      if (key === null) break;
      const p = `${pointer}/${pointerSegment(key)}`;
      switch (key) {
        case "cell_type":
          cell.cellType = await this.readText(p);
          break;
        case "id":
          cell.id = await this.readText(p);
          break;
        case "execution_count":
        case "prompt_number": {
          const v = await this.json.readScalarOrSkip();
          cell.executionCount = typeof v === "number" && Number.isFinite(v) ? v : null;
          break;
        }
        case "source":
        case "input":
          cell.source = await this.readText(p);
          break;
        case "outputs":
          await this.readOutputs(p, cell);
          break;
        case "attachments":
          await this.skipAttachments(p, cell);
          break;
        case "metadata": {
          const text = await this.readJsonText(p);
          if (text !== "{}") cell.metadata = text;
          break;
        }
        default:
          // v3 `language`, `level` (headings), `collapsed` and unknown keys: small scalars or noise.
          await this.json.skipValue();
      }
    }
    return cell;
  }

  private async skipAttachments(pointer: string, cell: NotebookCell): Promise<void> {
    if ((await this.json.peek()) !== 0x7b) return this.skip(pointer, "attachments");
    await this.json.beginObject();
    for (let first = true; ; first = false) {
      const name = await this.json.nextKey(first);
      if (name === null) break;
      if (cell.skippedAttachments.length < 1000) cell.skippedAttachments.push(name);
      await this.skip(`${pointer}/${pointerSegment(name)}`, "attachment");
    }
  }

  private async readOutputs(pointer: string, cell: NotebookCell): Promise<void> {
    await this.json.beginArray();
    let reported = false;
    for (let first = true, i = 0; await this.json.nextElement(first); first = false, i++) {
      if (cell.outputs.length >= this.limits.maxOutputsPerCell) {
        if (!reported) this.problem("limit", `more than ${this.limits.maxOutputsPerCell} outputs in cell ${cell.index}: the rest are not read`, this.json.offset, `${pointer}/${i}`);
        reported = true;
        await this.json.skipValue();
        continue;
      }
      cell.outputs.push(await this.readOutput(`${pointer}/${i}`, i));
    }
  }

  private async readOutput(pointer: string, index: number): Promise<NotebookOutput> {
    const out: NotebookOutput = { index, outputType: "", data: {} };
    if ((await this.json.peek()) !== 0x7b) {
      this.problem("structure", "an output is not an object", this.json.offset, pointer);
      await this.json.skipValue();
      return out;
    }
    await this.json.beginObject();
    for (let first = true; ; first = false) {
      const key = await this.json.nextKey(first);
      if (key === null) break;
      const p = `${pointer}/${pointerSegment(key)}`;
      switch (key) {
        case "output_type":
          out.outputType = await this.readText(p);
          break;
        case "name":
        case "stream":
          out.name = await this.readText(p);
          break;
        case "text":
          // v4 stream text; v3 puts text/plain of results here too.
          out.text = (out.text ?? "") + (await this.readText(p));
          break;
        case "data":
          await this.readMimeBundle(p, out);
          break;
        case "ename":
          out.ename = await this.readText(p);
          break;
        case "evalue":
          out.evalue = await this.readText(p);
          break;
        case "traceback":
          out.traceback = await this.readText(p, "\n");
          break;
        case "execution_count":
        case "prompt_number": {
          const v = await this.json.readScalarOrSkip();
          out.executionCount = typeof v === "number" && Number.isFinite(v) ? v : null;
          break;
        }
        // nbformat 3 kept MIME data directly on the output under short names.
        case "html":
        case "latex":
        case "javascript":
        case "json":
        case "markdown":
          out.data[`v3/${key}`] = await this.readText(p);
          break;
        case "png":
        case "jpeg":
        case "svg":
        case "pdf":
          await this.skip(p, `v3 ${key} output data`);
          break;
        default:
          // `metadata` (image sizes, isolation flags) and unknown keys.
          await this.json.skipValue();
      }
    }
    return out;
  }

  private async readMimeBundle(pointer: string, out: NotebookOutput): Promise<void> {
    if ((await this.json.peek()) !== 0x7b) return this.skip(pointer, "output data that is not an object");
    await this.json.beginObject();
    for (let first = true; ; first = false) {
      const mime = await this.json.nextKey(first);
      if (mime === null) break;
      const p = `${pointer}/${pointerSegment(mime)}`;
      if (isBinaryMime(mime)) await this.skip(p, mime);
      else out.data[mime] = await this.readText(p);
    }
  }
}
