import type { Analyzer, AnalyzerContext, ModelFile } from "@modelward/core";
import { splitMagics, TextDocument } from "@modelward/notebook";
import { reportHits } from "./report-hits.js";
import { ALL_RULES } from "./rules.js";
import { personalData } from "./pii.js";
import { reportPythonRisks } from "./python-findings.js";
import { scanDocument } from "./scan-document.js";
import { isSourceText } from "./source-kind.js";

/** Text read per file at most: sources and configs past 8 MiB are generated data; the first 8 MiB are still checked. */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/**
 * Python sources, `.env` files and config-like text (`.cfg`, `.ini`, `.toml`,
 * `.yaml`, non-model `.json`, shell scripts): secrets and personal data,
 * by line and column.
 */
export const sourceAnalyzer: Analyzer = {
  id: "source",
  version: 1,
  description: "Python sources, .env files and config-like text: secrets and personal data by line and column; runtime risks of Python sources (torch.load, pickle loaders, trust_remote_code, Keras safe_mode, exec and commands of downloads).",
  formats: ["python"],
  rules: ALL_RULES,
  match: (file, head) => isSourceText(file, head),
  async analyze(file: ModelFile, ctx: AnalyzerContext) {
    const limit = Math.min(MAX_SOURCE_BYTES, ctx.limits.maxReadBytes);
    const bytes = await file.read(0, Math.min(file.size, limit));
    if (file.size > limit) ctx.incomplete(`only the first ${limit} of ${file.size} bytes were checked`);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
    const python = file.extension === "py" || file.extension === "pyw" || file.extension === "ipy";
    ctx.describe({ format: python ? "python" : "text", properties: { lines: text.split("\n").length } });
    const doc = TextDocument.fromText(text);
    reportHits(ctx, doc, await scanDocument(doc, [personalData]));
    // IPython files (`.ipy`) hold escapes (`!cmd`, `%magic`): blanked so the rest parses as Python.
    if (python) await reportPythonRisks(ctx, [{ source: file.extension === "ipy" ? splitMagics(text).python : text }]);
  },
};
