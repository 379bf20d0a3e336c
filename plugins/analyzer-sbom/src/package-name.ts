/**
 * PyPI package names: validity, PEP 503 normalisation and package URLs.
 * https://packaging.python.org/en/latest/specifications/name-normalization/
 */

/** A valid distribution name (PEP 508 `identifier`). */
export const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** PEP 503 normal form: lower case, each run of `-`, `_`, `.` becomes one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

// purl spec: the version is percent-encoded; `+` (local versions) must be encoded.
const encodeVersion = (v: string) => encodeURIComponent(v);

/** `pkg:pypi/<normalized>@<version>`; the version only when it is exact. */
export function pypiPurl(name: string, version?: string): string {
  const base = `pkg:pypi/${normalizeName(name)}`;
  return version ? `${base}@${encodeVersion(version)}` : base;
}

/** `pkg:conda/<name>@<version>` for packages conda installs from its own channels. */
export function condaPurl(name: string, version?: string): string {
  const base = `pkg:conda/${name.toLowerCase()}`;
  return version ? `${base}@${encodeVersion(version)}` : base;
}
