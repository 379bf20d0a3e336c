import { AnalyzerTester, allFindings, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";
import { BENIGN_PYPROJECT, BENIGN_REQUIREMENTS, POETRY_PYPROJECT, UV_PYPROJECT, utf8 } from "./test-fixtures.js";

const tester = new AnalyzerTester({ plugins: [plugin] });

tester.run("sbom", {
  valid: [
    { name: "pinned ML requirements", path: "requirements.txt", bytes: utf8(BENIGN_REQUIREMENTS), below: "low" },
    { name: "PEP 621 pyproject with ranges (a library declares ranges; no lock is expected of it)", path: "pyproject.toml", bytes: utf8(BENIGN_PYPROJECT), below: "low" },
    { name: "uv project with commit-pinned git source and an explicit index", path: "pyproject.toml", bytes: utf8(UV_PYPROJECT), below: "low" },
  ],
  invalid: [
    {
      name: "--extra-index-url (dependency confusion)",
      path: "requirements.txt",
      bytes: utf8("--extra-index-url https://token:abc@pypi.acme.internal/simple\nacme-core==1.0\n"),
      findings: [{ ruleId: "sbom/extra-index-url", severity: "medium", message: /https:\/\/\*\*\*@pypi\.acme\.internal/ }],
    },
    {
      name: "plain HTTP index and trusted host",
      path: "requirements-dev.txt",
      bytes: utf8("-i http://mirror.acme/simple\n--trusted-host mirror.acme\ntorch==2.5.1\n"),
      findings: [
        { ruleId: "sbom/insecure-index", message: /plain HTTP/ },
        { ruleId: "sbom/insecure-index", message: /TLS verification turned off/ },
      ],
    },
    {
      name: "VCS branch and unhashed URL",
      path: "requirements.txt",
      bytes: utf8("git+https://github.com/acme/tool.git@main#egg=acme-tool\nfoo @ https://files.example.org/foo-1.0.tar.gz\n"),
      findings: [
        { ruleId: "sbom/mutable-reference", message: /acme-tool .*revision "main" is a branch or tag/ },
        { ruleId: "sbom/mutable-reference", message: /foo .*no content hash/ },
      ],
    },
    {
      name: "Poetry git branch and supplemental source",
      path: "pyproject.toml",
      bytes: utf8(POETRY_PYPROJECT),
      findings: [{ ruleId: "sbom/mutable-reference", message: /mylib/ }, { ruleId: "sbom/extra-index-url" }],
    },
    {
      name: "include outside the project",
      path: "requirements/dev.txt",
      bytes: utf8("-r ../base.txt\n-r ../../../etc/requirements.txt\npytest==8.3.4\n"),
      findings: [{ ruleId: "sbom/include-outside-target", message: /\.\.\/\.\.\/\.\.\/etc/ }],
    },
    {
      name: "unpinned requirements: one finding listing the names",
      path: "requirements.txt",
      bytes: utf8("torch\ntransformers>=4\nnumpy==2.1.3\n"),
      findings: [{ ruleId: "sbom/unpinned-requirements", severity: "low", message: /2 of 3 requirements have no exact version: torch, transformers/ }],
    },
  ],
});

describe("sbom analyzer in a scan", () => {
  it("records every library as a component with purl, version or range, line and manifest kind", async () => {
    const report = await tester.scan("requirements.txt", utf8("torch==2.5.1\nTransformers[torch]>=4.48 ; python_version>'3.9'\n"));
    const file = report.files[0]!;
    expect(file.format).toBe("requirements");
    expect(file.components).toEqual([
      { type: "library", name: "torch", version: "2.5.1", purl: "pkg:pypi/torch@2.5.1", declaredAt: { line: 1 }, via: "requirements" },
      { type: "library", name: "transformers", version: ">=4.48", purl: "pkg:pypi/transformers", declaredAt: { line: 2 }, via: "requirements" },
    ]);
  });

  it("reports a malformed manifest as a finding and an incomplete analysis", async () => {
    const report = await tester.scan("pyproject.toml", utf8('[project]\ndependencies = ["torch>=2"\nname = 1\n'));
    expect(allFindings(report).map((f) => f.ruleId)).toEqual(["sbom/malformed-manifest"]);
    expect(incompleteReasons(report)).toEqual(["pyproject.toml: sbom: 1 pyproject entry could not be read"]);
  });

  it("reports each unreadable requirement line and still records the rest", async () => {
    const report = await tester.scan("requirements.txt", utf8("torch==2.5.1\nnumpy >= banana\n"));
    const [finding] = allFindings(report).filter((f) => f.ruleId === "sbom/malformed-manifest");
    expect(finding?.location.line).toBe(2);
    expect(report.files[0]!.components.map((c) => c.name)).toEqual(["torch"]);
    expect(report.files[0]!.status).toBe("incomplete");
  });

  it("claims .txt files by content and leaves prose alone", async () => {
    const report = await tester.scanTree({ "deps.txt": utf8("torch==2.5.1\nnumpy>=2\n"), "notes.txt": utf8("We trained this for 3 epochs.\n"), "vocab.txt": utf8("[PAD]\nthe\n##s\n") });
    const byPath = new Map(report.files.map((f) => [f.path, f]));
    expect(byPath.get("deps.txt")!.analyzers).toContain("sbom");
    expect(byPath.get("notes.txt")!.status).toBe("skipped");
    expect(byPath.get("vocab.txt")!.status).toBe("skipped");
  });

  it("reads conda environments, Pipfiles and lock files by name", async () => {
    const report = await tester.scanTree({
      "environment.yml": utf8("dependencies:\n  - numpy=2.1.3=py311_0\n  - pip:\n    - torch==2.5.1\n"),
      "Pipfile": utf8('[packages]\ntorch = "==2.5.1"\n'),
      "poetry.lock": utf8('[[package]]\nname = "torch"\nversion = "2.5.1"\n'),
    });
    const purls = report.files.map((f) => [f.path, f.components.map((c) => c.purl)]);
    expect(purls).toEqual([
      ["Pipfile", ["pkg:pypi/torch@2.5.1"]],
      ["environment.yml", ["pkg:conda/numpy@2.1.3", "pkg:pypi/torch@2.5.1"]],
      ["poetry.lock", ["pkg:pypi/torch@2.5.1"]],
    ]);
    expect(allFindings(report)).toEqual([]);
  });
});
