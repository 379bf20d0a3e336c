import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The folder repository-facing reports (SARIF) make paths relative to: the
 * git top level containing the first local target, else the working
 * directory. Found by looking for `.git` (a folder, or a file in a worktree
 * or submodule) upwards, without running git.
 */
export function sourceRootOf(localTargets: readonly string[], cwd: string): string {
  const first = localTargets[0];
  return (first !== undefined ? gitTopLevel(resolve(cwd, first)) : undefined) ?? cwd;
}

/** The nearest folder at or above `path` holding `.git`, if any. */
export function gitTopLevel(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
