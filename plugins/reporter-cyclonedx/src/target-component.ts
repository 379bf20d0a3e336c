import { Enums, Models } from "@cyclonedx/cyclonedx-library";
import type { FileReport, ScanReport, TargetDescription } from "@modelward/core";
import { isModel } from "./artifact-kind.js";
import type { BomRefAllocator } from "./bom-refs.js";
import type { ComponentIndex } from "./components.js";
import { targetModelCardOf, type ModelCardJson } from "./model-card.js";
import { NS, propertiesOf } from "./properties.js";

/** `metadata.component` and the model card to add to it after normalisation. */
export interface SubjectComponent {
  component: Models.Component;
  modelCards: Map<string, ModelCardJson>;
}

function targetComponent(target: TargetDescription, files: readonly FileReport[], components: ComponentIndex, ref: string): { component: Models.Component; card?: ModelCardJson } {
  const model = files.some(isModel);
  const component = new Models.Component(model ? Enums.ComponentType.MachineLearningModel : Enums.ComponentType.File, target.input || target.uri, {
    bomRef: ref,
    ...(target.revision ? { version: target.revision } : {}),
    description: `${target.source} target${model ? " holding a model" : ""}: ${target.uri}`,
    properties: propertiesOf([
      [`${NS}:target`, target.uri],
      [`${NS}:target:source`, target.source],
      [`${NS}:target:revision`, target.revision],
    ]),
  });
  // The target depends on its top-level artifacts; containers depend on their members (components.ts).
  for (const file of files) {
    const artifact = components.byFile.get(file);
    if (artifact && file.members.length === 0) component.dependencies.add(artifact.bomRef);
  }
  const card = model ? targetModelCardOf(files) : undefined;
  return { component, ...(card && card.properties.length > 0 ? { card } : {}) };
}

/**
 * What was scanned, as `metadata.component`: the repository or folder of a
 * one-target scan (a `machine-learning-model` when it holds one, named as the
 * user wrote it, versioned by the revision read), or, for several targets, an
 * umbrella component with one nested component per target. Each target
 * depends on its top-level artifacts, so the dependency graph runs target →
 * artifact → archive member → declared library.
 */
export function buildSubjectComponent(report: ScanReport, components: ComponentIndex, refs: BomRefAllocator): SubjectComponent {
  const modelCards = new Map<string, ModelCardJson>();
  const filesOf = (t: TargetDescription) => report.files.filter((f) => f.target === t.uri);
  const build = (t: TargetDescription) => {
    const { component, card } = targetComponent(t, filesOf(t), components, refs.allocate(`target:${t.input || t.uri}`));
    if (card) modelCards.set(component.bomRef.toString(), card);
    return component;
  };
  if (report.targets.length === 1) return { component: build(report.targets[0]!), modelCards };
  const umbrella = new Models.Component(Enums.ComponentType.File, `${report.targets.length} targets`, {
    bomRef: refs.allocate("targets"),
    description: `Modelward scan of ${report.targets.map((t) => t.input || t.uri).join(", ")}`,
  });
  for (const t of report.targets) {
    const c = build(t);
    umbrella.components.add(c);
    umbrella.dependencies.add(c.bomRef);
  }
  return { component: umbrella, modelCards };
}
