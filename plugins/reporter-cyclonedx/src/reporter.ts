import { jsonChunks, type Reporter } from "@modelward/core";

/**
 * CycloneDX 1.6 ML-BOM: one `machine-learning-model` component per model
 * artifact (archive members nested under their container), declared packages
 * as library components, the scanned target as `metadata.component`, and
 * one vulnerability per rule (locations as components' evidence
 * occurrences). Needs SHA-256.
 *
 * The CycloneDX library is large (hundreds of modules, a schema validator), so
 * it is loaded on the first render, not when the plugin is: a scan that writes
 * no ML-BOM never pays for it.
 */
export const cyclonedxReporter: Reporter = {
  id: "cyclonedx",
  description: "CycloneDX 1.6 ML-BOM (JSON): the target, model components, packages, and rules and advisories as vulnerabilities",
  mediaType: "application/vnd.cyclonedx+json; version=1.6",
  defaultExtension: "cdx.json",
  needs: { sha256: true },
  async render(report, ctx) {
    const { renderBomJson } = await import("./cyclonedx-reporter.js");
    return `${JSON.stringify(renderBomJson(report, ctx.rules), null, 2)}\n`;
  },
  async *renderChunks(report, ctx) {
    const { renderBomJson } = await import("./cyclonedx-reporter.js");
    yield* jsonChunks(renderBomJson(report, ctx.rules), 2, 4);
    yield "\n";
  },
};
