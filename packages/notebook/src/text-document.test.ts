import { buildNotebook, memoryFile } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { readNotebook } from "./read-notebook.js";
import { TextDocument, describeOrigin, notebookDocument } from "./text-document.js";

describe("TextDocument", () => {
  it("maps offsets to 1-based lines and columns", () => {
    const doc = TextDocument.fromText("ab\ncde\r\n\nfgh");
    expect(doc.locate(0, 0)).toMatchObject({ line: 1, column: 1 });
    expect(doc.locate(0, 4)).toMatchObject({ line: 2, column: 2 });
    expect(doc.locate(0, 8)).toMatchObject({ line: 3, column: 1 });
    expect(doc.locate(0, 11)).toMatchObject({ line: 4, column: 3 });
    expect(doc.lineText(0, 2)).toBe("cde");
    expect(doc.lineText(0, 4)).toBe("fgh");
  });

  it("gives a notebook's text as segments with cell, execution count, output and pointer", async () => {
    const bytes = buildNotebook({
      cells: [
        { type: "markdown", source: "intro" },
        { source: "a = 1\nb = 2", executionCount: 7, outputs: [{ type: "stream", name: "stderr", text: "warn" }, { type: "error", ename: "E", evalue: "v", traceback: ["\u001b[31mred\u001b[0m"] }] },
      ],
    });
    const { notebook } = await readNotebook(memoryFile("n.ipynb", bytes));
    const doc = notebookDocument(notebook);
    const parts = doc.segments.map((s) => [s.origin.part, s.origin.cell, s.origin.outputKind, s.text]);
    expect(parts).toEqual([
      ["notebook-metadata", undefined, undefined, expect.stringContaining("kernelspec")],
      ["cell-source", 0, undefined, "intro"],
      ["cell-source", 1, undefined, "a = 1\nb = 2"],
      ["output", 1, "stream:stderr", "warn"],
      ["output", 1, "traceback", "E: v\nred"],
    ]);
    const pos = doc.locate(2, 8);
    expect(pos).toMatchObject({ line: 2, column: 3, origin: { cell: 1, executionCount: 7, jsonPointer: "/cells/1/source" } });
    expect(describeOrigin(pos.origin, pos.line)).toBe("cell 1 [7], line 2");
    expect(describeOrigin(doc.segments[3]!.origin, 1)).toBe("cell 1 [7], output 0 (stream:stderr), line 1");
  });
});
