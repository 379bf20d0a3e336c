import type { RuleMeta, Taxonomy } from "@modelward/core";

const EXEC: Taxonomy = { cwe: ["CWE-502", "CWE-94"], atlas: ["AML.T0011.000", "AML.T0010.003"], owasp: ["LLM03:2025", "ML06:2023"] };
const UNAUDITED: Taxonomy = { cwe: ["CWE-502"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] };
const DIFFERENTIAL: Taxonomy = { cwe: ["CWE-436", "CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
// Resource exhaustion on the loader: ATLAS "Denial of ML Service", OWASP LLM "Unbounded Consumption".
const BOMB: Taxonomy = { cwe: ["CWE-409", "CWE-400"], atlas: ["AML.T0029"], owasp: ["LLM10:2025"] };

const PICKLE_DOCS = "https://docs.python.org/3/library/pickle.html";
const RESTRICT = "https://docs.python.org/3/library/pickle.html#restricting-globals";
const HF = "https://huggingface.co/docs/hub/security-pickle";
const SAFE_LOAD = "Do not load this file with `pickle`, `joblib`, `torch.load(weights_only=False)` or `numpy.load(allow_pickle=True)`. Prefer a data-only format (safetensors, ONNX, skops) or load with an allowlist of globals (`torch.load(weights_only=True)`).";

function rule(id: string, title: string, description: string, remediation: string, defaultSeverity: RuleMeta["defaultSeverity"], category: RuleMeta["category"], taxonomy: Taxonomy, references: string[], confidence: RuleMeta["confidence"] = "high"): RuleMeta {
  return { id: `pickle/${id}`, title, description, remediation, defaultSeverity, category, confidence, taxonomy, references };
}

/** Every rule the pickle analyzers report. */
export const RULES = {
  dangerousGlobal: rule("dangerous-global", "Pickle resolves a known-dangerous callable",
    "Unpickling imports a global on the policy denylist (code execution, processes, network, file system, import machinery, nested unpickling, code objects, known gadgets). Loading the file runs it. The severity is the denylist entry's.",
    SAFE_LOAD, "critical", "deserialization", EXEC, [RESTRICT, HF, "https://github.com/trailofbits/fickling"]),
  unknownGlobal: rule("unknown-global", "Pickle imports a global that is not on the allowlist",
    "Unpickling imports a module attribute that no loaded ruleset lists as safe. It is not known to be dangerous, but it is unaudited: any importable callable can be abused (blocklists always lag: see mmaitre314/picklescan#66).",
    "Check that the class or function is expected for this model, then add it to an allowlist ruleset with a reason, or convert the model to a data-only format.",
    "medium", "deserialization", UNAUDITED, [RESTRICT, "https://github.com/mmaitre314/picklescan/issues/66"], "medium"),
  unknownCall: rule("unknown-call", "Pickle calls a callable that is not on the allowlist",
    "Unpickling calls (REDUCE, OBJ, INST) a global no loaded ruleset lists as safe, with arguments from the file. Calling an unaudited callable is how most denylist bypasses work.",
    SAFE_LOAD, "high", "deserialization", EXEC, [RESTRICT, HF], "low"),
  dynamicCall: rule("dynamic-call", "Pickle calls something computed at load time",
    "The callable of a REDUCE/NEWOBJ/OBJ is the result of another call (getattr, partial, attrgetter…) or cannot be known statically, so what runs is chosen at load time.",
    SAFE_LOAD, "high", "deserialization", EXEC, [RESTRICT, "https://github.com/protectai/modelscan/issues/331"]),
  dynamicGlobal: rule("dynamic-global", "Pickle imports a name computed at load time",
    "STACK_GLOBAL's module or name is not a string in the file but the result of a call, so the imported name is chosen at load time.",
    SAFE_LOAD, "high", "deserialization", EXEC, ["https://github.com/protectai/modelscan/issues/331"]),
  attributeOverride: rule("module-attribute-override", "Pickle sets attributes on an imported module or class",
    "A BUILD opcode applies state to a global itself rather than to a new object, overwriting module or class attributes (e.g. replacing torch._utils._rebuild_tensor with eval) for later calls.",
    SAFE_LOAD, "high", "deserialization", EXEC, ["https://github.com/mmaitre314/picklescan/blob/main/tests/data/sys_module_override_sploit.pkl"]),
  extensionCode: rule("extension-code", "Pickle fetches a callable from the copyreg extension registry",
    "EXT1/EXT2/EXT4 resolve an object by a numeric code registered with copyreg, with no name in the file. No standard code exists, so this only works in a prepared process and evades name-based scanners.",
    SAFE_LOAD, "high", "deserialization", EXEC, ["https://docs.python.org/3/library/copyreg.html"]),
  nestedPickle: rule("nested-pickle", "Pickle contains another pickle",
    "A str/bytes value holds a serialized pickle (raw, base64 or hex), or is passed to a nested loader such as pickle.loads. The nested pickle is scanned as its own artifact; a loader call runs it at load time.",
    SAFE_LOAD, "high", "deserialization", EXEC, ["https://github.com/protectai/modelscan/issues/267"]),
  malformed: rule("malformed-stream", "Pickle stream is malformed",
    "The stream has an invalid opcode, truncated argument, stack underflow, missing memo entry or similar. The real unpickler stops there, but everything before it has already run, and scanners that give up on such files are a known bypass (nullifAI, broken pickles, memo desync). Everything before the error was analysed. High by default: serializers never write a broken stream, and a break is also what a parser differential between this analysis and the loader would look like, so a broken file must not pass a default scan.",
    "Treat a malformed pickle as hostile: real serializers never write one. Regenerate the file from a trusted source.",
    "high", "integrity", DIFFERENTIAL, ["https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face"]),
  trailingData: rule("trailing-data", "Data follows the end of a pickle",
    "Bytes after a STOP opcode that do not start another pickle. pickle.load ignores them, but loaders that read further (legacy torch, custom formats) may not.",
    "Check what the trailing data is; regenerate the file if it is unexpected.", "low", "integrity", DIFFERENTIAL, [PICKLE_DOCS]),
  frameViolation: rule("frame-violation", "Pickle opcodes straddle protocol-4 frame boundaries",
    "An opcode crosses the end of a FRAME. CPython's C unpickler ignores frame boundaries while pickletools-based scanners and the Python unpickler enforce them: a parser differential used to hide opcodes.",
    "Treat as hostile; real picklers never write it.", "high", "integrity", DIFFERENTIAL, ["https://github.com/trailofbits/fickling/blob/master/test/test_bypasses.py"]),
  limitExceeded: rule("limit-exceeded", "Pickle analysis hit a limit",
    "The pickle VM stopped at a limit (opcodes, stack, memo, line length, streams, resync budget); the rest of the file was not analysed.",
    "Inspect the file by other means or raise the limit in the analyzer options if the file is trusted to be large.",
    "medium", "integrity", BOMB, [PICKLE_DOCS]),
  expansion: rule("expansion-attack", "Pickle expands far beyond its size (billion laughs)",
    "DUP/GET opcodes reuse memoized containers so the logical object graph is orders of magnitude larger than the file: a denial-of-service on code that walks the result.",
    "Do not load the file.", "high", "integrity", BOMB, ["https://github.com/trailofbits/fickling/blob/master/test/test_expansion_attack_analysis.py"]),
  persistentId: rule("persistent-id", "Pickle uses persistent ids",
    "PERSID/BINPERSID hand a value to the loader's persistent_load hook (torch uses it for storages). Plain pickle.load fails on them; custom loaders decide what they return.",
    "Check which loader is meant to read the file.", "info", "deserialization", UNAUDITED, [PICKLE_DOCS]),
  outOfBand: rule("out-of-band-buffer", "Pickle expects out-of-band buffers",
    "NEXT_BUFFER takes data from outside the file (protocol 5); what is loaded depends on the caller.",
    "Check which loader is meant to read the file.", "info", "deserialization", UNAUDITED, ["https://peps.python.org/pep-0574/"]),
  unsupported: rule("unsupported-content", "Part of the file could not be analysed",
    "A compression method, NumPy dtype or joblib layout the analyzer cannot decode, so part of the file was not analysed.",
    "Inspect the file by other means; do not load it until then.", "medium", "integrity", DIFFERENTIAL, ["https://joblib.readthedocs.io/en/stable/persistence.html"]),
} satisfies Record<string, RuleMeta>;

/** All rules as a list. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
