import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { looksLikeNotebook, notebookDocument, readNotebook, splitMagics } from "@modelward/notebook";
import { reportHits } from "./report-hits.js";
import { ALL_RULES, RULES } from "./rules.js";
import { personalData } from "./pii.js";
import { reportPythonRisks } from "./python-findings.js";
import { scanDocument } from "./scan-document.js";
import { shellRisks } from "./shell-risks.js";

/** Kernels whose code cells are not Python (their cells are not parsed as Python). */
const OTHER_KERNEL = /^(?:r|ir|julia(?:-[\d.]+)?|scala|java|javascript|typescript|deno|c\+\+\d*|xcpp\d*|bash|sh|sql|kotlin|go|gophernotes|rust|evcxr|ruby|haskell|matlab|octave|sas|stata|powershell|csharp|fsharp|\.net-csharp|\.net-fsharp|sparkr|spylon-kernel|wolfram(?:language)?|maxima|sage(?:math)?)$/;

/** Problems reported one by one before a summary (a notebook cut in many places). */
const MAX_PROBLEM_FINDINGS = 5;

function startsWithBrace(head: Uint8Array): boolean {
  for (const b of head) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;
  }
  return false;
}

/**
 * Jupyter notebooks: every cell source, output (stream text, text MIME data,
 * tracebacks) and metadata is checked for secrets, read with the bounded
 * streaming reader (binary outputs and attachments are passed over).
 */
export const notebookAnalyzer: Analyzer = {
  id: "notebook",
  version: 1,
  description: "Jupyter notebooks (.ipynb): secrets and personal data in cell sources, outputs, tracebacks and metadata; shell escapes that run downloaded code; runtime risks of the Python in code cells (torch.load, pickle loaders, trust_remote_code, Keras safe_mode, exec and commands of downloads).",
  formats: ["notebook"],
  rules: ALL_RULES,
  match: (file, head) => looksLikeNotebook(head) || (file.extension === "ipynb" && startsWithBrace(head)),
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const read = await readNotebook(file);
    const nb = read.notebook;
    ctx.describe({
      format: "notebook",
      properties: { cells: nb.cells.length, codeCells: nb.cells.filter((c) => c.cellType === "code").length, skippedBinaryValues: read.skippedCount, skippedBinaryBytes: read.skippedBytes, ...(nb.nbformat !== undefined ? { nbformat: nb.nbformat } : {}) },
    });
    for (const p of read.problems.slice(0, MAX_PROBLEM_FINDINGS)) {
      ctx.report({
        ruleId: RULES.malformedNotebook.id,
        message: `${p.kind === "syntax" ? "invalid notebook JSON" : p.kind === "io" ? "read error" : p.kind === "limit" ? "reading limit" : p.kind === "truncated" ? "text cut" : "unexpected structure"}: ${p.message}`,
        position: { ...(p.byteOffset !== undefined ? { byteOffset: p.byteOffset } : {}), ...(p.jsonPointer ? { jsonPointer: p.jsonPointer } : {}) },
        evidence: { problem: p.kind },
      });
    }
    if (read.problems.length > 0) ctx.incomplete(`notebook not fully read: ${read.problems[0]!.message}${read.problems.length > 1 ? ` (and ${read.problems.length - 1} more problems)` : ""}`);
    if (ctx.signal.aborted) return;
    const doc = notebookDocument(nb);
    reportHits(ctx, doc, await scanDocument(doc, [personalData]));
    for (const cell of nb.cells) {
      if (cell.cellType !== "code") continue;
      for (const r of shellRisks(cell.source)) {
        const how = r.how === "pipe" ? `pipes ${r.downloader} output into ${r.interpreter}` : r.how === "substitution" ? `runs ${r.downloader} output through ${r.interpreter} substitution` : `downloads with ${r.downloader} and runs the file (${r.interpreter})`;
        ctx.report({
          ruleId: RULES.shellDownloadExec.id,
          message: `shell escape ${r.escape} ${how}${r.host ? ` from ${r.host}` : ""} in cell ${cell.index}${cell.executionCount != null ? ` [${cell.executionCount}]` : ""}, line ${r.line}`,
          position: { cell: cell.index, line: r.line, jsonPointer: `${cell.jsonPointer}/source` },
          evidence: { how: r.how, downloader: r.downloader, interpreter: r.interpreter, escape: r.escape, ...(r.host ? { host: r.host } : {}), ...(cell.executionCount != null ? { executionCount: cell.executionCount } : {}) },
        });
      }
    }
    if (nb.language !== undefined && OTHER_KERNEL.test(nb.language)) {
      ctx.describe({ properties: { pythonChecks: `not run: ${nb.language} kernel` } });
      return;
    }
    const code = nb.cells.filter((c) => c.cellType === "code");
    await reportPythonRisks(
      ctx,
      code.map((c) => ({ source: splitMagics(c.source).python, cell: c.index, executionCount: c.executionCount, jsonPointer: `${c.jsonPointer}/source` })),
    );
  },
};
