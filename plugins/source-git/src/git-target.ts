import { ModelwardError } from "@modelward/core";

/** A parsed Git target. */
export interface GitTarget {
  /** The URL given to `git clone` (without the `git+` prefix). */
  url: string;
  /** Its transport: `https`, `http`, `file` or `ssh`. */
  scheme: "https" | "http" | "file" | "ssh";
  /** Branch written in the target (`#branch` or `@branch` after a GitHub URL), if any. */
  branch?: string;
}

/**
 * Parses `git+https://…`, `git+http://…`, `git+file://…`, `git+ssh://…` and
 * plain `https://github.com/o/r[/tree/<branch>]` targets. Only these
 * transports are ever passed to git: `ext::`, `fd::` and other remote helpers
 * that run commands are refused here and disabled in git itself. A
 * `#<branch>` suffix names the branch, as pip's VCS URLs do.
 */
export function parseGitTarget(target: string): GitTarget {
  let rest = target;
  let branch: string | undefined;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    branch = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const plus = /^git\+(https|http|file|ssh):\/\//i.exec(rest);
  let url: string;
  let scheme: GitTarget["scheme"];
  if (plus) {
    scheme = plus[1]!.toLowerCase() as GitTarget["scheme"];
    url = rest.slice(4);
  } else if (/^https:\/\/github\.com\//i.test(rest)) {
    scheme = "https";
    const m = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/tree\/(.+))?\/?$/i.exec(rest);
    if (!m) throw new ModelwardError("MW_USAGE", `not a GitHub repository URL: ${target} (expected https://github.com/owner/repo)`);
    url = `https://github.com/${m[1]}/${m[2]}.git`;
    if (m[3] !== undefined && branch === undefined) branch = decodeURIComponent(m[3]);
  } else {
    throw new ModelwardError("MW_TARGET_UNSUPPORTED", `not a Git target: ${target} (use git+https://, git+file://, git+ssh:// or https://github.com/…)`);
  }
  if (branch !== undefined && !isSafeRef(branch)) throw new ModelwardError("MW_USAGE", `invalid branch name ${JSON.stringify(branch)}`);
  return { url, scheme, ...(branch !== undefined ? { branch } : {}) };
}

/**
 * A branch name git accepts (`git check-ref-format` rules) that can never be
 * read as an option: no leading `-`, no `..`, no control characters, spaces,
 * `~^:?*[\`, no `@{`, not ending in `.lock` or `/`.
 */
export function isSafeRef(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    !name.startsWith("-") &&
    !name.startsWith("/") &&
    !name.endsWith("/") &&
    !name.endsWith(".lock") &&
    !name.endsWith(".") &&
    !name.includes("..") &&
    !name.includes("@{") &&
    !name.includes("//") &&
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name)
  );
}

/** The URL as shown in reports: credentials in it (`https://user:token@host`) replaced by `***`. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^/@]*@/i, "$1***@");
}
