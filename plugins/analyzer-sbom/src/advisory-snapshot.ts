/** One affected range of an advisory (OSV `ECOSYSTEM` events, PEP 440 versions). */
export interface AdvisoryRange {
  /** First affected version; `0` for every version before `fixed`. */
  introduced: string;
  /** First version without the flaw (exclusive end). */
  fixed?: string;
  /** Last affected version (inclusive end), when no fix is known. */
  lastAffected?: string;
}

/** An advisory of the snapshot (see `scripts/advisories/build-pypi-snapshot.mjs`). */
export interface PypiAdvisory {
  id: string;
  aliases: string[];
  summary: string;
  /** From the advisory's CVSS v3 vector, when it has one. */
  severity?: "critical" | "high" | "medium" | "low";
  cvss?: string;
  ranges: AdvisoryRange[];
  /** Enumerated affected versions, for advisories without ranges. */
  versions?: string[];
  published?: string;
}

/** The data of `rulesets/default/data/pypi-advisories.json`. */
export interface PypiAdvisorySnapshot {
  source: string;
  commit: string;
  snapshotDate: string;
  license: string;
  notice: string;
  /** PEP 503-normalized package name → advisories. */
  packages: Record<string, PypiAdvisory[]>;
}

/** The `sbom` policy a ruleset provides (`policies.sbom`). */
export interface SbomPolicyData {
  pypiAdvisories?: PypiAdvisorySnapshot;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isRange = (r: unknown): r is AdvisoryRange => isObject(r) && typeof r.introduced === "string";

/**
 * Validates and merges the `sbom` policies of the loaded rulesets: advisories
 * of later rulesets are added to earlier ones (same id once). Malformed
 * entries are returned as problems, not dropped in silence.
 */
export function mergeAdvisories(policies: readonly unknown[]): { byPackage: Map<string, PypiAdvisory[]>; snapshots: string[]; problems: string[] } {
  const byPackage = new Map<string, PypiAdvisory[]>();
  const snapshots: string[] = [];
  const problems: string[] = [];
  for (const policy of policies) {
    if (!isObject(policy) || policy.pypiAdvisories === undefined) continue;
    const snap = policy.pypiAdvisories;
    if (!isObject(snap) || !isObject(snap.packages)) {
      problems.push("sbom policy: pypiAdvisories has no packages table");
      continue;
    }
    snapshots.push(`${String(snap.source ?? "advisories")}@${String(snap.snapshotDate ?? "?")}`);
    for (const [name, list] of Object.entries(snap.packages)) {
      if (!Array.isArray(list)) {
        problems.push(`sbom policy: advisories of ${name} are not a list`);
        continue;
      }
      const key = name.toLowerCase().replace(/[-_.]+/g, "-");
      const known = byPackage.get(key) ?? [];
      for (const adv of list) {
        const ok = isObject(adv) && typeof adv.id === "string" && Array.isArray(adv.ranges) && adv.ranges.every(isRange) && Array.isArray(adv.aliases);
        if (!ok) {
          problems.push(`sbom policy: malformed advisory of ${name}`);
          continue;
        }
        if (!known.some((k) => k.id === adv.id)) known.push(adv as unknown as PypiAdvisory);
      }
      byPackage.set(key, known);
    }
  }
  return { byPackage, snapshots, problems };
}
