import type { CliIO } from "../io.js";
import { EXIT } from "../io.js";
import { loadCliConfig } from "../load.js";

/** `modelward config print`: the resolved configuration as JSON (plugins by name). */
export async function configPrintCommand(args: { config?: string }, io: CliIO): Promise<number> {
  const { config } = await loadCliConfig(io, args.config !== undefined ? { config: args.config } : {});
  const printable = {
    file: config.file ?? null,
    plugins: config.plugins.map((p) => `${p.meta.name}@${p.meta.version}`),
    analyzers: config.analyzers.map((a) => ({ id: a.qualifiedId, plugin: a.plugin, options: a.options })),
    disabledAnalyzers: config.disabledAnalyzers.map((a) => a.qualifiedId),
    sources: [...config.sources.keys()],
    sourceOptions: redactSecrets(config.sourceOptions),
    reporters: config.reporterEntries,
    rulesets: config.rulesets.map((r) => r.id),
    rules: config.ruleSettings,
    ignore: config.ignore,
    suppressions: config.suppressions,
    failOn: config.failOn,
    failOnIncomplete: config.failOnIncomplete,
    hashes: config.hashes,
    limits: config.limits,
  };
  io.stdout.write(JSON.stringify(printable, null, 2) + "\n");
  return EXIT.clean;
}

// Source options may hold tokens and keys; printing them would leak credentials into logs.
function redactSecrets(options: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const secret = /token|secret|password|key|credential/i;
  return Object.fromEntries(
    Object.entries(options).map(([id, o]) => [id, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, secret.test(k) ? "***" : v]))]),
  );
}
