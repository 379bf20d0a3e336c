import type { ScanReport } from "@modelward/core";
import { createScanner, type Scanner } from "@modelward/engine";
import type { ReportFormat, ScanEngine } from "@modelward/server";
import type { CliIO } from "./io.js";
import { loadCliConfig } from "./load.js";
import { VERSION } from "./version.js";

/**
 * The scanner the service runs: the config `modelward scan` would load (file
 * or default, presets) and the same engine, so a job's report is the CLI's.
 * A job naming a ruleset gets a scanner with that ruleset added (cached by id).
 * Hashes are always on, so a stored report can be rendered as CycloneDX later.
 */
export async function serviceEngine(io: CliIO, configFile?: string): Promise<ScanEngine> {
  const load = async (ruleset?: string): Promise<Scanner> => {
    const { config } = await loadCliConfig(io, {
      ...(configFile !== undefined ? { config: configFile } : {}),
      ...(ruleset ? { overrides: { rulesets: [ruleset] } } : {}),
    });
    return createScanner(config, VERSION);
  };
  const base = await load();
  const withRuleset = new Map<string, Promise<Scanner>>();
  return {
    async scan(target, o) {
      let scanner = base;
      if (o.ruleset) {
        if (!withRuleset.has(o.ruleset)) withRuleset.set(o.ruleset, load(o.ruleset));
        scanner = await withRuleset.get(o.ruleset)!;
      }
      return scanner.scan([target], {
        signal: o.signal,
        hashes: true,
        ...(o.sourceOptions ? { sourceOptions: o.sourceOptions } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
    },
    async render(report: ScanReport, format: ReportFormat) {
      const reporter = base.config.reporters.get(format);
      if (!reporter) throw new Error(`no ${format} reporter is loaded`);
      const ctx = { options: {}, rules: base.config.rules, color: false };
      const chunks = reporter.renderChunks ? reporter.renderChunks(report, ctx) : [await reporter.render(report, ctx)];
      const decoder = new TextDecoder();
      let out = "";
      for await (const c of chunks) out += typeof c === "string" ? c : decoder.decode(c, { stream: true });
      return out + decoder.decode();
    },
  };
}
