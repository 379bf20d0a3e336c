import type { DirectReference } from "./declared-dependency.js";

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;
const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const CONTENT_HASH = /[#&](?:sha256|sha384|sha512)=[0-9a-f]{32,}/i;

/** True when a requirement token is a URL or a local path rather than a name. */
export function looksLikeReference(token: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(token) || VCS_PREFIX.test(token) || /^(?:\.{1,2}\/|\/|~\/|file:)/.test(token) || /\.(?:whl|tar\.gz|zip|tgz|tar\.bz2)$/i.test(token);
}

/**
 * Classifies a direct reference (pip's "VCS support" and PEP 440 direct
 * references). A VCS reference is immutable only with a full commit hash: a
 * branch or tag can be moved by whoever controls the repository.
 */
export function parseDirectReference(url: string): DirectReference {
  if (VCS_PREFIX.test(url)) {
    const noFragment = url.split("#")[0] ?? url;
    const afterScheme = noFragment.replace(/^[a-z+]+:\/\//i, "");
    // The revision follows the last `@` of the path (an earlier `@` belongs to user@host).
    const slash = afterScheme.indexOf("/");
    const path = slash >= 0 ? afterScheme.slice(slash) : "";
    const at = path.lastIndexOf("@");
    const revision = at >= 0 ? path.slice(at + 1) : undefined;
    return { kind: "vcs", url, ...(revision ? { revision } : {}), immutable: revision !== undefined && FULL_COMMIT.test(revision) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^file:/i.test(url)) return { kind: "url", url, immutable: CONTENT_HASH.test(url) };
  return { kind: "path", url, immutable: false };
}

/** True for a full commit hash (what makes a VCS revision immutable). */
export function isFullCommit(revision: string): boolean {
  return FULL_COMMIT.test(revision);
}

/** The URL without user info (`https://user:token@host` → `https://***@host`), so findings never carry credentials. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, "$1***@");
}

/** The distribution name a direct reference names: `#egg=name`, a wheel or sdist file name, else undefined. */
export function nameFromReference(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return egg[1]!.replace(/\[.*$/, "");
  const file = (url.split(/[?#]/)[0] ?? "").split("/").pop() ?? "";
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*)-[0-9][^-]*(?:-[^-]+){2,3}\.whl$/.exec(file);
  if (wheel) return wheel[1];
  const sdist = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-[0-9][A-Za-z0-9.+!_-]*\.(?:tar\.gz|zip|tar\.bz2|tgz)$/.exec(file);
  return sdist?.[1];
}
