import type { RuleMeta, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7 (Keras Lambda / custom object row).
const CODE: Taxonomy = { cwe: ["CWE-94", "CWE-502"], atlas: ["AML.T0011.000", "AML.T0018.002"], owasp: ["LLM03:2025", "ML06:2023"] };
const OBJECT: Taxonomy = { cwe: ["CWE-502", "CWE-470"], atlas: ["AML.T0011.000", "AML.T0010.003"], owasp: ["LLM03:2025", "ML06:2023"] };
const EMBEDDED: Taxonomy = { cwe: ["CWE-506", "CWE-502"], atlas: ["AML.T0018.002", "AML.T0010.003"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20", "CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const SERIALIZATION = "https://github.com/keras-team/keras/blob/master/keras/src/saving/serialization_lib.py";
const SAVING = "https://keras.io/guides/serialization_and_saving/";
const CVE_3660 = "https://nvd.nist.gov/vuln/detail/CVE-2024-3660";
const CVE_1550 = "https://nvd.nist.gov/vuln/detail/CVE-2025-1550";
const CVE_8747 = "https://nvd.nist.gov/vuln/detail/CVE-2025-8747";
const CVE_9906 = "https://nvd.nist.gov/vuln/detail/CVE-2025-9906";
const CVE_49655 = "https://nvd.nist.gov/vuln/detail/CVE-2025-49655";
const JFROG_LAMBDA = "https://github.com/jfrog/jfrog-research/blob/main/model-threats/KERAS-LAMBDA.md";

const REBUILD = "Do not load the model. Get it from its publisher and compare hashes, or rebuild it from code you trust and re-save only the weights (`model.save_weights`, or safetensors).";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `keras/${id}`, ...r };
}

/** Every rule the Keras analyzer reports. */
export const RULES = {
  dangerousReference: rule("dangerous-reference", {
    title: "Keras config imports a module or function that runs commands, code or file operations",
    description:
      "An object in the Keras config (a layer, loss, metric, optimizer, initializer, a Lambda's function, at any depth) names a module or function such as `subprocess.Popen`, `os.system`, `builtins.eval` or `keras.config.enable_unsafe_deserialization`. `deserialize_keras_object` imports the `module` and calls the class or function with the config as arguments while the model loads, even with `safe_mode=True` in affected releases (CVE-2025-1550, CVE-2025-9906).",
    remediation: REBUILD,
    defaultSeverity: "critical",
    category: "deserialization",
    taxonomy: OBJECT,
    references: [CVE_1550, CVE_9906, SERIALIZATION],
  }),
  gadgetFunction: rule("gadget-function", {
    title: "Keras config uses a Keras API function with side effects as an object",
    description:
      "A config object resolves to a public Keras function that downloads, writes or loads files (`keras.utils.get_file`, `plot_model`, `save_model`, `load_model`, visualization helpers), either directly or as the target of a Lambda layer. These functions stay importable under `safe_mode` and are the known bypasses of its module allow-list (CVE-2025-8747, nested public-function Lambda PoCs).",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: OBJECT,
    references: [CVE_8747, "https://huggingface.co/pragnyanramtha/keras-native-safe-mode-public-function-modelscan-bypass", SERIALIZATION],
  }),
  lambdaLayer: rule("lambda-layer", {
    title: "Keras Lambda layer or serialized Python function",
    description:
      "A `Lambda` layer (or a serialized `__lambda__` / marshalled function anywhere in the config, such as a compiled loss) stores Python code that Keras rebuilds and runs when the model is loaded with `safe_mode=False`, when it is an `.h5` file (CVE-2025-9905), or with Keras < 2.13 (CVE-2024-3660). Every one is reported; one whose code names dangerous modules or builtins is critical.",
    remediation: "Load the model only with `safe_mode=True` and never from an untrusted source; replace Lambda layers by registered custom layers you have reviewed.",
    defaultSeverity: "medium",
    category: "runtime",
    taxonomy: CODE,
    references: [CVE_3660, "https://nvd.nist.gov/vuln/detail/CVE-2025-9905", JFROG_LAMBDA],
  }),
  externalModel: rule("external-model", {
    title: "Keras layer loads an external model or path (TFSMLayer)",
    description:
      "A `TFSMLayer` reloads a TensorFlow SavedModel from the `filepath` its config names when the model is loaded. The path (relative, absolute or remote) is chosen by whoever wrote the file, and the SavedModel it points to is never part of what was scanned.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: OBJECT,
    references: ["https://keras.io/api/layers/backend_specific_layers/tfsm_layer/", "https://huggingface.co/hoanghai2110/keras-security-research"],
  }),
  embeddedPickle: rule("embedded-pickle", {
    title: "Keras config embeds a serialized PyTorch module (TorchModuleWrapper)",
    description:
      "A `TorchModuleWrapper` layer stores its torch module as a base64 `torch.save` pickle in the config; Keras runs `torch.load` on it while the model loads (CVE-2025-49655). The decoded payload is analyzed by the pickle and PyTorch analyzers as a member of the config.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: EMBEDDED,
    references: [CVE_49655, "https://huggingface.co/abdulb4s1t/modelscan-bypass-torch-rce-poc"],
  }),
  unknownModule: rule("unknown-module", {
    title: "Keras config imports a module outside Keras",
    description:
      "An object's `module` is outside the Keras and TensorFlow namespaces. Keras imports that module while deserializing (without safe-mode restrictions in releases before 3.9), so whatever the module does at import time, and the class or function it names, runs at load. Not known to be dangerous, but not known to be safe either.",
    remediation: "Check that the module is a package you trust and expect the model to need; otherwise do not load the model.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: OBJECT,
    references: [CVE_1550, SERIALIZATION],
  }),
  customObject: rule("custom-object", {
    title: "Keras config uses a class that is not part of Keras",
    description:
      "A layer, loss, metric or other object names a class Keras does not ship (a custom or registered object, `package>Name`). Loading it needs `custom_objects` or a registered class: the code that runs is whatever the loader supplies under that name.",
    remediation: "Load the model only with custom objects from code you have reviewed.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: OBJECT,
    references: [SAVING, "https://keras.io/api/models/model_saving_apis/model_saving_and_loading/"],
  }),
  malformedConfig: rule("malformed-config", {
    title: "Keras config or archive could not be fully read",
    description:
      "The Keras config is not valid JSON, exceeds the size or nesting bounds, or the `.keras` archive lacks the members Keras reads. What was not read was not checked, and Keras and other tools may read it differently.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SAVING],
  }),
  unexpectedMember: rule("unexpected-member", {
    title: ".keras archive holds a member Keras does not write",
    description:
      "Keras 3 writes `config.json`, `metadata.json`, `model.weights.h5` (or `.npz`) and an `assets/` folder. Other members (code, executables, pickles, nested archives) are not loaded by Keras but travel with the model and are read by other tools; each member is analyzed on its own.",
    remediation: "Check what the member is and why it is there.",
    defaultSeverity: "low",
    category: "integrity",
    taxonomy: EMBEDDED,
    references: ["https://github.com/keras-team/keras/blob/master/keras/src/saving/saving_lib.py"],
  }),
} satisfies Record<string, RuleMeta>;

/** All rules as a list. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
