import type { AnalyzerContext, ModelFile } from "@modelward/core";
import type { FormatHandler } from "@modelward/plugin-kit";
import { checkGraph, type GraphSummary } from "./graph-check.js";
import { looksLikeGraphDef, looksLikeSavedModel } from "./protobuf-sniff.js";
import { RULES } from "./rules.js";
import { decodeTf, type GraphDef, type SavedModel } from "./tf-proto.js";

// protobuf's own message limit is 2 GiB; a graph is read whole, so the engine's read bound applies too.
const MAX_PROTOBUF_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** Reads a whole protobuf file within bounds, or reports why not (finding + incomplete). */
export async function readProtobuf(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<Uint8Array | undefined> {
  const limit = Math.min(MAX_PROTOBUF_BYTES, ctx.limits.maxReadBytes);
  if (file.size > limit) {
    ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} is ${file.size} bytes, over the ${limit}-byte read bound; its graph was not checked`, evidence: { size: file.size, limit } });
    ctx.incomplete(`${file.name} not decoded: larger than ${limit} bytes`);
    return undefined;
  }
  return file.read(0, file.size);
}

/**
 * SavedModel `saved_model.pb` (every MetaGraphDef's graph and function
 * library) and frozen GraphDef `.pb` files, by content; a file named
 * `saved_model.pb` is always taken, so one that decodes as neither is a finding.
 */
/** What `tf.saved_model.save` writes beside `saved_model.pb` (and Keras' `keras_metadata.pb`). */
export const SAVED_MODEL_LAYOUT = {
  kind: "TensorFlow SavedModel",
  parts: ["saved_model.pb", "saved_model.pbtxt", "keras_metadata.pb", "fingerprint.pb", "variables/", "assets/", "assets.extra/"],
};

export const savedModelHandler: FormatHandler = {
  formats: ["tensorflow"],
  match(file, head) {
    return file.name === "saved_model.pb" || looksLikeSavedModel(head) || looksLikeGraphDef(head);
  },
  async analyze(file, ctx) {
    // A SavedModel is its folder: the report judges these files together (before decoding, so a broken one is grouped too).
    if (file.name === "saved_model.pb" && file.depth === 0) ctx.describe({ model: SAVED_MODEL_LAYOUT });
    const bytes = await readProtobuf(file, ctx);
    if (!bytes) return;
    const properties: Record<string, string | number | boolean> = {};
    const summaries: GraphSummary[] = [];
    let layout: string | undefined;
    if (!looksLikeGraphDef(bytes)) {
      const saved = decodeTf<SavedModel>("SavedModel", bytes);
      const metaGraphs = saved.ok ? (saved.value.meta_graphs ?? []) : [];
      if (metaGraphs.length > 0) {
        layout = "saved_model";
        properties.metaGraphs = metaGraphs.length;
        metaGraphs.forEach((mg, i) => {
          const tags = mg.meta_info_def?.tags ?? [];
          if (i === 0 && tags.length) properties.tags = tags.join(",");
          if (mg.meta_info_def?.tensorflow_version) properties.tensorflowVersion = mg.meta_info_def.tensorflow_version.slice(0, 32);
          if (mg.graph_def) summaries.push(checkGraph(mg.graph_def, ctx, `${file.name} meta graph ${i}${tags.length ? ` [${tags.join(",")}]` : ""}`));
        });
      }
    }
    if (!layout) {
      const graph = decodeTf<GraphDef>("GraphDef", bytes);
      if (graph.ok && ((graph.value.node?.length ?? 0) > 0 || (graph.value.library?.function?.length ?? 0) > 0)) {
        layout = "graph_def";
        summaries.push(checkGraph(graph.value, ctx, file.name));
      } else {
        const why = graph.ok ? "it holds no graph" : graph.error;
        ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} decodes neither as a SavedModel nor as a GraphDef (${why}); it was not checked`, evidence: { error: why } });
        ctx.incomplete(`${file.name} not decoded as a TensorFlow graph`);
        return;
      }
    }
    properties.layout = layout;
    properties.nodes = summaries.reduce((n, s) => n + s.nodes, 0);
    properties.functions = summaries.reduce((n, s) => n + s.functions, 0);
    ctx.describe({ format: "tensorflow", framework: "tensorflow", properties });
  },
};
