import type { RuleMeta, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7 (TF PyFunc / malicious ops rows).
const CODE: Taxonomy = { cwe: ["CWE-94", "CWE-502"], atlas: ["AML.T0011.000", "AML.T0018.002"], owasp: ["LLM03:2025", "ML06:2023"] };
const FILES: Taxonomy = { cwe: ["CWE-73", "CWE-22"], atlas: ["AML.T0011.000", "AML.T0018.002"], owasp: ["LLM03:2025", "ML06:2023"] };
const NETWORK: Taxonomy = { cwe: ["CWE-918", "CWE-200"], atlas: ["AML.T0011.000", "AML.T0025"], owasp: ["LLM03:2025"] };
const UNKNOWN: Taxonomy = { cwe: ["CWE-829"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20", "CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const BACKDOOR: Taxonomy = { cwe: ["CWE-506"], atlas: ["AML.T0018.000", "AML.T0018.001"], owasp: ["ML10:2023", "LLM04:2025"] };

const MALOPS = "https://github.com/jfrog/jfrog-research/blob/main/model-threats/TFLOW-MALOPS.md";
const RAW_OPS = "https://www.tensorflow.org/api_docs/python/tf/raw_ops";
const SAVED_MODEL = "https://www.tensorflow.org/guide/saved_model";
const HIDDENLAYER = "https://hiddenlayer.com/innovation-hub/models-are-code/";

const REBUILD = "Do not load or serve the model. Get it from its publisher and compare hashes, or re-export it from code you trust.";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `tensorflow/${id}`, ...r };
}

/** Every rule the TensorFlow analyzer reports. */
export const RULES = {
  pythonCallback: rule("python-callback", {
    title: "TensorFlow graph calls back into Python (PyFunc / EagerPyFunc)",
    description:
      "A node of the graph or of a library function is a `PyFunc`, `PyFuncStateless` or `EagerPyFunc` op (what `tf.py_function` / `tf.numpy_function` produce). It runs a Python function registered in the loading process under the op's `token`: arbitrary Python at inference time, and a sign the model was built to execute code outside the graph.",
    remediation: REBUILD,
    defaultSeverity: "critical",
    category: "runtime",
    taxonomy: CODE,
    references: ["https://www.tensorflow.org/api_docs/python/tf/py_function", MALOPS],
  }),
  fileOperation: rule("file-operation", {
    title: "TensorFlow graph reads or writes files",
    description:
      "A node of the graph or of a library function reads (`ReadFile`, `MatchingFiles`, readers and file datasets, `Restore*`), or writes (`WriteFile`, `Save*`, `MergeV2Checkpoints`, dataset and summary writers) files. With a path from a constant, running the model reads or overwrites that file on the serving host (`~/.ssh/authorized_keys`, credentials). The constant strings reaching the op are given as evidence; ops fed by a placeholder (the standard saver) are not reported.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: FILES,
    references: [MALOPS, HIDDENLAYER, "https://github.com/promptfoo/modelaudit/issues/675"],
  }),
  networkOperation: rule("network-operation", {
    title: "TensorFlow graph opens network connections",
    description:
      "A node is an RPC, tf.data service or debugger op (`Rpc`, `DataServiceDataset`, `DebugIdentity` with `debug_urls`) that connects to an endpoint when the model runs.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: NETWORK,
    references: [RAW_OPS, MALOPS],
  }),
  unknownOp: rule("unknown-op", {
    title: "TensorFlow graph uses an op outside TensorFlow's registry",
    description:
      "A node's op is neither a TensorFlow op known to Modelward nor a function of the graph's library. Loading it needs a custom op library (`tf.load_op_library`): native code that is not part of the model and was not scanned.",
    remediation: "Check where the op comes from and that its library is trusted.",
    defaultSeverity: "low",
    category: "dependency",
    taxonomy: UNKNOWN,
    references: [RAW_OPS, "https://www.tensorflow.org/guide/create_op"],
  }),
  malformed: rule("malformed-protobuf", {
    title: "TensorFlow protobuf could not be fully read",
    description:
      "A SavedModel, GraphDef or Keras metadata file does not decode as its protobuf message, or is over the size bound. What was not read was not checked; TensorFlow and other tools may read it differently.",
    remediation: REBUILD,
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SAVED_MODEL],
  }),
  checkpointShard: rule("checkpoint-shard-missing", {
    title: "Checkpoint data shard missing or shorter than its index says",
    description:
      "A tensor-bundle index (`variables/variables.index`, `model.ckpt.index`) names its data shards (`<prefix>.data-00000-of-00002` …) and, per tensor, the shard, offset and size its bytes are restored from. A shard the folder does not hold, or one shorter than the last tensor the index places in it, cannot be restored as declared: the files were not shipped together, were truncated, or the index was edited to point elsewhere. Checked across the scanned folder (a file scanned alone has no siblings to compare).",
    remediation: "Ship the index with the data shards it was written with; re-export the checkpoint from a trusted source.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: ["https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.h"],
  }),
  conditionalTrigger: rule("conditional-trigger", {
    title: "Graph branch steered by comparing a model input with a constant (possible backdoor)",
    description:
      "A `Switch`/`If`/`Select`/`SelectV2`/`Where` node's condition comes from an equality or ordering comparison between a value derived from a model input and a constant. Ordinary models rarely branch on their input's value; architectural backdoors (ShadowLogic) use exactly this to change the output when a trigger pattern appears.",
    remediation: "Review the branch: what triggers it and what it does to the output. Re-export the model from code you trust if it is not explained.",
    defaultSeverity: "medium",
    category: "backdoor",
    confidence: "low",
    taxonomy: BACKDOOR,
    references: ["https://hiddenlayer.com/innovation-hub/shadowlogic/", "https://arxiv.org/abs/2511.00664"],
  }),
} satisfies Record<string, RuleMeta>;

/** All rules as a list. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
