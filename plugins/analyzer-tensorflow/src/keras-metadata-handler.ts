import type { FormatHandler } from "@modelward/plugin-kit";
import { bytesSource } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { readProtobuf } from "./saved-model-handler.js";
import { decodeTf, type SavedMetadata } from "./tf-proto.js";

/** Name of the JSON member handed to the engine, which the Keras analyzer walks. */
export const KERAS_METADATA_MEMBER = "keras_metadata.json";

/**
 * `keras_metadata.pb` of a tf.keras SavedModel: one JSON config per saved
 * Keras object (the model, every layer, Lambda code included). The configs
 * are gathered into one JSON document `{"nodes": [...]}` and handed to the
 * engine, so the Keras analyzer applies its whole-config walk to them.
 */
export const kerasMetadataHandler: FormatHandler = {
  formats: ["tensorflow", "keras"],
  match(file) {
    return file.name === "keras_metadata.pb";
  },
  async analyze(file, ctx) {
    const bytes = await readProtobuf(file, ctx);
    if (!bytes) return;
    const decoded = decodeTf<SavedMetadata>("SavedMetadata", bytes);
    if (!decoded.ok) {
      ctx.report({ ruleId: RULES.malformed.id, message: `${file.name} does not decode as Keras SavedMetadata (${decoded.error}); it was not checked`, evidence: { error: decoded.error } });
      ctx.incomplete(`${file.name} not decoded`);
      return;
    }
    const nodes = decoded.value.nodes ?? [];
    const configs = nodes.map((n) => n.metadata ?? "").filter((m) => m.trim().length > 0);
    ctx.describe({ format: "tensorflow", framework: "keras", properties: { kerasObjects: nodes.length } });
    if (configs.length === 0) return;
    const document = new TextEncoder().encode(`{"nodes": [${configs.join(",")}]}`);
    await ctx.scanNested({ ...bytesSource(document), name: KERAS_METADATA_MEMBER });
  },
};
