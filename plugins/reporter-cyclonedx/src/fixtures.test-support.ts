import type { ScanReport } from "@modelward/core";
import { sampleRules, twoTargetSampleReport } from "@modelward/testing";

/** A JSON component as rendered (the fields the tests read). */
export interface CdxComponent {
  /** CycloneDX component type. */
  type: string;
  name: string;
  "bom-ref": string;
  version?: string;
  purl?: string;
  hashes?: { alg: string; content: string }[];
  properties?: { name: string; value: string }[];
  components?: CdxComponent[];
  modelCard?: { modelParameters?: Record<string, unknown>; properties?: { name: string; value: string }[] };
  evidence?: { occurrences?: { location: string; line?: number; offset?: number; symbol?: string; additionalContext?: string }[] };
}

/** A JSON vulnerability as rendered (the fields the tests read). */
export interface CdxVulnerability {
  "bom-ref": string;
  id: string;
  source: { name: string; url: string };
  ratings: { severity: string; method: string; score?: number; source?: { name: string } }[];
  cwes?: number[];
  description: string;
  detail?: string;
  recommendation?: string;
  affects: { ref: string }[];
  analysis?: { state: string; detail?: string };
  properties: { name: string; value: string }[];
}

/** A rendered BOM (the fields the tests read). */
export interface CdxBom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  version: number;
  metadata: { timestamp: string; tools: { components: CdxComponent[] }; component: CdxComponent; properties: { name: string; value: string }[] };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn?: string[] }[];
  vulnerabilities: CdxVulnerability[];
}

/** Rules of the sample as a reporter context. */
export const ctxOf = (rules = sampleRules()) => ({ options: undefined, rules, color: false });

/** Every component of a BOM, depth first. */
export function allComponents(list: CdxComponent[] | undefined): CdxComponent[] {
  return (list ?? []).flatMap((c) => [c, ...allComponents(c.components)]);
}

/** Values of the properties named `name`, in order. */
export const propValues = (props: { name: string; value: string }[] | undefined, name: string): string[] =>
  (props ?? []).filter((p) => p.name === name).map((p) => p.value);

/**
 * The sample stretched: a second target holding a copy of `classifier.pkl`,
 * a member listed without its container, and the same file listed twice.
 */
export function stressReport(): ScanReport {
  const report = twoTargetSampleReport();
  const orphan = structuredClone(report.files.find((f) => f.members.length > 0)!);
  orphan.path = "orphans/lost.pt";
  for (const f of orphan.findings) f.location.path = orphan.path;
  report.files.push(orphan);
  report.files.push(structuredClone(report.files.find((f) => f.path === "model.safetensors")!));
  return report;
}
