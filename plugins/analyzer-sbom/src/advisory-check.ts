import type { ComponentAdvisory, FindingInput, Severity } from "@modelward/core";
import type { PypiAdvisory } from "./advisory-snapshot.js";
import type { DeclaredDependency } from "./declared-dependency.js";
import { normalizeName } from "./package-name.js";
import { compareVersions, isValidVersion } from "./pep440-memo.js";
import { RULES } from "./rules.js";
import { contains, intervalOf, overlaps, type Interval } from "./version-interval.js";

/** Advisory ids a finding message names before "and N more". */
const LISTED = 5;
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** conda package names that differ from the PyPI distribution they package. */
const CONDA_TO_PYPI: Record<string, string> = { pytorch: "torch", "py-opencv": "opencv-python", "pytorch-lightning": "pytorch-lightning" };

function rangeInterval(r: PypiAdvisory["ranges"][number]): Interval {
  return {
    ...(r.introduced !== "0" ? { lower: { version: r.introduced, inclusive: true } } : {}),
    ...(r.fixed ? { upper: { version: r.fixed, inclusive: false } } : r.lastAffected ? { upper: { version: r.lastAffected, inclusive: true } } : {}),
  };
}

/** True when the exact version is affected (a range holds it, or the advisory enumerates it). */
export function affectsVersion(adv: PypiAdvisory, version: string): boolean {
  if (adv.versions?.includes(version)) return true;
  if (!isValidVersion(version)) return false;
  return adv.ranges.some((r) => contains(rangeInterval(r), version));
}

/** True when some version the interval admits is affected. */
export function admitsAffected(adv: PypiAdvisory, interval: Interval): boolean {
  if (adv.ranges.some((r) => overlaps(interval, rangeInterval(r)))) return true;
  return (adv.versions ?? []).some((v) => isValidVersion(v) && contains(interval, v));
}

/** True when the interval admits no fixed version of the advisory (only vulnerable versions can be installed for it). */
function excludesFix(adv: PypiAdvisory, interval: Interval): boolean {
  const fixes = adv.ranges.map((r) => r.fixed).filter((f): f is string => f !== undefined);
  if (fixes.length === 0) return true;
  // Any version from a fix upward that the interval admits will do: test the fix and the interval's own upper end.
  return !fixes.some((f) => overlaps(interval, { lower: { version: f, inclusive: true } }));
}

/** Most (package, version or specifier) answers remembered per advisory snapshot; past it the memo starts over. */
const MEMO_LIMIT = 50_000;
interface Answer {
  hits: PypiAdvisory[];
  stuck: PypiAdvisory[];
  /** For an exact version: the highest fixed version above it among the hits' fixes. */
  fix?: string | undefined;
}
const memos = new WeakMap<ReadonlyMap<string, PypiAdvisory[]>, Map<string, Answer>>();

/**
 * The advisories a version or specifier of a package is affected by,
 * remembered per snapshot: a repository declares the same pins in many
 * manifests, and each answer costs PEP 440 comparisons against every range
 * of every advisory of the package (hundreds for tensorflow).
 */
function remembered(byPackage: ReadonlyMap<string, PypiAdvisory[]>, key: string, compute: () => Answer): Answer {
  let memo = memos.get(byPackage);
  if (!memo) memos.set(byPackage, (memo = new Map()));
  let answer = memo.get(key);
  if (!answer) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, (answer = compute()));
  }
  return answer;
}

export function componentAdvisory(adv: PypiAdvisory): ComponentAdvisory {
  return { id: adv.id, aliases: [...adv.aliases], fixed: adv.ranges.map((r) => r.fixed).filter((f): f is string => f !== undefined) };
}

const describe = (advs: PypiAdvisory[]) =>
  advs
    .slice(0, LISTED)
    .map((a) => (a.aliases.length ? `${a.id} (${a.aliases.filter((x) => x.startsWith("CVE-")).slice(0, 1).join("") || a.aliases[0]})` : a.id))
    .join(", ") + (advs.length > LISTED ? ` and ${advs.length - LISTED} more` : "");

