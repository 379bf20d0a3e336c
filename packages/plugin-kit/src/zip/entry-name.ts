/** A problem with an archive member's path, shared by the ZIP and tar readers. */
export interface EntryNameProblem {
  /** `path-traversal` (`..` component), `absolute-path`, `backslash-path`, `unusual-name`. */
  kind: "path-traversal" | "absolute-path" | "backslash-path" | "unusual-name";
  /** Says what is wrong with the name. */
  message: string;
}

/**
 * What an extractor (zip-slip, CWE-22) or a Windows tool would do wrong with
 * this member name: `..` components and absolute paths (checked with both `/`
 * and `\` as separators, since Windows extractors honour both), backslashes,
 * NUL and control characters.
 */
export function entryNameProblems(name: string): EntryNameProblem[] {
  const problems: EntryNameProblem[] = [];
  const show = JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
  if (name.length === 0) problems.push({ kind: "unusual-name", message: "member has an empty name" });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) problems.push({ kind: "unusual-name", message: `member name ${show} contains NUL or control characters` });
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) {
    problems.push({ kind: "absolute-path", message: `member name ${show} is an absolute path: an extractor writes it outside the target folder` });
  }
  if (name.split(/[/\\]/).some((part) => part === "..")) {
    problems.push({ kind: "path-traversal", message: `member name ${show} has a ".." component: an extractor writes it outside the target folder (zip-slip)` });
  }
  if (name.includes("\\")) problems.push({ kind: "backslash-path", message: `member name ${show} contains a backslash, a path separator on Windows` });
  return problems;
}

/**
 * True when a link in an archive points outside the extraction folder: an
 * absolute target, or `..` components that climb above the root. Symlink
 * targets resolve from the link's own folder (`relativeToEntry`), hardlink
 * targets from the archive root. `\` counts as a separator, as on Windows.
 */
export function linkTargetEscapes(entryName: string, target: string, relativeToEntry: boolean): boolean {
  if (/^([/\\]|[A-Za-z]:)/.test(target)) return true;
  const stack = relativeToEntry ? entryName.split(/[/\\]/).slice(0, -1).filter((p) => p !== "" && p !== ".") : [];
  // The link's own folder may climb too ("../x" as a member name): resolve it first.
  for (const part of stack.splice(0)) {
    if (part === "..") {
      if (stack.pop() === undefined) return true;
    } else stack.push(part);
  }
  for (const part of target.split(/[/\\]/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (stack.pop() === undefined) return true;
    } else stack.push(part);
  }
  return false;
}
