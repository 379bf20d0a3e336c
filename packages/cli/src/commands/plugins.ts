import type { CliIO } from "../io.js";
import { EXIT } from "../io.js";
import { loadCliConfig } from "../load.js";
import { renderTable } from "../table.js";

/** `modelward plugins list`: what the config composed, plugin by plugin. */
export async function pluginsListCommand(args: { config?: string; format?: "table" | "json" }, io: CliIO): Promise<number> {
  const { config } = await loadCliConfig(io, args.config !== undefined ? { config: args.config } : {});
  const disabled = new Set(config.disabledAnalyzers.map((a) => a.analyzer.id));
  const plugins = config.plugins.map((p) => ({
    name: p.meta.name,
    version: p.meta.version,
    namespace: p.meta.namespace,
    analyzers: Object.keys(p.analyzers ?? {}).map((id) => (disabled.has(id) ? `${id} (off)` : id)),
    sources: Object.values(p.sources ?? {}).map((s) => (s.schemes.length ? `${s.id} (${s.schemes.join(" ")})` : `${s.id} (paths)`)),
    reporters: Object.keys(p.reporters ?? {}),
    rulesets: Object.keys(p.rulesets ?? {}),
  }));
  if (args.format === "json") {
    io.stdout.write(JSON.stringify({ plugins, rulesets: config.rulesets.map((r) => r.id) }, null, 2) + "\n");
    return EXIT.clean;
  }
  const rows = plugins.map((p) => [
    p.name,
    p.version,
    p.namespace,
    [
      p.analyzers.length ? `analyzers: ${p.analyzers.join(", ")}` : "",
      p.sources.length ? `sources: ${p.sources.join(", ")}` : "",
      p.reporters.length ? `reporters: ${p.reporters.join(", ")}` : "",
      p.rulesets.length ? `rulesets: ${p.rulesets.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; "),
  ]);
  io.stdout.write(renderTable(["PLUGIN", "VERSION", "NAMESPACE", "PROVIDES"], rows));
  io.stdout.write(`rulesets: ${config.rulesets.map((r) => r.id).join(", ") || "(none)"}\n`);
  return EXIT.clean;
}
