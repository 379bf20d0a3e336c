import { benignKerasConfig, buildKeras, kerasLayer, kerasSequential } from "@modelward/testing";
import { tester } from "./test-support.js";

const conv = () =>
  kerasSequential([
    kerasLayer("InputLayer", { batch_shape: [null, 28, 28, 1] }),
    kerasLayer("Conv2D", { filters: 8, kernel_size: [3, 3], activation: "relu", kernel_regularizer: { module: "keras.regularizers", class_name: "L2", config: { l2: 0.01 }, registered_name: null } }),
    kerasLayer("MaxPooling2D", { pool_size: [2, 2] }),
    kerasLayer("BatchNormalization"),
    kerasLayer("Flatten"),
    kerasLayer("Dropout", { rate: 0.5 }),
    kerasLayer("Dense", { units: 10, activation: { module: "keras.activations", class_name: "function", config: "softmax", registered_name: "softmax" } }),
  ]);

tester.run("benign Keras models", {
  valid: [
    { name: "Dense model (.keras)", path: "dense.keras", bytes: () => buildKeras() },
    { name: "Conv model with regularizer and function activation (.keras)", path: "conv.keras", bytes: () => buildKeras({ config: conv() }) },
    { name: "config with NaN written by Python's json", path: "nan.keras", bytes: () => buildKeras({ config: JSON.stringify(benignKerasConfig()).replace('"learning_rate":0.001', '"learning_rate":NaN') }) },
    {
      name: "tf.keras 2.13 naming: Custom>Adam optimizer and TypeSpec save specs",
      path: "tfkeras.json",
      bytes: () => new TextEncoder().encode(JSON.stringify({ ...conv(), keras_version: "2.13.1", full_save_spec: { class_name: "__tuple__", items: [[{ class_name: "TypeSpec", type_spec: "tf.TensorSpec", serialized: [[null, 28, 28, 1], "float32", "x"] }]] }, training_config: { optimizer_config: { class_name: "Custom>Adam", config: { name: "Adam", learning_rate: 0.001 } } } })),
    },
    { name: "model.to_json() file", path: "model.json", bytes: () => new TextEncoder().encode(JSON.stringify({ ...conv(), keras_version: "2.15.0", backend: "tensorflow" })) },
    { name: "a JSON file that is not a Keras config is not claimed", path: "tokenizer.json", bytes: () => new TextEncoder().encode('{"class_name": "Foo", "config": {}}'), allowIncomplete: false },
  ],
  invalid: [
    { name: "config.json that is not JSON", path: "broken.keras", bytes: () => buildKeras({ config: '{"class_name": "Sequential", "config": {' }), findings: [{ ruleId: "keras/malformed-config", message: "not valid JSON" }], allowIncomplete: true },
    { name: ".keras without config.json", path: "empty.keras", bytes: () => buildKeras({ omitConfig: true }), findings: [{ ruleId: "keras/malformed-config", message: "no config.json" }] },
  ],
});
