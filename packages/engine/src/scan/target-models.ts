import { maxSeverity, verdictOf, type ModelReport, type Severity } from "@modelward/core";
import type { ArtifactRecord } from "./artifact-record.js";

/**
 * Scan-level grouping of multi-file models (after every artifact is recorded): an
 * artifact that declared itself the root of a model (`describe({ model })`, e.g. a
 * SavedModel's `saved_model.pb`) claims the files of its folder that the model's
 * layout names (`variables/`, `fingerprint.pb`…). Each claimed file (and its
 * members) is marked with the model's path; the report lists every model with the
 * verdict over all of its files, so a side file is judged as part of its model
 * while its own findings still point at it.
 */
export function groupModels(records: ArtifactRecord[]): ModelReport[] {
  const models: ModelReport[] = [];
  const roots = records.filter((r) => r.members.length === 0 && r.layout !== undefined && r.path);
  for (const root of roots) {
    const decl = root.layout!;
    const folder = root.path.includes("/") ? root.path.slice(0, root.path.lastIndexOf("/")) : "";
    const inFolder = (p: string) => (folder ? p.startsWith(`${folder}/`) : true);
    const rel = (p: string) => (folder ? p.slice(folder.length + 1) : p);
    const claims = (p: string) => inFolder(p) && decl.parts.some((part) => (part.endsWith("/") ? rel(p).startsWith(part) : rel(p) === part));
    const modelPath = folder || ".";
    const files = new Set<string>();
    let worst: Severity | undefined;
    let partial = false;
    for (const r of records) {
      if (r.target !== root.target || !claims(r.path)) continue;
      // The first model to claim a file keeps it (nested SavedModels are separate folders).
      if (r.partOf !== undefined && r.partOf !== modelPath) continue;
      r.partOf = modelPath;
      files.add(r.path);
      worst = maxSeverity([worst, ...r.findings.filter((f) => !f.suppression).map((f) => f.severity)].filter((s): s is Severity => s !== undefined));
      if (r.incomplete.length) partial = true;
    }
    const model: ModelReport = { target: root.target, path: modelPath, kind: decl.kind, files: [...files].sort(), verdict: verdictOf(worst, partial) };
    if (worst) model.highestSeverity = worst;
    models.push(model);
  }
  return models;
}
