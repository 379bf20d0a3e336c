import { securitySeverityScore } from "@modelward/core";
import { sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { cyclonedxReporter } from "./reporter.js";
import { allComponents, ctxOf, propValues, stressReport, type CdxBom } from "./fixtures.test-support.js";

async function render(report = sampleReport(), rules = sampleRules()): Promise<CdxBom> {
  return JSON.parse(String(await cyclonedxReporter.render(report, ctxOf(rules)))) as CdxBom;
}

const byRef = (bom: CdxBom, ref: string) => allComponents(bom.components).find((c) => c["bom-ref"] === ref);

describe("cyclonedx reporter: document", () => {
  it("is a CycloneDX 1.6 BOM dated by the report and made by Modelward", async () => {
    const report = sampleReport();
    report.tool.version = "2.3.4";
    const bom = await render(report);
    expect(bom).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1 });
    expect(bom.metadata.timestamp).toBe(report.finishedAt);
    expect(bom.metadata.tools.components[0]).toMatchObject({ type: "application", name: "modelward", version: "2.3.4" });
    expect(propValues(bom.metadata.properties, "modelward:target")).toEqual([report.targets[0]!.uri]);
    expect(propValues(bom.metadata.properties, "modelward:files:skipped")).toEqual(["1"]);
  });

  it("asks the engine for SHA-256 and declares the CycloneDX media type", () => {
    expect(cyclonedxReporter.needs).toEqual({ sha256: true });
    expect(cyclonedxReporter).toMatchObject({ id: "cyclonedx", defaultExtension: "cdx.json" });
    expect(cyclonedxReporter.mediaType).toContain("application/vnd.cyclonedx+json");
  });

  it("derives the serial number from the report: same report same serial, other report other serial", async () => {
    const a = await render();
    const b = await render();
    expect(a.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.serialNumber).toBe(a.serialNumber);
    const other = sampleReport();
    other.finishedAt = "2026-11-22T10:00:03.000Z";
    expect((await render(other)).serialNumber).not.toBe(a.serialNumber);
  });

  it("renders the same bytes twice, independent of the rule map's order", async () => {
    const first = await cyclonedxReporter.render(sampleReport(), ctxOf());
    const second = await cyclonedxReporter.render(sampleReport(), ctxOf(new Map([...sampleRules()].reverse())));
    expect(second).toBe(first);
  });

  it("gives every component and vulnerability a unique bom-ref, and every reference resolves", async () => {
    for (const bom of [await render(), await render(stressReport())]) {
      const refs = [...allComponents(bom.components), ...allComponents([bom.metadata.component]), ...bom.metadata.tools.components].map((c) => c["bom-ref"]);
      const vulnRefs = bom.vulnerabilities.map((v) => v["bom-ref"]);
      expect(new Set([...refs, ...vulnRefs]).size).toBe(refs.length + vulnRefs.length);
      for (const v of bom.vulnerabilities) for (const a of v.affects) expect(refs).toContain(a.ref);
      for (const d of bom.dependencies) for (const r of [d.ref, ...(d.dependsOn ?? [])]) expect(refs).toContain(r);
    }
  });
});

