import { buildZip, type ZipFixtureEntry } from "./zip-builder.js";

/** A Keras 3 serialized object (`serialize_keras_object` shape). */
export interface KerasObject {
  module?: string | null;
  class_name: string;
  config?: unknown;
  registered_name?: string | null;
  [key: string]: unknown;
}

/** A Keras 3 layer object, `module: "keras.layers"` by default. */
export function kerasLayer(className: string, config: Record<string, unknown> = {}, module: string | null = "keras.layers"): KerasObject {
  return { module, class_name: className, config: { name: className.toLowerCase(), trainable: true, dtype: "float32", ...config }, registered_name: null };
}

/** A Keras 3 `Sequential` model config holding `layers` (nest one for nested models). */
export function kerasSequential(layers: KerasObject[], extra: Record<string, unknown> = {}): KerasObject {
  return { module: "keras", class_name: "Sequential", config: { name: "sequential", trainable: true, dtype: "float32", layers }, registered_name: null, build_config: { input_shape: [null, 4] }, ...extra };
}

/** A benign Keras 3 config: Input → Dense(relu) → Dense(softmax), compiled with Adam and crossentropy. */
export function benignKerasConfig(): KerasObject {
  return kerasSequential(
    [
      kerasLayer("InputLayer", { batch_shape: [null, 4], sparse: false }),
      kerasLayer("Dense", { units: 8, activation: "relu", use_bias: true, kernel_initializer: { module: "keras.initializers", class_name: "GlorotUniform", config: { seed: null }, registered_name: null }, bias_initializer: { module: "keras.initializers", class_name: "Zeros", config: {}, registered_name: null } }),
      kerasLayer("Dense", { units: 3, activation: "softmax" }),
    ],
    {
      compile_config: {
        optimizer: { module: "keras.optimizers", class_name: "Adam", config: { name: "adam", learning_rate: 0.001 }, registered_name: null },
        loss: "categorical_crossentropy",
        metrics: ["accuracy"],
        loss_weights: null,
      },
    },
  );
}

/** Options of {@link buildKeras}. */
export interface KerasArchiveOptions {
  /** config.json content (object is JSON-encoded; a string is written as is). Default: {@link benignKerasConfig}. */
  config?: unknown;
  /** metadata.json content. Default: Keras 3.6 metadata. */
  metadata?: unknown;
  /** Bytes of model.weights.h5 (default: absent). */
  weights?: Uint8Array;
  /** More members (assets, smuggled files). */
  extra?: ZipFixtureEntry[];
  /** Leave config.json out. */
  omitConfig?: boolean;
}

/**
 * A Keras 3 `.keras` archive as `keras.saving.save_model` writes it
 * (`metadata.json`, `config.json`, `model.weights.h5`), deflated.
 */
export function buildKeras(options: KerasArchiveOptions = {}): Uint8Array {
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const entries: ZipFixtureEntry[] = [
    { name: "metadata.json", data: text(options.metadata ?? { keras_version: "3.6.0", date_saved: "2026-11-30@12:00:00" }), method: "deflate" },
  ];
  if (!options.omitConfig) entries.push({ name: "config.json", data: text(options.config ?? benignKerasConfig()), method: "deflate" });
  if (options.weights) entries.push({ name: "model.weights.h5", data: options.weights, method: "deflate" });
  entries.push(...(options.extra ?? []));
  return buildZip(entries);
}
