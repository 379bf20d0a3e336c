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
