import { Enums, Models } from "@cyclonedx/cyclonedx-library";
import { displayPath, type ComponentRecord, type FileReport, type ScanReport } from "@modelward/core";
import { deservesComponent, isModel } from "./artifact-kind.js";
import { artifactRef, componentRef, type BomRefAllocator } from "./bom-refs.js";
import { modelCardOf, type ModelCardJson } from "./model-card.js";
import { NS, propertiesOf } from "./properties.js";

/** The components of a report and how to find them again. */
export interface ComponentIndex {
  /** Top-level artifact components, in report order (members are nested inside). */
  artifacts: Models.Component[];
  /** Library and framework components, deduplicated, in order of first declaration. */
  packages: Models.Component[];
  /** The component of each artifact that has one. */
  byFile: Map<FileReport, Models.Component>;
  /** Package components each artifact declared, by lower-case package name. */
  declared: Map<FileReport, Map<string, Models.Component>>;
  /** Model cards by bom-ref, added to the JSON after normalisation (the library has no model for them). */
  modelCards: Map<string, ModelCardJson>;
}

const keyOf = (target: string, path: string, members: readonly string[]) => [target, path, ...members].join("\u0000");

function artifactComponent(file: FileReport, ref: string): Models.Component {
  const model = isModel(file);
  const hashes = new Models.HashDictionary();
  if (file.sha256) hashes.set(Enums.HashAlgorithm["SHA-256"], file.sha256);
  return new Models.Component(model ? Enums.ComponentType.MachineLearningModel : Enums.ComponentType.File, file.members.at(-1) ?? file.path, {
    bomRef: ref,
    hashes,
    description: `${file.format ?? "unrecognised"} ${model ? "model" : "file"}${file.framework ? ` for ${file.framework}` : ""}`,
    properties: propertiesOf([
      [`${NS}:artifact`, displayPath(file)],
      [`${NS}:path`, file.path],
      ...file.members.map((m) => [`${NS}:member`, m] as const),
      [`${NS}:target`, file.target],
      [`${NS}:size`, file.size],
      [`${NS}:format`, file.format],
      [`${NS}:framework`, file.framework],
      [`${NS}:status`, file.status],
      [`${NS}:skip-reason`, file.skipReason],
      ...file.incomplete.map((i) => [`${NS}:incomplete`, i.analyzer ? `${i.analyzer}: ${i.reason}` : i.reason] as const),
      [`${NS}:verdict`, file.verdict],
      [`${NS}:highest-severity`, file.highestSeverity],
      [`${NS}:bytes-read`, file.bytesRead],
      ...file.analyzers.map((a) => [`${NS}:analyzer`, a] as const),
      ...file.imports.map((i) => [`${NS}:import`, `${i.safety} ${i.kind} ${i.name}`] as const),
    ]),
  });
}

/** True for an exact version (`1.13.0`, `2.1.0+cu118`), false for a range or spec (`>=4.38`, `~=1.2`, `*`). */
export function isExactVersion(version: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z.+!_-]*$/.test(version);
}

function packageComponent(c: ComponentRecord, ref: string): Models.Component {
  // A range is not a component version: it is kept as a property, and `version` is left out.
  const exact = c.version !== undefined && isExactVersion(c.version);
  return new Models.Component(c.type === "framework" ? Enums.ComponentType.Framework : Enums.ComponentType.Library, c.name, {
    bomRef: ref,
    ...(exact ? { version: c.version } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    properties: propertiesOf([[`${NS}:version-spec`, exact ? undefined : c.version]]),
  });
}

/**
 * Builds one component per artifact that deserves one (see
 * {@link deservesComponent}), nesting archive members under their container
 * (`components` of the parent), plus one component per declared package,
 * linked from the declaring artifact through the dependency graph.
 */
export function buildComponents(report: ScanReport, refs: BomRefAllocator): ComponentIndex {
  const byKey = new Map(report.files.map((f) => [keyOf(f.target, f.path, f.members), f]));
  const included = new Set<FileReport>();
  for (const file of report.files) {
    if (!deservesComponent(file)) continue;
    included.add(file);
    // A member's containers are included too, so it has somewhere to nest.
    for (let n = file.members.length - 1; n >= 0; n--) {
      const parent = byKey.get(keyOf(file.target, file.path, file.members.slice(0, n)));
      if (parent) included.add(parent);
    }
  }

  const index: ComponentIndex = { artifacts: [], packages: [], byFile: new Map(), declared: new Map(), modelCards: new Map() };
  const packagesByRef = new Map<string, Models.Component>();
  for (const file of report.files) {
    if (!included.has(file)) continue;
    const component = artifactComponent(file, refs.allocate(artifactRef(file, report)));
    index.byFile.set(file, component);
    if (isModel(file)) index.modelCards.set(component.bomRef.toString(), modelCardOf(file));

    const declared = new Map<string, Models.Component>();
    for (const record of file.components) {
      const wanted = componentRef(record);
      let pkg = packagesByRef.get(wanted);
      if (!pkg) {
        pkg = packageComponent(record, refs.allocate(wanted));
        packagesByRef.set(wanted, pkg);
        index.packages.push(pkg);
      }
      component.dependencies.add(pkg.bomRef);
      declared.set(record.name.toLowerCase(), pkg);
    }
    index.declared.set(file, declared);
  }

  // Attached in a second pass so a member finds its container whatever the order of files.
  for (const file of report.files) {
    const component = index.byFile.get(file);
    if (!component) continue;
    // Nearest included container, else top level (a report that lists a member without its container).
    let parent: Models.Component | undefined;
    for (let n = file.members.length - 1; n >= 0 && !parent; n--) {
      const container = byKey.get(keyOf(file.target, file.path, file.members.slice(0, n)));
      parent = container ? index.byFile.get(container) : undefined;
    }
    if (parent) {
      parent.components.add(component);
      parent.dependencies.add(component.bomRef);
    } else index.artifacts.push(component);
  }
  return index;
}
