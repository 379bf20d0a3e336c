import { Enums, Models, Serialize, Spec } from "@cyclonedx/cyclonedx-library";
import type { RuleMeta, ScanReport } from "@modelward/core";
import { BomRefAllocator, serialNumberOf } from "./bom-refs.js";
import { buildAdvisoryVulnerabilities } from "./advisory-vulnerabilities.js";
import { buildComponents } from "./components.js";
import type { ModelCardJson } from "./model-card.js";
import { occurrencesByRef, type OccurrenceJson } from "./occurrences.js";
import { NS, propertiesOf } from "./properties.js";
import { buildSubjectComponent } from "./target-component.js";
import { buildRuleVulnerability, groupByRule, INFORMATION_URI } from "./vulnerabilities.js";

/** A component as the JSON normaliser emits it (only what the model-card pass touches). */
interface NormalizedComponent {
  "bom-ref"?: string;
  components?: NormalizedComponent[];
  modelCard?: ModelCardJson;
  evidence?: { occurrences?: OccurrenceJson[] };
  [key: string]: unknown;
}

function modelwardTool(report: ScanReport): Models.Tools {
  const externalReferences = new Models.ExternalReferenceRepository([
    new Models.ExternalReference(INFORMATION_URI, Enums.ExternalReferenceType.Website),
  ]);
  const tool = new Models.Component(Enums.ComponentType.Application, "modelward", {
    bomRef: "tool:modelward",
    version: report.tool.version,
    externalReferences,
    properties: propertiesOf([
      ...report.tool.analyzers.map((a) => [`${NS}:analyzer`, `${a.id}@${a.version} (${a.plugin})`] as const),
      ...report.tool.rulesets.map((r) => [`${NS}:ruleset`, r] as const),
    ]),
  });
  return new Models.Tools({ components: new Models.ComponentRepository([tool]) });
}

function metadataProperties(report: ScanReport): Models.PropertyRepository {
  const s = report.summary;
  return propertiesOf([
    [`${NS}:report-schema-version`, report.schemaVersion],
    ...report.targets.flatMap((t) => [
      [`${NS}:target`, t.uri] as const,
      [`${NS}:target:input`, t.input] as const,
      [`${NS}:target:source`, t.source] as const,
      [`${NS}:target:revision`, t.revision] as const,
    ]),
    [`${NS}:started-at`, report.startedAt],
    [`${NS}:duration-ms`, report.durationMs],
    [`${NS}:verdict`, s.verdict],
    [`${NS}:highest-severity`, s.highestSeverity],
    [`${NS}:failed`, s.failed],
    [`${NS}:fail-on`, s.failOn],
    [`${NS}:files:total`, s.files.total],
    [`${NS}:files:scanned`, s.files.scanned],
    [`${NS}:files:incomplete`, s.files.incomplete],
    [`${NS}:files:skipped`, s.files.skipped],
    [`${NS}:findings:total`, s.findings.total],
    [`${NS}:findings:suppressed`, s.findings.suppressed],
  ]);
}

/** What the JSON gets after normalisation: the CycloneDX library (10.x) has no model for these. */
interface Additions {
  modelCards: Map<string, ModelCardJson>;
  occurrences: Map<string, OccurrenceJson[]>;
}

/** Builds the library's BOM model of a report, plus the model cards and occurrences to add after normalisation. */
export function buildBom(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>): { bom: Models.Bom } & Additions {
  const refs = new BomRefAllocator();
  const components = buildComponents(report, refs);
  const subject = buildSubjectComponent(report, components, refs);
  const vulnerabilities = new Models.Vulnerability.VulnerabilityRepository();
  for (const group of groupByRule(report.files)) vulnerabilities.add(buildRuleVulnerability(group, rules.get(group.ruleId), components, refs));
  for (const advisory of buildAdvisoryVulnerabilities(report, components, refs)) vulnerabilities.add(advisory);

  const bom = new Models.Bom({
    version: 1,
    serialNumber: serialNumberOf(report),
    metadata: new Models.Metadata({
      timestamp: new Date(report.finishedAt),
      tools: modelwardTool(report),
      component: subject.component,
      properties: metadataProperties(report),
    }),
    components: new Models.ComponentRepository([...components.artifacts, ...components.packages]),
    vulnerabilities,
  });
  return { bom, modelCards: new Map([...components.modelCards, ...subject.modelCards]), occurrences: occurrencesByRef(report.files, components) };
}

function addToComponents(list: NormalizedComponent[] | undefined, add: Additions): void {
  for (const c of list ?? []) {
    const ref = c["bom-ref"];
    const card = ref === undefined ? undefined : add.modelCards.get(ref);
    // Only machine-learning-model components may carry a model card.
    if (card && c.type === "machine-learning-model") c.modelCard = card;
    const occurrences = ref === undefined ? undefined : add.occurrences.get(ref);
    if (occurrences?.length) c.evidence = { ...c.evidence, occurrences };
    addToComponents(c.components, add);
  }
}

/** Renders the CycloneDX 1.6 JSON document of a report (the object, before stringification). */
export function renderBomJson(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>): Record<string, unknown> {
  const { bom, ...additions } = buildBom(report, rules);
  const factory = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6);
  // sortLists:false keeps report order; the library's sorting uses locale-dependent comparison.
  const json = factory.makeForBom().normalize(bom, { sortLists: false }) as unknown as { components?: NormalizedComponent[]; metadata?: { component?: NormalizedComponent } };
  addToComponents(json.components, additions);
  if (json.metadata?.component) addToComponents([json.metadata.component], additions);
  return json as Record<string, unknown>;
}
