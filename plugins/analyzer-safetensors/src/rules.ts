import type { RuleMeta, Taxonomy } from "@modelward/core";
import { templateRules } from "@modelward/jinja-audit";
import { metadataValueRules } from "@modelward/plugin-kit";

// Crosswalk of docs/peers-and-threats.md §3.5 (safetensors rows).
const LOADER_OVERFLOW: Taxonomy = { cwe: ["CWE-190", "CWE-789"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const OUT_OF_BOUNDS: Taxonomy = { cwe: ["CWE-125"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20", "CWE-436"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const SPEC = "https://github.com/huggingface/safetensors#format";
const REFERENCE = "https://github.com/huggingface/safetensors/blob/main/safetensors/src/tensor.rs";
const AUDIT = "https://huggingface.co/blog/safetensors-security-audit";
const SHARDED = "https://huggingface.co/docs/transformers/main/en/big_models#sharded-checkpoints";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `safetensors/${id}`, ...r };
}

/** Every rule the safetensors analyzer reports. */
export const RULES = {
  ...templateRules("safetensors"),
  ...metadataValueRules("safetensors", "safetensors", "safetensors `__metadata__`", [SPEC]),
  headerOverflow: rule("header-overflow", {
    title: "safetensors header length or tensor size overflows the loader",
    description:
      "The 8-byte header length is larger than the file, or a tensor's shape × dtype size passes 64 bits. Loaders that allocate the declared header length first, or compute tensor sizes with wrapping arithmetic, exhaust memory or read the wrong bytes.",
    remediation: "Do not load the file; it is truncated or crafted. Re-download it from its publisher and compare hashes.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: LOADER_OVERFLOW,
    references: [SPEC, REFERENCE, AUDIT],
  }),
  tensorOutOfBounds: rule("tensor-out-of-bounds", {
    title: "safetensors tensor data lies past the end of the file",
    description: "A tensor's data_offsets reach beyond the data section. Loaders that memory-map the file and trust the offsets read out of bounds.",
    remediation: "Do not load the file; it is truncated or crafted. Re-download it and compare hashes.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: OUT_OF_BOUNDS,
    references: [SPEC, REFERENCE],
  }),
  malformed: rule("malformed", {
    title: "safetensors header is malformed",
    description:
      "The header breaks a rule the reference loader (`safetensors` tensor.rs) enforces, so loaders disagree on the file: a header over 100 MB, not UTF-8, not a JSON object, duplicate keys, unknown dtypes, shapes or offsets that are not unsigned integers, a span that does not match shape × dtype, gaps or overlaps between tensors, non-string `__metadata__` values, or bytes after the last tensor (where a payload can hide).",
    remediation: "Regenerate the file with the `safetensors` library, or get it from its publisher.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SPEC, REFERENCE],
  }),
} satisfies Record<string, RuleMeta>;

export const ALL_RULES: RuleMeta[] = Object.values(RULES);

/** Rules of the sharded-index analyzer (`model.safetensors.index.json`). */
export const INDEX_RULES = {
  shardEscape: rule("index-shard-escape", {
    title: "safetensors index names a shard outside the model's folder",
    description:
      "A `weight_map` entry of `model.safetensors.index.json` names a shard that is absolute, climbs with `..`, is a URL, or is a symlink whose real path leaves the folder. transformers joins the name to the model's folder and opens it, so the index makes the loader read a file the model does not ship.",
    remediation: "Do not load the model. Shard names must be plain file names beside the index.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: { cwe: ["CWE-22", "CWE-73"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] },
    references: [SHARDED],
  }),
  shardMissing: rule("index-shard-missing", {
    title: "safetensors index names a shard the folder does not hold",
    description:
      "A `weight_map` entry names a shard file that is not in the scanned folder: the model cannot load as shipped, or the missing weights come from somewhere that was not reviewed. Checked across the scanned folder (an index scanned alone has no siblings to compare).",
    remediation: "Ship every shard the index names, or re-create the index from the shards you have.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SHARDED],
  }),
  indexMalformed: rule("index-malformed", {
    title: "safetensors index could not be read",
    description: "`model.safetensors.index.json` is not UTF-8 JSON with a `weight_map` object of shard names, or repeats a key: loaders fail or disagree on which shard holds a tensor, and its shards were not checked.",
    remediation: "Re-create the index with the library that wrote the shards.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SHARDED],
  }),
};
