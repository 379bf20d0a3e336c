import type { Analyzer } from "@modelward/core";
import { analyzerFromHandlers, type FormatHandler } from "@modelward/plugin-kit";
import { ALL_RULES } from "./rules.js";
import { sevenZipHandler } from "./sevenzip-handler.js";
import { tarHandler } from "./tar-handler.js";
import { wrapperHandler } from "./wrapper-handler.js";
import { zipHandler } from "./zip-handler.js";

// Most specific signatures first: a zip's PK header or end record, 7z and compression
// magic numbers, and tar (whose v7 form is only a header checksum) last.
const HANDLERS: readonly FormatHandler[] = [zipHandler, sevenZipHandler, wrapperHandler, tarHandler];

/**
 * The archive analyzer: ZIP (incl. .npz, torch and Keras zips), tar, gzip /
 * bzip2 / xz wrappers and 7z, recognised by content. It reports container
 * tricks and limits, and hands every member back to the engine, which
 * dispatches it like any file with the container chain recorded.
 */
export const archiveAnalyzer: Analyzer = analyzerFromHandlers({
  id: "archive",
  version: 1,
  description: "ZIP, tar, gzip/bzip2/xz and 7z archives: container tricks and limits reported, every member handed back for analysis.",
  rules: ALL_RULES,
  handlers: HANDLERS,
});
