import type { RuleMeta, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7.
const EXEC: Taxonomy = { cwe: ["CWE-502", "CWE-94"], atlas: ["AML.T0011.000", "AML.T0010.003"], owasp: ["LLM03:2025", "ML06:2023"] };
const DIFFERENTIAL: Taxonomy = { cwe: ["CWE-436", "CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const OUT_OF_BOUNDS: Taxonomy = { cwe: ["CWE-125", "CWE-130"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const EMBEDDED: Taxonomy = { cwe: ["CWE-506"], atlas: ["AML.T0018.002", "AML.T0010.003"], owasp: ["LLM03:2025"] };
const SCRIPT: Taxonomy = { cwe: ["CWE-94", "CWE-73"], atlas: ["AML.T0011.000", "AML.T0018.002"], owasp: ["LLM03:2025"] };

const SERIALIZATION = "https://github.com/pytorch/pytorch/blob/main/torch/serialization.py";
const CONTAINER = "https://github.com/pytorch/pytorch/blob/main/caffe2/serialize/inline_container.cc";
const TORCH_LOAD = "https://pytorch.org/docs/stable/generated/torch.load.html";
const JIT_LOAD = "https://pytorch.org/docs/stable/generated/torch.jit.load.html";
const PICKLESCAN_EXT = "https://github.com/mmaitre314/picklescan/security/advisories/GHSA-769v-p64c-89pr";
const MODELSCAN_LEGACY = "https://huggingface.co/liamramsey/modelscan-legacy-pt-bypass-poc";
const LEGACY_DESYNC = "https://huggingface.co/TESTforge42/scanner-bypass-legacy-pt-desync";

const REBUILD = "Do not load the file. Re-download it from its publisher and compare hashes, or re-save the weights from a trusted environment (`torch.save(model.state_dict())`, or better safetensors).";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `pytorch/${id}`, ...r };
}

/** Every rule the PyTorch analyzers report. */
export const RULES = {
  hiddenPickle: rule("hidden-pickle", {
    title: "Pickle hidden in a PyTorch archive member torch does not load as data.pkl",
    description:
      "A member other than the checkpoint's `data.pkl` (a `config.json`, a storage `data/N`, a second `.pkl`, a member outside the archive folder) holds a pickle. `torch.load` does not read it by default, but `torch.load(..., pickle_file=…)` chains (picklescan malicious19) and other tools do, and scanners that pick members by extension never look at it (CVE-2025-1889). The member itself is analyzed by the pickle analyzer.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: EXEC,
    references: [PICKLESCAN_EXT, "https://github.com/mmaitre314/picklescan/blob/main/tests/data/malicious19.pkl", SERIALIZATION],
  }),
  unexpectedMember: rule("unexpected-member", {
    title: "PyTorch archive holds a member torch's layout does not explain",
    description:
      "A member that `torch.save`/`torch.jit.save` never write: an executable, a nested archive, a file outside the archive folder torch reads (the folder of the first record), or a storage no tensor references. Torch ignores it, so it is either leftover data or content smuggled past tools that trust the container.",
    remediation: "Check what the member is and why it is there; rebuild the checkpoint from trusted weights if it is not expected.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: EMBEDDED,
    references: [CONTAINER, SERIALIZATION],
  }),
  missingStorage: rule("missing-storage", {
    title: "Tensor storage referenced by data.pkl is missing",
    description:
      "`data.pkl` references a storage `data/<key>` (through torch's persistent_load) that the archive does not contain. `torch.load` fails only after the pickle has run, and tools that read records differently disagree about the content.",
    remediation: REBUILD,
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [SERIALIZATION, CONTAINER],
  }),
  storageSizeMismatch: rule("storage-size-mismatch", {
    title: "Tensor storage record is smaller or larger than its tensor",
    description:
      "A storage record's size differs from `numel × element size` declared in `data.pkl`. torch releases before the size check added to `get_storage_from_record` wrap the record's buffer in a storage of the declared size, so a smaller record makes tensor reads run past the buffer (out-of-bounds read); newer releases refuse the file. A larger record carries bytes no tensor uses.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: OUT_OF_BOUNDS,
    references: ["https://github.com/pytorch/pytorch/blob/main/torch/csrc/jit/python/init.cpp", SERIALIZATION],
  }),
  malformedLayout: rule("malformed-layout", {
    title: "PyTorch file layout is malformed",
    description:
      "The file does not have the layout torch writes: `data.pkl` is not where torch looks for it (first record's folder), the `version` or `byteorder` record is missing or invalid, the legacy magic/protocol/sys_info pickles are wrong, or a legacy storage section does not parse. Loaders and scanners then read different things, and everything before the failure point still runs in the loader.",
    remediation: REBUILD,
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [CONTAINER, SERIALIZATION, TORCH_LOAD],
  }),
  torchscriptDangerousCall: rule("torchscript-dangerous-call", {
    title: "TorchScript code calls something dangerous",
    description:
      "A TorchScript source under `code/` calls an operation that touches the file system (`torch.save`/`aten::save`, `torch.load`, `from_file`, `open`), a custom operator from a native library (`ops.<namespace>.…` outside torch's own namespaces), or Python escape hatches (`__import__`, `exec`, `eval`, `os`, `subprocess`) that TorchScript itself never emits. `torch.jit.load` compiles this code and the model runs it at inference.",
    remediation: "Review the code/ sources before loading the model with `torch.jit.load`; run untrusted TorchScript in a sandbox without file-system or network access.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: SCRIPT,
    references: [JIT_LOAD, "https://pytorch.org/docs/stable/jit_builtin_functions.html", "https://jfrog.com/blog/data-scientists-targeted-by-malicious-hugging-face-ml-models-with-silent-backdoor/"],
  }),
  legacyExtraStream: rule("legacy-extra-stream", {
    title: "Legacy PyTorch file holds pickles beyond its layout",
    description:
      "A legacy (non-zip) torch file is magic, protocol and sys_info pickles, the object pickle, the storage-keys pickle and raw storages. Extra pickle streams after them (or instead of the storage section) are not part of that layout: scanners that read one or five pickles miss them (modelscan, picklescan), while a loader that reads on may run them. Each stream was analyzed as its own member.",
    remediation: REBUILD,
    defaultSeverity: "high",
    category: "deserialization",
    taxonomy: EXEC,
    references: [MODELSCAN_LEGACY, LEGACY_DESYNC, SERIALIZATION],
  }),
  legacyTrailingData: rule("legacy-trailing-data", {
    title: "Data after the last storage of a legacy PyTorch file",
    description: "Bytes follow the last storage of a legacy torch file. torch never reads them; they were analyzed as their own member.",
    remediation: "Check what the trailing bytes are; re-save the checkpoint if they are unexpected.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [SERIALIZATION],
  }),
} satisfies Record<string, RuleMeta>;

/** All rules as a list. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
