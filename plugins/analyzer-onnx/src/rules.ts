import type { RuleMeta, Taxonomy } from "@modelward/core";
import { templateRules } from "@modelward/jinja-audit";
import { metadataValueRules } from "@modelward/plugin-kit";

// Crosswalk of docs/peers-and-threats.md §3.5 (ONNX rows).
const PATH_ESCAPE: Taxonomy = { cwe: ["CWE-22", "CWE-73"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const CUSTOM_CODE: Taxonomy = { cwe: ["CWE-94", "CWE-829"], atlas: ["AML.T0010.003", "AML.T0011.000"], owasp: ["LLM03:2025"] };
const UNKNOWN_OP: Taxonomy = { cwe: ["CWE-829"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20", "CWE-436"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const BACKDOOR: Taxonomy = { cwe: ["CWE-506"], atlas: ["AML.T0018.000", "AML.T0018.001"], owasp: ["ML10:2023", "LLM04:2025"] };

const IR = "https://github.com/onnx/onnx/blob/main/docs/IR.md";
const EXTERNAL = "https://github.com/onnx/onnx/blob/main/docs/ExternalData.md";
const CVE_EXTERNAL = "https://nvd.nist.gov/vuln/detail/CVE-2022-25882";
const PYOP = "https://github.com/microsoft/onnxruntime/blob/main/docs/PyOp.md";
const EXTENSIONS = "https://github.com/microsoft/onnxruntime-extensions/blob/main/docs/pyop.md";
const OPERATORS = "https://github.com/onnx/onnx/blob/main/docs/Operators.md";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `onnx/${id}`, ...r };
}

/** Every rule the ONNX analyzer reports. */
export const RULES = {
  ...templateRules("onnx"),
  ...metadataValueRules("onnx", "ONNX", "ONNX `metadata_props` or `doc_string`", [IR]),
  externalDataEscape: rule("external-data-escape", {
    title: "ONNX external data points outside the model's folder",
    description:
      "A tensor's `external_data` `location` is absolute, climbs with `..`, names a URL, or (checked across the scanned folder) is a symlink whose real path leaves the model's folder: loaders join it to the model's folder and open it, so a crafted model reads (and, when saved back, writes) arbitrary files (CVE-2022-25882, and its symlink bypass CVE-2024-27318).",
    remediation: "Do not load the model. External data must be relative file names inside the model's folder.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: PATH_ESCAPE,
    references: [EXTERNAL, CVE_EXTERNAL, "https://nvd.nist.gov/vuln/detail/CVE-2024-27318"],
  }),
  externalDataMissing: rule("external-data-missing", {
    title: "ONNX external data file missing or shorter than the model reads",
    description:
      "A tensor's `external_data` `location` names a file the scanned folder does not hold, or the file ends before the tensor's `offset` + `length`. The model cannot load as shipped, or its weights come from a file that was not reviewed. Checked across the scanned folder (a model scanned alone has no siblings to compare); a location that is a symlink out of the folder is `onnx/external-data-escape`.",
    remediation: "Ship the external data files with the model (`onnx.save_model(..., save_as_external_data=True)` writes them beside it).",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [EXTERNAL],
  }),
  pythonOp: rule("python-op", {
    title: "ONNX graph calls a Python operator",
    description:
      "A node is a `PyOp` (onnxruntime's Python operator, which imports the module and class named in its attributes and runs them) or a `PyFunc`-style op: running the model runs Python code from wherever that module comes from.",
    remediation: "Do not run the model unless the named Python module is yours and reviewed.",
    defaultSeverity: "critical",
    category: "runtime",
    taxonomy: CUSTOM_CODE,
    references: [PYOP, EXTENSIONS],
  }),
  extensionsOp: rule("extensions-op", {
    title: "ONNX graph uses onnxruntime-extensions custom operators",
    description:
      "Nodes of the `ai.onnx.contrib` domain run only when onnxruntime-extensions (or a library registering that domain) is loaded; the domain is also where Python functions registered with `@onnx_op` live, so what runs depends on the loader's environment.",
    remediation: "Check which library provides these operators and that none is a Python function you have not reviewed.",
    defaultSeverity: "medium",
    category: "runtime",
    taxonomy: CUSTOM_CODE,
    references: [EXTENSIONS],
  }),
  customDomain: rule("custom-domain", {
    title: "ONNX graph uses operators of a non-standard domain",
    description:
      "Nodes use a domain other than `ai.onnx`, `ai.onnx.ml`, `ai.onnx.preview.training` or `com.microsoft` and not defined as a function in the model. Such operators need a custom-op library (native code) registered by the loader. Listed with the operators so a reviewer sees which library the model expects.",
    remediation: "Find the library that implements the domain and check it is trusted before registering it.",
    defaultSeverity: "low",
    category: "runtime",
    taxonomy: UNKNOWN_OP,
    references: [IR, "https://onnxruntime.ai/docs/reference/operators/add-custom-op.html"],
  }),
  unknownOp: rule("unknown-op", {
    title: "ONNX node is not an operator of its domain",
    description: "An `ai.onnx`, `ai.onnx.ml` or `com.microsoft` node names an operator that domain does not define (allow-first: unknown is reported). Runtimes reject it unless something registered it.",
    remediation: "Check the exporter; an operator that no standard runtime knows needs a custom library.",
    defaultSeverity: "low",
    category: "runtime",
    taxonomy: UNKNOWN_OP,
    references: [OPERATORS],
  }),
  functionShadowsOp: rule("function-shadows-op", {
    title: "ONNX model function redefines a standard operator",
    description: "A model-local function has the domain and name of a standard operator: depending on the runtime, nodes that look standard run the function's body instead.",
    remediation: "Inspect the function body; standard operators should not be redefined.",
    defaultSeverity: "medium",
    category: "backdoor",
    taxonomy: UNKNOWN_OP,
    references: [IR],
  }),
  conditionalTrigger: rule("conditional-trigger", {
    title: "Graph branch steered by an equality test between a model input and a constant (possible backdoor)",
    description:
      "A `Where` or `If` node whose result reaches the model's output takes its condition (through casts, logic and reductions such as `ReduceMin`) from `Equal` between a value computed from a model input (sliced, gathered, reduced or combined arithmetically) and a constant that is not a mask or sign value (0, ±1, 0.5, -100); a `Where` that puts a masking fill in the matching places (0, ±1, a huge or infinite value, `Sub(x, x)`: ignore_index, padding, attention masks) is not reported. Ordinary models compare shapes, masks and thresholds; architectural backdoors (ShadowLogic) compare the input with a trigger pattern and swap the output when it matches, often for a value computed from constants only (named in the finding). Searched in the main graph, every If/Loop/Scan subgraph and every model function, bounded per branch. A heuristic: a model that legitimately branches on an input value (a token id, a sentinel label) is reported too.",
    remediation: "Review the branch: what input pattern triggers it and what it does to the output. Re-export the model from code you trust if it is not explained.",
    defaultSeverity: "medium",
    category: "backdoor",
    confidence: "low",
    taxonomy: BACKDOOR,
    references: ["https://hiddenlayer.com/innovation-hub/shadowlogic/", "https://arxiv.org/abs/2511.00664", OPERATORS],
  }),
  malformed: rule("malformed", {
    title: "ONNX model is malformed",
    description:
      "The protobuf does not decode as a ModelProto (truncated, lengths past their message, wrong wire types), or the model breaks the IR: missing or unknown IR or opset versions, external data entries without a location or with bad offsets, tensor data whose size does not match its dims and type. Loaders reject or misread such files.",
    remediation: "Re-export the model with a current exporter, or get it from its publisher.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [IR],
  }),
} satisfies Record<string, RuleMeta>;

export const ALL_RULES: RuleMeta[] = Object.values(RULES);
