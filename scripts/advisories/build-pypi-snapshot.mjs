#!/usr/bin/env node
// Builds rulesets/default/data/pypi-advisories.json, the offline advisory snapshot the SBOM
// analyzer matches declared versions against, from a local clone (or bare mirror) of the public
// PyPA advisory database (https://github.com/pypa/advisory-database, CC-BY-4.0).
//
//   node scripts/advisories/build-pypi-snapshot.mjs --repo <path to the database's git dir> [--rev HEAD]
//
// Reads vulns/<package>/*.yaml with `git show` (no work tree needed) for the packages listed in
// scripts/advisories/ml-packages.json, keeps the ECOSYSTEM ranges (enumerated versions where there is none), aliases and
// a severity computed from a CVSS v3 vector when the advisory has one. Withdrawn advisories are left out.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
// The YAML parser the analyzer already depends on (pinned there).
const YAML = createRequire(join(root, "plugins/analyzer-sbom/package.json"))("yaml");

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const repo = opt("repo");
const rev = opt("rev", "HEAD");
const out = opt("out", join(root, "rulesets/default/data/pypi-advisories.json"));
if (!repo) {
  console.error("usage: build-pypi-snapshot.mjs --repo <pypa/advisory-database git dir> [--rev HEAD] [--out file]");
  process.exit(2);
}

const git = (...a) => execFileSync("git", ["--git-dir", repo, ...a], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const commit = git("rev-parse", rev).trim();
const committedAt = git("show", "-s", "--format=%cI", commit).trim();
const packages = JSON.parse(readFileSync(join(here, "ml-packages.json"), "utf8")).packages;
const available = new Set(git("ls-tree", "--name-only", `${commit}:vulns`).split("\n").filter(Boolean));

// CVSS v3.x base score (FIRST CVSS v3.1 specification, section 7.1), to rate advisories that carry a vector.
const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, AC: { L: 0.77, H: 0.44 }, UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 }, I: { H: 0.56, L: 0.22, N: 0 }, A: { H: 0.56, L: 0.22, N: 0 },
};
const roundUp = (x) => { const i = Math.round(x * 100000); return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10; };
export function cvss3Score(vector) {
  const m = Object.fromEntries(vector.split("/").slice(1).map((p) => p.split(":")));
  if (!m.AV || !m.AC || !m.PR || !m.UI || !m.S || !m.C || !m.I || !m.A) return undefined;
  const changed = m.S === "C";
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m.PR];
  const iss = 1 - (1 - W.C[m.C]) * (1 - W.I[m.I]) * (1 - W.A[m.A]);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploit = 8.22 * W.AV[m.AV] * W.AC[m.AC] * pr * W.UI[m.UI];
  if (impact <= 0) return 0;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploit) : impact + exploit, 10));
}
const level = (s) => (s >= 9 ? "critical" : s >= 7 ? "high" : s >= 4 ? "medium" : s > 0 ? "low" : undefined);

function severityOf(adv) {
  for (const s of adv.severity ?? []) {
    if (s.type === "CVSS_V3" && typeof s.score === "string") {
      const score = cvss3Score(s.score);
      if (score !== undefined) return { severity: level(score), cvss: s.score, score };
    }
  }
  return {};
}

const snapshot = {};
let advisories = 0;
for (const name of packages) {
  if (!available.has(name)) continue;
  const files = git("ls-tree", "--name-only", `${commit}:vulns/${name}`).split("\n").filter((f) => f.endsWith(".yaml"));
  const entries = [];
  for (const file of files) {
    const adv = YAML.parse(git("show", `${commit}:vulns/${name}/${file}`));
    if (adv.withdrawn) continue;
    for (const affected of adv.affected ?? []) {
      if (affected.package?.ecosystem !== "PyPI" || affected.package?.name?.toLowerCase() !== name) continue;
      const ranges = [];
      for (const range of affected.ranges ?? []) {
        if (range.type !== "ECOSYSTEM") continue;
        let current;
        for (const event of range.events ?? []) {
          if (event.introduced !== undefined) current = { introduced: String(event.introduced) };
          else if (current && event.fixed !== undefined) { ranges.push({ ...current, fixed: String(event.fixed) }); current = undefined; }
          else if (current && event.last_affected !== undefined) { ranges.push({ ...current, lastAffected: String(event.last_affected) }); current = undefined; }
        }
        if (current) ranges.push(current);
      }
      const versions = (affected.versions ?? []).map(String);
      if (ranges.length === 0 && versions.length === 0) continue;
      const summary = String(adv.summary ?? adv.details ?? "").replace(/\s+/g, " ").trim();
      entries.push({
        id: adv.id,
        aliases: (adv.aliases ?? []).map(String).sort(),
        summary: summary.length > 200 ? `${summary.slice(0, 197)}...` : summary,
        ...severityOf(adv),
        ranges,
        // Enumerated versions only where no range says it (PEP 440 comparison covers the rest).
        ...(ranges.length === 0 ? { versions } : {}),
        published: adv.published ? String(adv.published instanceof Date ? adv.published.toISOString() : adv.published).slice(0, 10) : undefined,
      });
      advisories++;
    }
  }
  entries.sort((a, b) => a.id.localeCompare(b.id));
  if (entries.length > 0) snapshot[name] = entries;
}

const data = {
  source: "https://github.com/pypa/advisory-database",
  commit,
  snapshotDate: committedAt.slice(0, 10),
  license: "CC-BY-4.0",
  notice:
    "Advisory data from the Python Packaging Authority advisory database (https://github.com/pypa/advisory-database), licensed under CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Reduced to the packages of scripts/advisories/ml-packages.json and to ECOSYSTEM ranges, affected versions, aliases and a CVSS v3 severity; summaries shortened.",
  packagesListed: packages.length,
  packagesWithAdvisories: Object.keys(snapshot).length,
  advisories,
  packages: snapshot,
};
// One advisory per line: reviewable diffs when the snapshot is refreshed.
const body = JSON.stringify({ ...data, packages: undefined }, null, 2).replace(/\n}$/, "");
const pkgs = Object.entries(snapshot)
  .map(([name, list]) => `    ${JSON.stringify(name)}: [\n${list.map((e) => `      ${JSON.stringify(e)}`).join(",\n")}\n    ]`)
  .join(",\n");
writeFileSync(out, `${body},\n  "packages": {\n${pkgs}\n  }\n}\n`);
console.log(`${out}: ${advisories} advisories for ${Object.keys(snapshot).length} of ${packages.length} packages (database ${commit.slice(0, 12)} of ${committedAt})`);
