import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Config file names, in the order they are looked for in each folder. */
export const CONFIG_FILE_NAMES = ["modelward.config.json", "modelward.config.mjs", "modelward.config.js"] as const;

/**
 * The first config file found in `cwd` or its parents, or undefined.
 * The search stops at a folder holding `.git` (the repository root).
 */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    if (existsSync(join(dir, ".git")) || dirname(dir) === dir) return undefined;
  }
}