describe("cyclonedx reporter: components", () => {
  it("makes one machine-learning-model component per model file with SHA-256, size and format", async () => {
    const report = sampleReport();
    const bom = await render(report);
    const models = allComponents(bom.components).filter((c) => c.type === "machine-learning-model");
    expect(models.map((c) => c["bom-ref"])).toEqual([
      "artifact:checkpoints/resnet 50.pt",
      "artifact:checkpoints/resnet 50.pt!/archive/data.pkl",
      "artifact:classifier.pkl",
      "artifact:model.safetensors",
    ]);
    const pkl = report.files.find((f) => f.path === "classifier.pkl")!;
    const c = byRef(bom, "artifact:classifier.pkl")!;
    expect(c.hashes).toEqual([{ alg: "SHA-256", content: pkl.sha256 }]);
    expect(propValues(c.properties, "modelward:size")).toEqual([String(pkl.size)]);
    expect(propValues(c.properties, "modelward:format")).toEqual(["pickle"]);
    expect(propValues(c.properties, "modelward:import")).toEqual(["safe global collections.OrderedDict", "dangerous global os.system"]);
  });

  it("puts the analyzers' model card facts into modelCard", async () => {
    const c = byRef(await render(), "artifact:checkpoints/resnet 50.pt")!;
    expect(c.modelCard?.modelParameters).toEqual({ modelArchitecture: "ResNet-50", task: "image-classification" });
    expect(propValues(c.modelCard?.properties, "modelward:card:parameters")).toEqual(["25557032"]);
    expect(propValues(c.modelCard?.properties, "modelward:card:framework")).toEqual(["pytorch"]);
    expect(propValues(c.modelCard?.properties, "modelward:card:tensors")).toEqual(["320"]);
  });

  it("nests a model member under its container, named by the member path", async () => {
    const bom = await render();
    const top = bom.components.find((c) => c["bom-ref"] === "artifact:checkpoints/resnet 50.pt")!;
    expect(top.components?.map((c) => [c.name, c["bom-ref"], c.type])).toEqual([
      ["archive/data.pkl", "artifact:checkpoints/resnet 50.pt!/archive/data.pkl", "machine-learning-model"],
    ]);
    expect(bom.components.some((c) => c["bom-ref"].includes("!/"))).toBe(false);
  });

  it("lists non-model files with something to say as file components and leaves out bare skipped files", async () => {
    const bom = await render();
    const files = bom.components.filter((c) => c.type === "file");
    expect(files.map((c) => c.name)).toEqual(["data/bundle.zip", "notebooks/train.ipynb", "requirements.txt"]);
    expect(propValues(files[0]!.properties, "modelward:incomplete")).toEqual(["archive: member not opened: encrypted (weights/secret.pkl)"]);
    expect(allComponents(bom.components).some((c) => c.name === "README.md")).toBe(false);
  });

  it("adds declared packages as library components with purls, linked from the declaring file", async () => {
    const bom = await render();
    const libs = bom.components.filter((c) => c.type === "library");
    expect(libs.map((c) => [c.name, c.version, c.purl])).toEqual([
      ["torch", "1.13.0", "pkg:pypi/torch@1.13.0"],
      ["numpy", "1.26.4", "pkg:pypi/numpy@1.26.4"],
      ["transformers", undefined, undefined],
    ]);
    // A range is not a version: it is kept as a property instead.
    expect(propValues(libs[2]!.properties, "modelward:version-spec")).toEqual([">=4.38"]);
    const deps = bom.dependencies.find((d) => d.ref === "artifact:requirements.txt")!;
    expect(deps.dependsOn).toEqual(libs.map((c) => c["bom-ref"]));
    expect(bom.components.find((c) => c.type === "framework")).toMatchObject({ name: "torch", version: "2.1.0" });
  });

  it("deduplicates a package declared by several files", async () => {
    const report = sampleReport();
    const nb = report.files.find((f) => f.path === "notebooks/train.ipynb")!;
    nb.components.push({ type: "library", name: "numpy", version: "1.26.4", purl: "pkg:pypi/numpy@1.26.4" });
    const bom = await render(report);
    expect(bom.components.filter((c) => c.purl === "pkg:pypi/numpy@1.26.4")).toHaveLength(1);
    expect(bom.dependencies.find((d) => d.ref === "artifact:notebooks/train.ipynb")!.dependsOn).toEqual(["pkg:pypi/numpy@1.26.4"]);
  });

  it("prefixes bom-refs with the target as written when a report has several targets", async () => {
    const bom = await render(stressReport());
    const refs = allComponents(bom.components).map((c) => c["bom-ref"]);
    expect(refs).toContain("artifact:./models::classifier.pkl");
    expect(refs).toContain("artifact:hf://acme/resnet::classifier.pkl");
    // The same file listed twice still gets two distinct refs.
    expect(refs).toContain("artifact:./models::model.safetensors#2");
  });
});