/** Fixed versions above `above`, lowest first. */
const fixesAbove = (advs: PypiAdvisory[], above: string) =>
  advs
    .flatMap((a) => a.ranges.map((r) => r.fixed))
    .filter((f): f is string => f !== undefined && isValidVersion(f) && (!isValidVersion(above) || compareVersions(f, above) > 0))
    .sort(compareVersions);

/**
 * Matches one dependency against the advisory snapshot: an exact version
 * affected → `sbom/vulnerable-version` at the advisory's severity (high when
 * it has none); a range that admits affected versions → `sbom/vulnerable-range`
 * (medium when it admits no fix, else low). Returns the advisories to record
 * on the component.
 */
export function checkAdvisories(dep: DeclaredDependency, byPackage: ReadonlyMap<string, PypiAdvisory[]>): { finding?: FindingInput; advisories: ComponentAdvisory[] } {
  const normalized = normalizeName(dep.name);
  const key = dep.ecosystem === "conda" ? (CONDA_TO_PYPI[normalized] ?? normalized) : normalized;
  const advisories = byPackage.get(key);
  if (!advisories || advisories.length === 0 || dep.direct) return { advisories: [] };
  const position = { line: dep.line, ...(dep.cell !== undefined ? { cell: dep.cell } : {}) };
  if (dep.version !== undefined) {
    const version = dep.version;
    const { hits, fix } = remembered(byPackage, `${key}\0==${version}`, () => {
      const affected = advisories.filter((a) => affectsVersion(a, version));
      // The lowest fix above the pin that fixes every hit is what to move to; the highest fix is the safe answer.
      return { hits: affected, stuck: [], fix: affected.length > 0 ? fixesAbove(affected, version).at(-1) : undefined };
    });
    if (hits.length === 0) return { advisories: [] };
    const severity = hits.reduce<Severity>((s, a) => (RANK[a.severity ?? "high"] > RANK[s] ? (a.severity ?? "high") : s), "low");
    return {
      advisories: hits.map(componentAdvisory),
      finding: {
        ruleId: RULES.vulnerableVersion.id,
        severity,
        message: `${dep.name} ${dep.version} is affected by ${hits.length} known advisor${hits.length === 1 ? "y" : "ies"}: ${describe(hits)}${fix ? `; fixed in ${fix}` : ""} (line ${dep.line})`,
        position,
        evidence: { package: key, version: dep.version, advisories: hits.map((a) => a.id).join(","), ...(fix ? { fixed: fix } : {}) },
      },
    };
  }
  if (!dep.specifier) return { advisories: [] };
  const interval = intervalOf(dep.specifier);
  if (!interval) return { advisories: [] };
  const { hits, stuck } = remembered(byPackage, `${key}\0${dep.specifier}`, () => {
    const affected = advisories.filter((a) => admitsAffected(a, interval));
    return { hits: affected, stuck: affected.filter((a) => excludesFix(a, interval)) };
  });
  if (hits.length === 0) return { advisories: [] };
  return {
    advisories: hits.map(componentAdvisory),
    finding: {
      ruleId: RULES.vulnerableRange.id,
      severity: stuck.length > 0 ? "medium" : "low",
      message:
        stuck.length > 0
          ? `${dep.name}${dep.specifier} admits only versions affected by ${describe(stuck)}: no fixed version is allowed (line ${dep.line})`
          : `${dep.name}${dep.specifier} admits versions affected by ${hits.length} known advisor${hits.length === 1 ? "y" : "ies"} (${describe(hits)}); raise the lower bound (line ${dep.line})`,
      position,
      evidence: { package: key, specifier: dep.specifier, advisories: hits.map((a) => a.id).join(",").slice(0, 2000) },
    },
  };
}
