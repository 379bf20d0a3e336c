import type { FileReport } from "@modelward/core";
import { NS } from "./properties.js";

/** The CycloneDX 1.6 `modelCard` subset this reporter fills from analyzer facts. */
export interface ModelCardJson {
  /** Hyper-parameters named by the facts. */
  modelParameters?: {
    task?: string;
    architectureFamily?: string;
    modelArchitecture?: string;
    /** Datasets the metadata names (model-card `datasets`), as inline data entries. */
    datasets?: { type: "dataset"; name: string }[];
  };
  /** Every fact the analyzers extracted, as name-value pairs. */
  properties: { name: string; value: string }[];
}

// Fact keys analyzers may use, mapped onto the model card's typed fields.
const PARAMETER_KEYS: Record<string, "task" | "architectureFamily" | "modelArchitecture"> = {
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

/** Facts that describe the model itself, kept on a target's card. */
const MODEL_FACTS: ReadonlySet<string> = new Set([
  ...Object.keys(PARAMETER_KEYS),
  "datasets",
  "libraryName",
  "license",
  "baseModel",
  "parameterCount",
  "parameters",
  "quantization",
  "dtype",
  "dtypes",
  "sizeLabel",
  "transformersVersion",
]);

/** Most datasets listed on one card (a front matter can name hundreds). */
const MAX_DATASETS = 50;

/** Adds `facts` to a card under construction: typed parameters first come, first kept. */
function addFacts(card: Required<ModelCardJson>, facts: Record<string, unknown>, prefix = ""): void {
  const params = card.modelParameters;
  for (const key of Object.keys(facts).sort()) {
    const value = String(facts[key]);
    card.properties.push({ name: `${NS}:card:${prefix}${key}`, value });
    const param = PARAMETER_KEYS[key];
    if (param && params[param] === undefined) params[param] = value;
    if (key === "datasets" && typeof facts[key] === "string") {
      const names = (facts[key] as string).split(",").map((d) => d.trim()).filter(Boolean);
      params.datasets ??= [];
      for (const name of names) if (params.datasets.length < MAX_DATASETS && !params.datasets.some((d) => d.name === name)) params.datasets.push({ type: "dataset", name });
    }
  }
}

function finish(card: Required<ModelCardJson>): ModelCardJson {
  return Object.keys(card.modelParameters).length ? card : { properties: card.properties };
}

/**
 * The model card of a model artifact: format and framework, then every fact
 * from `FileReport.properties` (sorted by key for determinism) as a
 * `modelward:card:<key>` property, and the well-known keys also as typed
 * `modelParameters` (task, architecture, datasets).
 */
export function modelCardOf(file: FileReport): ModelCardJson {
  const card: Required<ModelCardJson> = { modelParameters: {}, properties: [] };
  if (file.format) card.properties.push({ name: `${NS}:card:format`, value: file.format });
  if (file.framework) card.properties.push({ name: `${NS}:card:framework`, value: file.framework });
  addFacts(card, file.properties);
  return finish(card);
}

/**
 * The model card of a whole target (a model repository or folder): what its
 * files say about the model, merged — the architecture from `config.json`, the
 * task and datasets from the model card's front matter, the framework and
 * format of each weight file. Facts are prefixed with the file they come
 * from (`modelward:card:config.json:architecture`); typed parameters take the
 * first file's value in report order.
 */
export function targetModelCardOf(files: readonly FileReport[]): ModelCardJson {
  const card: Required<ModelCardJson> = { modelParameters: {}, properties: [] };
  for (const file of files) {
    if (file.members.length > 0) continue;
    // Only facts about the model: a pickle's opcode count or a zip's comment length describe the file, not the model.
    const facts: Record<string, unknown> = {};
    for (const key of Object.keys(file.properties)) if (MODEL_FACTS.has(key)) facts[key] = file.properties[key];
    if (file.framework && Object.keys(facts).length > 0) facts.framework = file.framework;
    if (Object.keys(facts).length > 0) addFacts(card, facts, `${file.path}:`);
  }
  return finish(card);
}
