import { buildNotebook } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { looksLikeNotebook } from "./sniff.js";

const te = new TextEncoder();

describe("looksLikeNotebook", () => {
  it("recognises notebooks written by Jupyter, compact ones and v3 ones", () => {
    expect(looksLikeNotebook(buildNotebook({ cells: [{ source: "x" }] }))).toBe(true);
    expect(looksLikeNotebook(buildNotebook({ cells: [{ source: "x" }], indent: 0 }))).toBe(true);
    expect(looksLikeNotebook(te.encode('\ufeff {"metadata": {}, "nbformat": 3, "worksheets": []}'))).toBe(true);
    const head = buildNotebook({ cells: [{ source: "y".repeat(10_000) }] }).slice(0, 4096);
    expect(looksLikeNotebook(head)).toBe(true);
  });

  it("does not claim other JSON or text", () => {
    expect(looksLikeNotebook(te.encode('{"architectures": ["BertModel"], "cells": 4}'))).toBe(false);
    expect(looksLikeNotebook(te.encode('["cells", "nbformat"]'))).toBe(false);
    expect(looksLikeNotebook(te.encode("import os\n"))).toBe(false);
    expect(looksLikeNotebook(new Uint8Array(0))).toBe(false);
  });
});
