import { ModelwardError } from "@modelward/core";

/** Kinds of Hugging Face repositories. */
export type HfRepoType = "model" | "dataset" | "space";

/** A parsed `hf://` target. */
export interface HfTarget {
  type: HfRepoType;
  /** `org/name` (or a legacy single-segment `name`). */
  name: string;
  /** Revision written in the target (`@main`, `@refs/pr/1`, `@<sha>`), if any. */
  revision?: string;
}

// The Hub's repository name rules: letters, digits, `-`, `_`, `.`; no `--` or `..`, not starting or ending with them.
const SEGMENT = /^(?!.*(--|\.\.))[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/**
 * Parses `hf://[models/|datasets/|spaces/]org/name[@revision]`. The revision
 * may contain `/` (`refs/pr/1`). Throws `MW_USAGE` on anything else: a name
 * is never guessed, and odd characters never reach a URL.
 */
export function parseHfTarget(target: string): HfTarget {
  if (!/^hf:\/\//i.test(target)) throw new ModelwardError("MW_USAGE", `not an hf:// target: ${target}`);
  let rest = target.slice("hf://".length);
  const at = rest.indexOf("@");
  let revision: string | undefined;
  if (at >= 0) {
    revision = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (revision === "" || /[\s\\]|\.\./.test(revision) || revision.startsWith("/"))
      throw new ModelwardError("MW_USAGE", `invalid revision in ${target}: give a branch, tag or commit after @`);
  }
  let type: HfRepoType = "model";
  const kind = /^(models|datasets|spaces)\//.exec(rest);
  if (kind) {
    type = kind[1]!.slice(0, -1) as HfRepoType;
    rest = rest.slice(kind[0].length);
  }
  rest = rest.replace(/\/$/, "");
  const parts = rest.split("/");
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => SEGMENT.test(p)))
    throw new ModelwardError("MW_USAGE", `invalid Hugging Face repository in ${target}: expected hf://org/name[@revision]`);
  return { type, name: parts.join("/"), ...(revision !== undefined ? { revision } : {}) };
}

/** The repository's path on the Hub's web routes (`datasets/org/name`). */
export function repoPath(t: Pick<HfTarget, "type" | "name">): string {
  return t.type === "model" ? t.name : `${t.type}s/${t.name}`;
}

/** `hf://…` naming the repository at a commit, for reports. */
export function canonicalUri(t: Pick<HfTarget, "type" | "name">, commit: string): string {
  return `hf://${t.type === "model" ? "" : `${t.type}s/`}${t.name}@${commit}`;
}
