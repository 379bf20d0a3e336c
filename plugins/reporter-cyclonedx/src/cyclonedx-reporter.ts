import { Enums, Models, Serialize, Spec } from "@cyclonedx/cyclonedx-library";
import type { RuleMeta, ScanReport } from "@modelward/core";
import { BomRefAllocator, serialNumberOf } from "./bom-refs.js";
import { buildAdvisoryVulnerabilities } from "./advisory-vulnerabilities.js";
import { buildComponents } from "./components.js";
import type { ModelCardJson } from "./model-card.js";
import { NS, propertiesOf } from "./properties.js";
import { buildVulnerability, INFORMATION_URI } from "./vulnerabilities.js";

/** A component as the JSON normaliser emits it (only what the model-card pass touches). */
interface NormalizedComponent {
  "bom-ref"?: string;
  components?: NormalizedComponent[];
  modelCard?: ModelCardJson;
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

/** Builds the library's BOM model of a report, plus the model cards to add after normalisation. */
export function buildBom(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>): { bom: Models.Bom; modelCards: Map<string, ModelCardJson> } {
  const refs = new BomRefAllocator();
  const components = buildComponents(report, refs);
  const vulnerabilities = new Models.Vulnerability.VulnerabilityRepository();
  for (const file of report.files)
    for (const finding of file.findings) vulnerabilities.add(buildVulnerability(finding, file, rules.get(finding.ruleId), components, refs));
  for (const advisory of buildAdvisoryVulnerabilities(report, components, refs)) vulnerabilities.add(advisory);

  const bom = new Models.Bom({
    version: 1,
    serialNumber: serialNumberOf(report),
    metadata: new Models.Metadata({
      timestamp: new Date(report.finishedAt),
      tools: modelwardTool(report),
      properties: metadataProperties(report),
    }),
    components: new Models.ComponentRepository([...components.artifacts, ...components.packages]),
    vulnerabilities,
  });
  return { bom, modelCards: components.modelCards };
}

function addModelCards(list: NormalizedComponent[] | undefined, cards: Map<string, ModelCardJson>): void {
  for (const c of list ?? []) {
    const card = c["bom-ref"] === undefined ? undefined : cards.get(c["bom-ref"]);
    // The library (10.x) has no model-card model; only machine-learning-model components may carry one.
    if (card && c.type === "machine-learning-model") c.modelCard = card;
    addModelCards(c.components, cards);
  }
}

/** Renders the CycloneDX 1.6 JSON document of a report (the object, before stringification). */
export function renderBomJson(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>): Record<string, unknown> {
  const { bom, modelCards } = buildBom(report, rules);
  const factory = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6);
  // sortLists:false keeps report order; the library's sorting uses locale-dependent comparison.
  const json = factory.makeForBom().normalize(bom, { sortLists: false }) as unknown as { components?: NormalizedComponent[] };
  addModelCards(json.components, modelCards);
  return json as Record<string, unknown>;
}
