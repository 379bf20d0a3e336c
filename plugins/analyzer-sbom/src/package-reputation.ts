import type { FindingInput } from "@modelward/core";
import type { DeclaredDependency } from "./declared-dependency.js";
import { osaDistance } from "./edit-distance.js";
import { normalizeName } from "./package-name.js";
import { RULES } from "./rules.js";

/** A curated malicious package (or malicious releases of a real one). */
export interface MaliciousPackage {
  name: string;
  /** Only these releases, when the package itself is legitimate. */
  versions?: string[];
  kind: string;
  reason: string;
  source: string;
  url?: string;
}

/** What the rulesets say about package names: known-malicious ones, popular ones typosquats imitate, and real near-names. */
export interface PackageReputation {
  malicious: Map<string, MaliciousPackage>;
  popular: Set<string>;
  realNearNames: Map<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Merges the `maliciousPackages` and `popularPackages` data of the `sbom` policies; malformed entries become problems. */
export function mergeReputation(policies: readonly unknown[]): { reputation: PackageReputation; problems: string[] } {
  const reputation: PackageReputation = { malicious: new Map(), popular: new Set(), realNearNames: new Map() };
  const problems: string[] = [];
  for (const policy of policies) {
    if (!isObject(policy)) continue;
    const mal = policy.maliciousPackages;
    if (mal !== undefined) {
      if (!isObject(mal) || !Array.isArray(mal.packages)) problems.push("sbom policy: maliciousPackages has no packages list");
      else
        for (const p of mal.packages) {
          if (!isObject(p) || typeof p.name !== "string" || typeof p.reason !== "string" || typeof p.source !== "string") problems.push("sbom policy: malformed malicious package entry");
          else reputation.malicious.set(normalizeName(p.name), p as unknown as MaliciousPackage);
        }
    }
    const pop = policy.popularPackages;
    if (pop !== undefined) {
      if (!isObject(pop) || !Array.isArray(pop.popular)) problems.push("sbom policy: popularPackages has no popular list");
      else {
        for (const name of pop.popular) if (typeof name === "string") reputation.popular.add(normalizeName(name));
        if (isObject(pop.realNearNames)) for (const [n, why] of Object.entries(pop.realNearNames)) reputation.realNearNames.set(normalizeName(n), String(why));
      }
    }
  }
  return { reputation, problems };
}

/** Names compared without separators and case: `scikitlearn` is `scikit-learn` with a separator dropped. */
const squash = (s: string) => s.replace(/[-_.]/g, "");

/**
 * The popular package a name imitates, if any: the same letters without
 * separators, one edit (insert, delete, substitute, swap) from a name of six
 * characters or more, two edits from one of ten or more, or two swapped
 * letters of a shorter one (`tdqm`). Short names are too dense to judge
 * by one edit (`torchx` is a real package one letter from `torch`).
 */
export function imitated(name: string, reputation: PackageReputation): string | undefined {
  const n = normalizeName(name);
  // Every name is compared with every popular one: remember the answer per reputation (names repeat across manifests).
  let memo = imitations.get(reputation);
  if (!memo) imitations.set(reputation, (memo = new Map()));
  if (memo.has(n)) return memo.get(n);
  if (memo.size >= 50_000) memo.clear();
  const answer = imitatedUncached(n, reputation);
  memo.set(n, answer);
  return answer;
}

const imitations = new WeakMap<PackageReputation, Map<string, string | undefined>>();

function imitatedUncached(n: string, reputation: PackageReputation): string | undefined {
  if (reputation.popular.has(n) || reputation.realNearNames.has(n) || reputation.malicious.has(n)) return undefined;
  for (const p of reputation.popular) {
    if (squash(n) === squash(p)) return p;
    const d = osaDistance(n, p, 2);
    if (d === 1 && p.length >= 6) return p;
    if (d === 2 && p.length >= 10 && n.length >= 10) return p;
    if (d === 1 && p.length >= 4 && n.length === p.length && [...n].sort().join("") === [...p].sort().join("")) return p;
  }
  return undefined;
}

/** Libraries whose normal use deserializes arbitrary code, and libraries that load models. */
const CODE_DESERIALIZERS = new Set(["dill", "cloudpickle"]);
const MODEL_LOADERS = new Set(["torch", "tensorflow", "keras", "joblib", "scikit-learn", "transformers", "mlflow", "pytorch-lightning", "lightning", "xgboost", "lightgbm", "catboost", "bentoml", "ray", "sentence-transformers", "diffusers"]);

/**
 * Reputation checks of one manifest's dependencies: known-malicious
 * packages or releases (critical), names that imitate a popular ML package
 * (medium), and `dill`/`cloudpickle` declared beside model-loading libraries
 * (low, one per manifest).
 */
export function reputationFindings(deps: readonly DeclaredDependency[], reputation: PackageReputation): FindingInput[] {
  const out: FindingInput[] = [];
  const seen = new Set<string>();
  for (const dep of deps) {
    const n = normalizeName(dep.name);
    const position = { line: dep.line, ...(dep.cell !== undefined ? { cell: dep.cell } : {}) };
    const bad = reputation.malicious.get(n);
    if (bad && (!bad.versions || (dep.version !== undefined && bad.versions.includes(dep.version)))) {
      out.push({
        ruleId: RULES.maliciousPackage.id,
        message: `${dep.name}${bad.versions ? ` ${dep.version}` : ""} is a known malicious ${bad.versions ? "release" : "package"} (${bad.kind}): ${bad.reason} Source: ${bad.source} (line ${dep.line})`,
        position,
        evidence: { package: n, kind: bad.kind, ...(dep.version ? { version: dep.version } : {}), source: bad.url ?? bad.source },
      });
      continue;
    }
    if (seen.has(n)) continue;
    seen.add(n);
    const target = dep.ecosystem === "pypi" ? imitated(dep.name, reputation) : undefined;
    if (target) {
      out.push({
        ruleId: RULES.typosquat.id,
        message: `${dep.name} is one typo away from the popular package ${target}: check that ${dep.name} is the package you meant (line ${dep.line})`,
        position,
        evidence: { package: n, imitates: target },
      });
    }
  }
  const names = new Set(deps.map((d) => normalizeName(d.name)));
  const deserializers = [...names].filter((n) => CODE_DESERIALIZERS.has(n));
  const loaders = [...names].filter((n) => MODEL_LOADERS.has(n));
  if (deserializers.length > 0 && loaders.length > 0) {
    const first = deps.find((d) => CODE_DESERIALIZERS.has(normalizeName(d.name)))!;
    out.push({
      ruleId: RULES.codeDeserializer.id,
      message: `${deserializers.join(" and ")} declared beside ${loaders.slice(0, 5).join(", ")}: ${deserializers.join("/")} serializes code itself (functions, lambdas, classes), so models or objects saved with it run that code when loaded (line ${first.line})`,
      position: { line: first.line, ...(first.cell !== undefined ? { cell: first.cell } : {}) },
      evidence: { packages: deserializers.join(","), loaders: loaders.join(",") },
    });
  }
  return out;
}
