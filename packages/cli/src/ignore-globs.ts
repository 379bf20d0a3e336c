import { isAbsolute, relative, resolve, sep } from "node:path";

/**
 * `--ignore` globs as the user wrote them, relative to the working directory,
 * turned into the target-relative globs the engine matches: for each local
 * target folder, a glob that starts with that folder's path from the working
 * directory is also given without it (`models/legacy/**` while scanning
 * `models` becomes `legacy/**`). Globs that start with `**` match anywhere and
 * stay as they are; the original glob is kept too, so a target-relative glob
 * written the old way still works.
 */
export function cwdRelativeIgnores(globs: readonly string[], localTargets: readonly string[], cwd: string): string[] {
  const out = new Set<string>();
  for (const raw of globs) {
    const glob = raw.replace(/^\.\//, "");
    out.add(glob);
    if (glob.startsWith("**")) continue;
    for (const target of localTargets) {
      const fromCwd = relative(cwd, resolve(cwd, target)).split(sep).join("/");
      if (fromCwd === "" || fromCwd.startsWith("..") || isAbsolute(fromCwd)) continue;
      if (glob.startsWith(`${fromCwd}/`)) out.add(glob.slice(fromCwd.length + 1));
    }
  }
  return [...out];
}
