import type { RuleMeta, Taxonomy } from "@modelward/core";
import { templateRules } from "@modelward/jinja-audit";
import { metadataValueRules } from "@modelward/plugin-kit";

// Crosswalk of docs/peers-and-threats.md §3.5 (G1, G2).
const LOADER_OVERFLOW: Taxonomy = { cwe: ["CWE-190", "CWE-787", "CWE-789"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const OUT_OF_BOUNDS: Taxonomy = { cwe: ["CWE-125", "CWE-190"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20", "CWE-436"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const SPEC = "https://github.com/ggml-org/ggml/blob/master/docs/gguf.md";
const CVE_OVERFLOW = "https://github.com/ggml-org/llama.cpp/security/advisories/GHSA-3p4r-fq3f-q74v";
const CVE_TENSOR = "https://github.com/ggml-org/llama.cpp/security/advisories/GHSA-96jg-mvhq-q7q7";
const CVE_53630 = "https://nvd.nist.gov/vuln/detail/CVE-2025-53630";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `gguf/${id}`, ...r };
}

/** Every rule the GGUF analyzer reports. */
export const RULES = {
  ...templateRules("gguf"),
  ...metadataValueRules("gguf", "GGUF", "GGUF metadata string", [SPEC]),
  headerOverflow: rule("header-overflow", {
    title: "GGUF header counts, lengths or dimensions overflow the loader",
    description:
      "A tensor or metadata count, a string or array length, a dimension count or a dimension is larger than the file can hold, negative, or makes the element or byte count pass INT64_MAX. llama.cpp's GGUF loader sized allocations from these fields (CVE-2025-53630, CVE-2026-27940, CVE-2026-33298): such headers are built to corrupt the loader's heap.",
    remediation: "Do not load the file. Re-download the model from its publisher and compare hashes; update llama.cpp / llama-cpp-python / ollama.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: LOADER_OVERFLOW,
    references: [CVE_OVERFLOW, CVE_TENSOR, CVE_53630, SPEC],
  }),
  tensorOutOfBounds: rule("tensor-out-of-bounds", {
    title: "GGUF tensor data lies past the end of the file",
    description:
      "A tensor's offset plus its size (from its dimensions and type) reaches beyond the data section. Loaders that memory-map the file and trust the offsets read out of bounds.",
    remediation: "Do not load the file; it is truncated or crafted. Re-download it and compare hashes.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: OUT_OF_BOUNDS,
    references: [CVE_TENSOR, SPEC],
  }),
  malformed: rule("malformed", {
    title: "GGUF header is malformed",
    description:
      "The header breaks the GGUF format in a way loaders disagree on or reject: unknown version or value type, nested arrays, duplicate keys or tensor names, a non-power-of-two alignment, unknown tensor types, misaligned, unpacked or overlapping tensor offsets, overlong names, or a file that ends inside its header.",
    remediation: "Regenerate the file with a current `gguf` writer (llama.cpp's convert scripts) or get it from its publisher.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [SPEC],
  }),
} satisfies Record<string, RuleMeta>;

export const ALL_RULES: RuleMeta[] = Object.values(RULES);
