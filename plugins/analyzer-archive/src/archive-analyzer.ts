import type { Analyzer } from "@modelward/core";
import type { ArchiveHandler } from "./archive-handler.js";
import { ALL_RULES } from "./rules.js";
import { sevenZipHandler } from "./sevenzip-handler.js";
import { tarHandler } from "./tar-handler.js";
import { wrapperHandler } from "./wrapper-handler.js";
import { zipHandler } from "./zip-handler.js";

// Most specific signatures first: a zip's PK header or end record, 7z and compression
// magic numbers, and tar (whose v7 form is only a header checksum) last.
const HANDLERS: readonly ArchiveHandler[] = [zipHandler, sevenZipHandler, wrapperHandler, tarHandler];

/**
 * The archive analyzer: ZIP (incl. .npz, torch and Keras zips), tar, gzip /
 * bzip2 / xz wrappers and 7z, recognised by content. It reports container
 * tricks and limits, and hands every member back to the engine, which
 * dispatches it like any file with the container chain recorded.
 */
export const archiveAnalyzer: Analyzer = {
  id: "archive",
  version: 1,
  description: "ZIP, tar, gzip/bzip2/xz and 7z archives: container tricks and limits reported, every member handed back for analysis.",
  formats: [...new Set(HANDLERS.flatMap((h) => h.formats))],
  rules: ALL_RULES,
  match(file, head, tail) {
    return HANDLERS.some((h) => h.match(file, head, tail));
  },
  async analyze(file, ctx) {
    const n = Math.min(file.size, ctx.limits.headBytes);
    const head = await file.read(0, n);
    const tail = file.size <= n ? head : await file.read(file.size - n, file.size);
    const handler = HANDLERS.find((h) => h.match(file, head, tail));
    if (!handler) {
      ctx.incomplete("archive: the content matches no archive format this analyzer reads");
      return;
    }
    await handler.analyze(file, ctx);
  },
};
