import { ConfigError, type ConfigObject } from "@modelward/core";
import { loadConfig, type LoadedConfig } from "@modelward/engine";
import type { CliIO } from "./io.js";
import { PRESETS } from "./recommended.js";

/** Loads the config as every command does: file (or default), presets, then command-line overrides. */
export async function loadCliConfig(
  io: CliIO,
  options: { config?: string; overrides?: ConfigObject; scanPaths?: string[] },
): Promise<LoadedConfig> {
  const loaded = await loadConfig({
    cwd: io.cwd,
    presets: PRESETS,
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.scanPaths ? { scanPaths: options.scanPaths } : {}),
  });
  for (const w of loaded.warnings) io.stderr.write(`modelward: warning: ${w}\n`);
  if (loaded.config.plugins.length === 0)
    throw new ConfigError([
      {
        file: loaded.config.file ?? "<default>",
        pointer: "/extends",
        message: "the config loads no plugins, so nothing could be read or reported",
        fix: `extend a preset ("extends": ["modelward:recommended"]) or list plugins under "plugins"`,
      },
    ]);
  return loaded;
}
