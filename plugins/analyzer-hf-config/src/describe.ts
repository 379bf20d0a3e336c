import type { AnalyzerContext } from "@modelward/core";

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v.length <= 200 ? v : undefined;
}

/** Inventory facts of a transformers config or a model card (for the ML-BOM). */
export function describeConfig(doc: unknown, ctx: Pick<AnalyzerContext, "describe">): void {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return;
  const d = doc as Record<string, unknown>;
  const props: Record<string, string | number | boolean> = {};
  const arch = Array.isArray(d.architectures) ? str(d.architectures[0]) : undefined;
  if (arch) props.architecture = arch;
  const modelType = str(d.model_type);
  if (modelType) props.modelType = modelType;
  const name = str(d._name_or_path) ?? str(d.model_name);
  if (name) props.name = name;
  const dtype = str(d.torch_dtype) ?? str(d.dtype);
  if (dtype) props.dtype = dtype;
  const q = d.quantization_config;
  if (q && typeof q === "object" && !Array.isArray(q)) {
    const method = str((q as Record<string, unknown>).quant_method);
    if (method) props.quantization = method;
  }
  const license = str(d.license);
  if (license) props.license = license;
  const base = str(d.base_model) ?? (Array.isArray(d.base_model) ? str(d.base_model[0]) : undefined);
  if (base) props.baseModel = base;
  if (typeof d.transformers_version === "string") props.transformersVersion = d.transformers_version.slice(0, 40);
  // Model-card front matter: what the model does and what it was trained on (for the ML-BOM's model card).
  const task = str(d.pipeline_tag);
  if (task) props.task = task;
  const library = str(d.library_name);
  if (library) props.libraryName = library;
  const datasets = (Array.isArray(d.datasets) ? d.datasets : [d.datasets]).map(str).filter((x): x is string => x !== undefined && !x.includes(","));
  if (datasets.length > 0) props.datasets = datasets.slice(0, 50).join(",");
  const isModel = arch !== undefined || modelType !== undefined;
  if (Object.keys(props).length > 0) ctx.describe(isModel ? { framework: "transformers", properties: props } : { properties: props });
}