describe("cyclonedx reporter: vulnerabilities", () => {
  it("has one vulnerability per rule (suppressed findings apart), Modelward as source, then one per package advisory; no info finding", async () => {
    const report = sampleReport();
    const nb = report.files.find((f) => f.path === "notebooks/train.ipynb")!;
    nb.findings.push({ ...structuredClone(nb.findings[0]!), ruleId: "notebook/observation", severity: "info", fingerprint: "f".repeat(64), message: "an observation" });
    const bom = await render(report);
    expect(bom.vulnerabilities.map((v) => v.id)).toEqual([
      "MW:pickle/unsafe-global",
      "MW:pickle/unknown-global",
      "MW:notebook/hardcoded-secret",
      "MW:sbom/vulnerable-requirement",
      "GHSA-53q9-r3pm-6pq6",
    ]);
    expect(new Set(bom.vulnerabilities.map((v) => v["bom-ref"])).size).toBe(bom.vulnerabilities.length);
    const unsafe = bom.vulnerabilities[0]!;
    expect(unsafe.source).toEqual({ name: "Modelward", url: sampleRules().get("pickle/unsafe-global")!.helpUri });
    expect(propValues(unsafe.properties, "modelward:findings")).toEqual(["2"]);
    expect(propValues(unsafe.properties, "modelward:fingerprint")).toHaveLength(2);
  });

  it("rates a rule with its highest finding severity (method other), classifies by CWE number and recommends the remediation", async () => {
    const rules = sampleRules();
    const v = (await render()).vulnerabilities.find((x) => x.id === "MW:pickle/unsafe-global")!;
    expect(v.ratings).toEqual([
      expect.objectContaining({ severity: "critical", method: "other", score: Number(securitySeverityScore("critical")), source: expect.objectContaining({ name: "Modelward" }) }),
    ]);
    expect(v.cwes).toEqual([502, 94]);
    expect(v.recommendation).toBe(rules.get("pickle/unsafe-global")!.remediation);
    expect(propValues(v.properties, "modelward:rule-id")).toEqual(["pickle/unsafe-global"]);
    expect(propValues(v.properties, "modelward:atlas")).toEqual(["AML.T0011.000", "AML.T0010.003"]);
    expect(propValues(v.properties, "modelward:owasp")).toEqual(["LLM03:2025", "ML06:2023"]);
  });

  it("affects every component where the rule fired: the member and the top-level file", async () => {
    const v = (await render()).vulnerabilities.find((x) => x.id === "MW:pickle/unsafe-global")!;
    expect(v.affects).toEqual([{ ref: "artifact:checkpoints/resnet 50.pt!/archive/data.pkl" }, { ref: "artifact:classifier.pkl" }]);
  });

  it("makes a dependency finding affect the named package as well as the file", async () => {
    const v = (await render()).vulnerabilities.find((x) => x.id === "MW:sbom/vulnerable-requirement")!;
    expect(v.affects).toEqual([{ ref: "artifact:requirements.txt" }, { ref: "pkg:pypi/torch@1.13.0" }]);
  });

  it("marks a rule's suppressed findings not_affected with the justification, and leaves others unanalysed", async () => {
    const bom = await render();
    const analysed = bom.vulnerabilities.filter((v) => v.analysis);
    expect(analysed).toHaveLength(1);
    expect(analysed[0]!.analysis).toEqual({ state: "not_affected", detail: "Suppressed by configuration: CustomHead is our own layer, reviewed in SEC-142" });
    expect(propValues(analysed[0]!.properties, "modelward:rule-id")).toEqual(["pickle/unknown-global"]);
  });

  it("still renders a finding whose rule is unknown, without rule-derived fields", async () => {
    const rules = sampleRules();
    rules.delete("notebook/hardcoded-secret");
    const v = (await render(sampleReport(), rules)).vulnerabilities.find((x) => x.id === "MW:notebook/hardcoded-secret")!;
    expect(v.source.url).toBe("https://github.com/modelward/modelward");
    expect(v.recommendation).toBeUndefined();
    expect(v.description).toContain("HF_TOKEN");
    expect(v.cwes).toEqual([798]);
    expect(v.affects).toEqual([{ ref: "artifact:notebooks/train.ipynb" }]);
  });
});

