import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A file's path as the user would type it: relative to the working directory
 * when its target is a local folder (`file://…/`), so two targets never print
 * the same path for different files; otherwise (standard input, remote
 * sources, no working directory known) the target-relative path unchanged.
 */
export function displayPathFrom(target: string, path: string, workingDirectory?: string): string {
  if (workingDirectory === undefined || !target.startsWith("file://")) return path;
  let root: string;
  try {
    root = fileURLToPath(target);
  } catch {
    return path;
  }
  // A target URI without a trailing slash is a folder, unless it names the file itself.
  if (!target.endsWith("/") && basename(root) === path) root = dirname(root);
  const rel = relative(workingDirectory, join(root, path));
  if (rel === "" || isAbsolute(rel)) return path;
  return sep === "/" ? rel : rel.split(sep).join("/");
}
