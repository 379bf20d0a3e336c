import { buildNotebook, fakeBase64Image, memoryFile } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { readNotebook } from "./read-notebook.js";

const te = new TextEncoder();

const SAMPLE = buildNotebook({
  cells: [
    { type: "markdown", source: "# Title\nSome *text*\n", attachments: { "fig.png": { "image/png": fakeBase64Image(3000) } } },
    {
      source: "import os\nprint(os.environ)\n",
      outputs: [
        { type: "stream", text: "environ({'HOME': '/root'})\nsecond line\n" },
        { type: "execute_result", data: { "text/plain": "42", "text/html": "<b>42</b>" } },
        { type: "display_data", data: { "image/png": fakeBase64Image(5000), "text/plain": "<Figure size 640x480>" } },
        { type: "error", ename: "ValueError", evalue: "bad", traceback: ["\u001b[0;31mValueError\u001b[0m", "line two"] },
      ],
    },
    { source: "x = 1", executionCount: null },
  ],
});

describe("readNotebook", () => {
  it("reads cells, sources, execution counts and every text output", async () => {
    const r = await readNotebook(memoryFile("a.ipynb", SAMPLE));
    expect(r.problems).toEqual([]);
    const [md, code, never] = r.notebook.cells;
    expect(r.notebook.nbformat).toBe(4);
    expect(r.notebook.nbformatMinor).toBe(5);
    expect(r.notebook.language).toBe("python");
    expect(md).toMatchObject({ index: 0, cellType: "markdown", source: "# Title\nSome *text*\n", skippedAttachments: ["fig.png"], jsonPointer: "/cells/0" });
    expect(code).toMatchObject({ index: 1, cellType: "code", executionCount: 1, source: "import os\nprint(os.environ)\n" });
    expect(code!.outputs.map((o) => o.outputType)).toEqual(["stream", "execute_result", "display_data", "error"]);
    expect(code!.outputs[0]).toMatchObject({ name: "stdout", text: "environ({'HOME': '/root'})\nsecond line\n" });
    expect(code!.outputs[1]!.data).toEqual({ "text/plain": "42", "text/html": "<b>42</b>" });
    expect(code!.outputs[1]!.executionCount).toBe(1);
    expect(code!.outputs[2]!.data).toEqual({ "text/plain": "<Figure size 640x480>" });
    expect(code!.outputs[3]).toMatchObject({ ename: "ValueError", evalue: "bad", traceback: "\u001b[0;31mValueError\u001b[0m\nline two" });
    expect(never).toMatchObject({ executionCount: null, source: "x = 1" });
    expect(r.skipped.map((s) => [s.jsonPointer, s.reason])).toEqual([
      ["/cells/0/attachments/fig.png", "attachment"],
      ["/cells/1/outputs/2/data/image~1png", "image/png"],
    ]);
  });

  it("reads compact and Jupyter-indented JSON, sources as strings or line lists, alike", async () => {
    const spec = { cells: [{ source: "a = 1\nb = 2\n", outputs: [{ type: "stream" as const, text: "x\ny\n" }] }] };
    const a = await readNotebook(memoryFile("a.ipynb", buildNotebook(spec)));
    const b = await readNotebook(memoryFile("b.ipynb", buildNotebook({ ...spec, indent: 0, sourceAsString: true })));
    expect(b.notebook.cells).toEqual(a.notebook.cells);
  });

  it("passes over a 20 MB image without materialising it", async () => {
    const image = fakeBase64Image(15_000_000);
    const bytes = buildNotebook({ cells: [{ source: "plot()", outputs: [{ type: "display_data", data: { "image/png": image, "text/plain": "<Figure>" } }] }] });
    const r = await readNotebook(memoryFile("big.ipynb", bytes));
    expect(r.problems).toEqual([]);
    expect(r.skippedBytes).toBeGreaterThanOrEqual(image.length);
    expect(r.bytesRead).toBe(bytes.length);
    expect(r.notebook.cells[0]!.outputs[0]!.data).toEqual({ "text/plain": "<Figure>" });
    expect(JSON.stringify(r.notebook).length).toBeLessThan(2000);
  });

  it("keeps what it read before a syntax error and reports where the file broke", async () => {
    const whole = buildNotebook({ cells: [{ source: "first = 1" }, { source: "second = 2" }] });
    const cut = whole.slice(0, new TextDecoder().decode(whole).indexOf("second") + 3);
    const r = await readNotebook(memoryFile("cut.ipynb", cut));
    expect(r.notebook.cells.map((c) => c.source)).toEqual(["first = 1"]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: "syntax" });
    expect(r.problems[0]!.message).toContain("unterminated string");
  });

  it("cuts a string past maxStringBytes and reports it", async () => {
    const r = await readNotebook(memoryFile("a.ipynb", buildNotebook({ cells: [{ source: "s = '" + "x".repeat(5000) + "'" }], sourceAsString: true })), { maxStringBytes: 100 });
    expect(r.notebook.cells[0]!.source).toHaveLength(100);
    expect(r.problems).toEqual([expect.objectContaining({ kind: "truncated", jsonPointer: "/cells/0/source" })]);
  });

  it("stops reading cells at maxCells and says so", async () => {
    const r = await readNotebook(memoryFile("a.ipynb", buildNotebook({ cells: Array.from({ length: 10 }, (_, i) => ({ source: `c${i}` })) })), { maxCells: 3 });
    expect(r.notebook.cells).toHaveLength(3);
    expect(r.problems).toEqual([expect.objectContaining({ kind: "limit" })]);
  });

  it("stops at the total text budget and says so", async () => {
    const cells = Array.from({ length: 5 }, () => ({ source: "y".repeat(1000) }));
    const r = await readNotebook(memoryFile("a.ipynb", buildNotebook({ cells, sourceAsString: true })), { maxTotalTextBytes: 2500 });
    const lengths = r.notebook.cells.map((c) => c.source.length);
    expect(lengths.slice(0, 2)).toEqual([1000, 1000]);
    expect(lengths[2]).toBeGreaterThan(0);
    expect(lengths[2]).toBeLessThan(1000);
    expect(lengths.slice(3)).toEqual([0, 0]);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]!.message).toContain("text budget");
  });

  it("reads nbformat 3 worksheets (input, prompt_number, v3 outputs)", async () => {
    const v3 = {
      metadata: { name: "old" },
      nbformat: 3,
      nbformat_minor: 0,
      worksheets: [
        {
          cells: [
            { cell_type: "code", input: ["!ls\n", "x = 1"], language: "python", prompt_number: 7, outputs: [{ output_type: "pyout", text: ["1"], html: ["<p>1</p>"], png: "iVBORw0KGgo=", prompt_number: 7 }] },
            { cell_type: "heading", level: 1, source: ["Head"] },
          ],
        },
      ],
    };
    const r = await readNotebook(memoryFile("v3.ipynb", te.encode(JSON.stringify(v3))));
    expect(r.problems).toEqual([]);
    expect(r.notebook.nbformat).toBe(3);
    expect(r.notebook.cells).toHaveLength(2);
    expect(r.notebook.cells[0]).toMatchObject({ source: "!ls\nx = 1", executionCount: 7, jsonPointer: "/worksheets/0/cells/0" });
    expect(r.notebook.cells[0]!.outputs[0]).toMatchObject({ outputType: "pyout", text: "1", data: { "v3/html": "<p>1</p>" } });
    expect(r.skipped.map((s) => s.reason)).toContain("v3 png output data");
  });

  it("reports JSON that is not a notebook object instead of failing open", async () => {
    const r = await readNotebook(memoryFile("a.ipynb", te.encode("[1, 2, 3]")));
    expect(r.notebook.cells).toEqual([]);
    expect(r.problems[0]).toMatchObject({ kind: "syntax" });
  });

  it("reports a read error of the source as a problem", async () => {
    const file = memoryFile("a.ipynb", SAMPLE);
    const broken = { ...file, async *stream() { yield SAMPLE.slice(0, 100); throw new Error("disk gone"); } };
    const r = await readNotebook(broken);
    expect(r.problems).toEqual([expect.objectContaining({ kind: "io", message: expect.stringContaining("disk gone") })]);
  });

  it("keeps JSON output data as JSON text and cell metadata when not empty", async () => {
    const bytes = buildNotebook({ cells: [{ source: "x", metadata: { tags: ["secret-cell"] }, outputs: [{ type: "display_data", data: { "application/json": { token: "abc" } } }] }] });
    const r = await readNotebook(memoryFile("a.ipynb", bytes));
    expect(r.notebook.cells[0]!.outputs[0]!.data).toEqual({ "application/json": '{"token":"abc"}' });
    expect(r.notebook.cells[0]!.metadata).toBe('{"tags":["secret-cell"]}');
  });
});
