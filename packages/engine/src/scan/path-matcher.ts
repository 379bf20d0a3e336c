import picomatch from "picomatch";

/**
 * Matches root-relative, `/`-separated paths against globs. A folder matches
 * when the folder itself or anything under it would (`**\/fixtures/**`
 * excludes the `fixtures` folder, so it is never walked).
 */
export function createPathMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs as string[], { dot: true });
  return (path) => match(path) || match(`${path}/`) || match(`${path}/x`);
}

/** The path a glob sees for an artifact: the file path, then its member chain. */
export function artifactGlobPath(path: string, members: readonly string[]): string {
  return [path, ...members].join("/");
}
