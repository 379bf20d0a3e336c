import { jsonChunks, type Reporter } from "@modelward/core";
import { withDependencies } from "./dependencies-section.js";

/** Options of the JSON reporter. */
export interface JsonReporterOptions {
  /** Indent with two spaces (default true); false writes one line. */
  pretty?: boolean;
}

/**
 * The ScanReport as JSON, exactly as documented by `report.schema.json`
 * (shipped in this package), plus a `dependencies` section on each file that
 * declares libraries (name, version, line, advisories). Deterministic apart from the timestamps.
 */
export const jsonReporter: Reporter<JsonReporterOptions> = {
  id: "json",
  description: "The scan report as JSON (versioned schema: @modelward/reporter-json/report.schema.json).",
  mediaType: "application/json",
  defaultExtension: "json",
  async render(report, ctx) {
    return JSON.stringify(withDependencies(report), null, ctx.options?.pretty === false ? undefined : 2) + "\n";
  },
  *renderChunks(report, ctx) {
    yield* jsonChunks(withDependencies(report), ctx.options?.pretty === false ? 0 : 2);
    yield "\n";
  },
};
