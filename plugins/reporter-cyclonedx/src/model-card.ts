import type { FileReport } from "@modelward/core";
import { NS } from "./properties.js";

/** The CycloneDX 1.6 `modelCard` subset this reporter fills from analyzer facts. */
export interface ModelCardJson {
  /** Hyper-parameters named by the facts. */
  modelParameters?: { task?: string; architectureFamily?: string; modelArchitecture?: string };
  /** Every fact the analyzers extracted, as name-value pairs. */
  properties: { name: string; value: string }[];
}

// Fact keys analyzers may use, mapped onto the model card's typed fields.
const PARAMETER_KEYS: Record<string, keyof NonNullable<ModelCardJson["modelParameters"]>> = {
  task: "task",
  pipelineTag: "task",
  pipeline_tag: "task",
  architectureFamily: "architectureFamily",
  architecture_family: "architectureFamily",
  modelType: "architectureFamily",
  model_type: "architectureFamily",
  architecture: "modelArchitecture",
  modelArchitecture: "modelArchitecture",
};

/**
 * The model card of a model artifact: format and framework, then every fact
 * from `FileReport.properties` (sorted by key for determinism) as a
 * `modelward:card:<key>` property, and the well-known keys also as typed
 * `modelParameters`.
 */
export function modelCardOf(file: FileReport): ModelCardJson {
  const properties: ModelCardJson["properties"] = [];
  if (file.format) properties.push({ name: `${NS}:card:format`, value: file.format });
  if (file.framework) properties.push({ name: `${NS}:card:framework`, value: file.framework });
  const params: NonNullable<ModelCardJson["modelParameters"]> = {};
  for (const key of Object.keys(file.properties).sort()) {
    const value = String(file.properties[key]);
    properties.push({ name: `${NS}:card:${key}`, value });
    const param = PARAMETER_KEYS[key];
    if (param && params[param] === undefined) params[param] = value;
  }
  return Object.keys(params).length ? { modelParameters: params, properties } : { properties };
}
