import type { ComponentRecord } from "@modelward/core";
import type { DeclaredDependency } from "./declared-dependency.js";
import { condaPurl, normalizeName, pypiPurl } from "./package-name.js";

/**
 * The SBOM component of a declared dependency: the normalized name, the exact
 * version (or the range as written), a purl with the version only when exact,
 * where it was declared and by which manifest kind.
 */
export function componentOf(dep: DeclaredDependency, via: string): ComponentRecord {
  const exact = dep.version;
  const version = exact ?? (dep.specifier && dep.specifier !== "*" ? dep.specifier : undefined);
  return {
    type: "library",
    name: dep.ecosystem === "pypi" ? normalizeName(dep.name) : dep.name.toLowerCase(),
    ...(version ? { version } : {}),
    purl: dep.ecosystem === "pypi" ? pypiPurl(dep.name, exact) : condaPurl(dep.name, exact),
    declaredAt: { line: dep.line, ...(dep.cell !== undefined ? { cell: dep.cell } : {}) },
    via,
  };
}