describe("cyclonedx reporter: occurrences, subject and dependency graph", () => {
  it("records where each finding was made as the component's evidence.occurrences (location, line, offset, symbol)", async () => {
    const bom = await render();
    const member = byRef(bom, "artifact:checkpoints/resnet 50.pt!/archive/data.pkl")!;
    expect(member.evidence?.occurrences).toEqual([
      expect.objectContaining({ location: "checkpoints/resnet 50.pt ▸ archive/data.pkl", offset: 2048, symbol: "webbrowser.open", additionalContext: expect.stringMatching(/^high pickle\/unsafe-global: /) }),
      expect.objectContaining({ offset: 912, symbol: "mylib.layers.CustomHead" }),
    ]);
    const nb = byRef(bom, "artifact:notebooks/train.ipynb")!;
    expect(nb.evidence?.occurrences).toEqual([expect.objectContaining({ location: "notebooks/train.ipynb#/cells/3/source/3 cell 3", line: 4 })]);
    expect(byRef(bom, "artifact:model.safetensors")!.evidence).toBeUndefined();
  });

  it("describes the scanned target as metadata.component, a model holding the folder's model card, depending on its top-level artifacts", async () => {
    const report = sampleReport();
    report.targets[0]!.revision = "0123abc";
    report.files.find((f) => f.path === "README.md")!.properties = { task: "image-classification", datasets: "imagenet-1k, cifar10" };
    const bom = await render(report);
    const subject = bom.metadata.component;
    expect(subject).toMatchObject({ type: "machine-learning-model", name: "./models", version: "0123abc", "bom-ref": "target:./models" });
    expect(subject.modelCard?.modelParameters).toEqual({
      task: "image-classification",
      modelArchitecture: "ResNet-50",
      datasets: [{ type: "dataset", name: "imagenet-1k" }, { type: "dataset", name: "cifar10" }],
    });
    const deps = (ref: string) => bom.dependencies.find((d) => d.ref === ref)?.dependsOn ?? [];
    expect(deps("target:./models")).toEqual(expect.arrayContaining(["artifact:checkpoints/resnet 50.pt", "artifact:classifier.pkl", "artifact:requirements.txt"]));
    expect(deps("target:./models")).not.toContain("artifact:checkpoints/resnet 50.pt!/archive/data.pkl");
    // target → container → member, and file → declared library.
    expect(deps("artifact:checkpoints/resnet 50.pt")).toContain("artifact:checkpoints/resnet 50.pt!/archive/data.pkl");
    expect(deps("artifact:requirements.txt")).toContain("pkg:pypi/torch@1.13.0");
  });

  it("nests one component per target under an umbrella subject when a report has several", async () => {
    const bom = await render(stressReport());
    expect(bom.metadata.component.name).toBe("2 targets");
    expect(bom.metadata.component.components?.map((c) => c["bom-ref"])).toEqual(["target:./models", "target:hf://acme/resnet"]);
  });
});

describe("cyclonedx reporter: advisories of declared packages", () => {
  it("lists each advisory as a vulnerability with its id, aliases, the affected pin and the fixed version", async () => {
    const bom = (await render()) as CdxBom & { vulnerabilities: (CdxBom["vulnerabilities"][number] & { references?: { id: string; source: { name: string } }[]; affects: { ref: string; versions?: { version?: string; status?: string }[] }[] })[] };
    const advisory = bom.vulnerabilities.find((v) => v.id === "GHSA-53q9-r3pm-6pq6");
    expect(advisory).toBeDefined();
    expect(advisory!.source.name).toBe("GitHub Advisory Database");
    expect(advisory!.references).toEqual([{ id: "CVE-2025-32434", source: { name: "NVD", url: "https://nvd.nist.gov/vuln/detail/CVE-2025-32434" } }]);
    expect(advisory!.affects).toEqual([
      { ref: "pkg:pypi/torch@1.13.0", versions: [{ version: "1.13.0", status: "affected" }, { version: "2.6.0", status: "unaffected" }] },
    ]);
    expect(advisory!.recommendation).toMatch(/2\.6\.0/);
  });
});
