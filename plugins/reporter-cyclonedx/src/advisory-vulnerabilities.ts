import { Enums, Models } from "@cyclonedx/cyclonedx-library";
import type { ComponentAdvisory, ScanReport } from "@modelward/core";
import type { BomRefAllocator } from "./bom-refs.js";
import type { ComponentIndex } from "./components.js";
import { isExactVersion } from "./components.js";

/** Where an advisory id is published, by its prefix (OSV ids of the PyPA database, CVE, GHSA). */
function sourceOf(id: string): Models.Vulnerability.Source {
  if (id.startsWith("PYSEC-")) return new Models.Vulnerability.Source({ name: "PyPA advisory database", url: `https://osv.dev/vulnerability/${id}` });
  if (id.startsWith("CVE-")) return new Models.Vulnerability.Source({ name: "NVD", url: `https://nvd.nist.gov/vuln/detail/${id}` });
  if (id.startsWith("GHSA-")) return new Models.Vulnerability.Source({ name: "GitHub Advisory Database", url: `https://github.com/advisories/${id}` });
  return new Models.Vulnerability.Source({ name: "OSV", url: `https://osv.dev/vulnerability/${id}` });
}

/**
 * One vulnerability per published advisory that a declared package is
 * affected by (ids as the database spells them, aliases as references),
 * affecting each package component: the declared version (or range) as
 * affected, each fixed version as unaffected.
 */
export function buildAdvisoryVulnerabilities(report: ScanReport, components: ComponentIndex, refs: BomRefAllocator): Models.Vulnerability.Vulnerability[] {
  const byId = new Map<string, { advisory: ComponentAdvisory; affects: Map<string, { ref: Models.Component; versions: Set<string> }> }>();
  for (const file of report.files) {
    const declared = components.declared.get(file);
    if (!declared) continue;
    for (const record of file.components) {
      const pkg = declared.get(record.name.toLowerCase());
      if (!pkg) continue;
      for (const advisory of record.advisories ?? []) {
        const entry = byId.get(advisory.id) ?? { advisory, affects: new Map() };
        byId.set(advisory.id, entry);
        const key = pkg.bomRef.toString();
        const affect = entry.affects.get(key) ?? { ref: pkg, versions: new Set<string>() };
        entry.affects.set(key, affect);
        if (record.version) affect.versions.add(record.version);
      }
    }
  }
  const out: Models.Vulnerability.Vulnerability[] = [];
  for (const [id, { advisory, affects }] of byId) {
    const repo = new Models.Vulnerability.AffectRepository();
    for (const { ref, versions } of affects.values()) {
      const list = new Models.Vulnerability.AffectedVersionRepository();
      for (const v of versions) {
        // A pin is an affected version; a PEP 440 range is written as a vers range whose status is unknown (it may resolve to a fixed version).
        if (isExactVersion(v)) list.add(new Models.Vulnerability.AffectedSingleVersion(v, { status: Enums.Vulnerability.AffectStatus.Affected }));
        else if (/^(?:(?:<=|>=|<|>|==|!=)[0-9][A-Za-z0-9.+!_-]*,?)+$/.test(v)) list.add(new Models.Vulnerability.AffectedVersionRange(`vers:pypi/${v.replace(/,/g, "|")}`, { status: Enums.Vulnerability.AffectStatus.Unknown }));
      }
      for (const fixed of advisory.fixed) list.add(new Models.Vulnerability.AffectedSingleVersion(fixed, { status: Enums.Vulnerability.AffectStatus.Unaffected }));
      repo.add(new Models.Vulnerability.Affect(ref.bomRef, { versions: list }));
    }
    out.push(
      new Models.Vulnerability.Vulnerability({
        bomRef: refs.allocate(`advisory:${id}`),
        id,
        source: sourceOf(id),
        references: new Models.Vulnerability.ReferenceRepository(advisory.aliases.map((a) => new Models.Vulnerability.Reference(a, sourceOf(a)))),
        ...(advisory.fixed.length > 0 ? { recommendation: `Upgrade to a fixed version: ${advisory.fixed.join(", ")}.` } : { recommendation: "No fixed version is known: replace the package or isolate it." }),
        affects: repo,
      }),
    );
  }
  return out;
}
