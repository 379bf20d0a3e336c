import { compare, valid } from "@renovatebot/pep440";

/**
 * Answers remembered at most: a repository's manifests and the advisory snapshot name a few thousand versions,
 * so the memo holds them all; past the limit (hostile input naming millions) it starts over.
 */
const MEMO_LIMIT = 100_000;
const comparisons = new Map<string, number>();
const validity = new Map<string, boolean>();

/**
 * PEP 440 comparison of two versions, remembered. `@renovatebot/pep440` parses both strings with one large
 * regular expression on every call, and advisory matching compares the same pins with the same range ends for
 * every manifest of a repository: profiled, parsing was a third of the SBOM analyzer's time.
 */
export function compareVersions(a: string, b: string): number {
  const key = `${a}\0${b}`;
  let answer = comparisons.get(key);
  if (answer === undefined) {
    if (comparisons.size >= MEMO_LIMIT) comparisons.clear();
    comparisons.set(key, (answer = compare(a, b)));
  }
  return answer;
}

/** True when `version` is a valid PEP 440 version (remembered, as {@link compareVersions}). */
export function isValidVersion(version: string): boolean {
  let answer = validity.get(version);
  if (answer === undefined) {
    if (validity.size >= MEMO_LIMIT) validity.clear();
    validity.set(version, (answer = valid(version) !== null));
  }
  return answer;
}
