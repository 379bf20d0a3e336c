import { describe, expect, it } from "vitest";
import { parseCondaEnvironment } from "./conda-parser.js";
import { parseDirectReference, redactUrl } from "./direct-reference.js";
import { parsePipfileLock, parsePoetryLock, parseUvLock } from "./lock-parsers.js";
import { normalizeName, pypiPurl } from "./package-name.js";
import { parseRequirement } from "./pep508.js";
import { parsePipfile } from "./pipfile-parser.js";
import { parsePyproject } from "./pyproject-parser.js";
import { looksLikeRequirements, parseRequirementsFile } from "./requirements-parser.js";
import { parseSetupCfg } from "./setup-cfg-parser.js";
import { BENIGN_PYPROJECT, BENIGN_REQUIREMENTS, POETRY_PYPROJECT, UV_PYPROJECT } from "./test-fixtures.js";

describe("package names", () => {
  it("normalizes per PEP 503 and builds purls with the exact version only", () => {
    expect(normalizeName("Scikit_Learn")).toBe("scikit-learn");
    expect(normalizeName("zope..interface")).toBe("zope-interface");
    expect(pypiPurl("PyYAML", "6.0.2")).toBe("pkg:pypi/pyyaml@6.0.2");
    expect(pypiPurl("torch", "2.1.0+cu118")).toBe("pkg:pypi/torch@2.1.0%2Bcu118");
    expect(pypiPurl("torch")).toBe("pkg:pypi/torch");
  });
});

describe("PEP 508 requirements", () => {
  it("reads names, extras, specifiers, exact pins and markers", () => {
    const r = parseRequirement('transformers[torch, sentencepiece] >=4.38, <5 ; python_version < "3.13"');
    expect(r).toEqual({ ok: true, value: { name: "transformers", extras: ["torch", "sentencepiece"], specifier: ">=4.38,<5", marker: 'python_version < "3.13"' } });
    expect(parseRequirement("torch==2.5.1")).toMatchObject({ ok: true, value: { version: "2.5.1" } });
    expect(parseRequirement("torch===2.5.1")).toMatchObject({ ok: true, value: { version: "2.5.1" } });
    expect(parseRequirement("torch==2.*")).toMatchObject({ ok: true, value: { specifier: "==2.*" } });
    expect((parseRequirement("torch==2.*") as { value: { version?: string } }).value.version).toBeUndefined();
    expect(parseRequirement("numpy (>=1.20)")).toMatchObject({ ok: true, value: { specifier: ">=1.20" } });
  });

  it("reads direct references and rejects garbage", () => {
    expect(parseRequirement("pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == 'posix'")).toMatchObject({
      ok: true,
      value: { name: "pkg", direct: { kind: "url", immutable: false }, marker: "os_name == 'posix'" },
    });
    expect(parseRequirement("torch >= two")).toMatchObject({ ok: false });
    expect(parseRequirement("[extras]")).toMatchObject({ ok: false });
    expect(parseRequirement("https://example.org/archive")).toMatchObject({ ok: false });
  });

  it("tells commits from branches and hides credentials", () => {
    expect(parseDirectReference("git+https://github.com/a/b.git@0123456789abcdef0123456789abcdef01234567#egg=b")).toMatchObject({ kind: "vcs", immutable: true });
    expect(parseDirectReference("git+https://github.com/a/b.git@v1.0")).toMatchObject({ kind: "vcs", revision: "v1.0", immutable: false });
    expect(parseDirectReference("git+ssh://git@github.com/a/b.git")).toMatchObject({ kind: "vcs", immutable: false });
    expect(parseDirectReference("git+ssh://git@github.com/a/b.git").revision).toBeUndefined();
    expect(redactUrl("https://user:s3cr3t@pypi.acme.internal/simple")).toBe("https://***@pypi.acme.internal/simple");
  });
});

describe("requirements files", () => {
  it("reads a pinned file with continuations, hashes and markers", () => {
    const m = parseRequirementsFile(BENIGN_REQUIREMENTS);
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => `${d.name}@${d.version}:${d.line}`)).toEqual([
      "torch@2.5.1:2", "torchvision@0.20.1:3", "transformers@4.48.0:4", "tokenizers@0.21.0:5", "safetensors@0.5.2:6",
      "numpy@2.1.3:7", "pandas@2.2.3:8", "scikit-learn@1.6.1:9", "pyyaml@6.0.2:10", "tqdm@4.67.1:12",
    ]);
    expect(m.dependencies[8]!.hashes).toEqual(["sha256:0a9a2848a5b7feac301353437eb7d5957887edbf81d56e903999a75a3d743086"]);
    expect(m.dependencies[5]!.marker).toBe('python_version >= "3.10"');
  });

  it("reads options, includes, VCS, URLs and editables", () => {
    const m = parseRequirementsFile(
      [
        "--index-url https://pypi.org/simple",
        "--extra-index-url=https://pypi.acme.internal/simple",
        "-r base.txt",
        "-cconstraints.txt",
        "--requirement ../../outside.txt",
        "-e .",
        "-e git+https://github.com/acme/tool.git@main#egg=acme-tool",
        "https://files.example.org/pkg/foo-1.0-py3-none-any.whl",
        "bar @ git+https://github.com/acme/bar@0123456789abcdef0123456789abcdef01234567",
        "--trusted-host pypi.acme.internal",
        "--pre",
      ].join("\n"),
    );
    expect(m.problems).toEqual([]);
    expect(m.indexes.map((i) => i.kind)).toEqual(["index-url", "extra-index-url", "trusted-host"]);
    expect(m.includes).toEqual([
      { kind: "requirement", path: "base.txt", line: 3 },
      { kind: "constraint", path: "constraints.txt", line: 4 },
      { kind: "requirement", path: "../../outside.txt", line: 5 },
    ]);
    expect(m.dependencies.map((d) => [d.name, d.direct?.kind, d.direct?.immutable])).toEqual([
      ["acme-tool", "vcs", false],
      ["foo", "url", false],
      ["bar", "vcs", true],
    ]);
  });

  it("reports unreadable lines as problems with their line", () => {
    const m = parseRequirementsFile("torch==2.5.1\n--frobnicate yes\nnumpy >= banana\n");
    expect(m.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(m.dependencies.map((d) => d.name)).toEqual(["torch"]);
  });

  it("sniffs requirement lists but not prose or word lists", () => {
    expect(looksLikeRequirements("torch>=2\nnumpy\n")).toBe(true);
    expect(looksLikeRequirements("-r base.txt\ntorch\n")).toBe(true);
    expect(looksLikeRequirements("-r base.txt\n")).toBe(false);
    expect(looksLikeRequirements("hello\nworld\nthe\n")).toBe(false);
    expect(looksLikeRequirements("This model was trained on data.\n")).toBe(false);
    expect(looksLikeRequirements("[PAD]\n[UNK]\n##s\n")).toBe(false);
  });
});

describe("pyproject.toml", () => {
  it("reads PEP 621 dependencies, extras, PEP 735 groups and build requirements with lines", () => {
    const m = parsePyproject(BENIGN_PYPROJECT);
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => `${d.name}${d.specifier ?? ""}:${d.line}:${d.group ?? ""}`)).toEqual([
      "torch>=2.5,<3:10:", "transformers>=4.48:11:", "safetensors>=0.5:12:",
      "fastapi>=0.115:16:serve", "uvicorn>=0.34:16:serve",
      "pytest>=8.3:19:dev", "ruff==0.9.4:20:lint", "hatchling==1.27.0:2:build",
    ]);
  });

  it("reads Poetry dependencies, groups, git sources and supplemental sources", () => {
    const m = parsePyproject(POETRY_PYPROJECT);
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => [d.name, d.version ?? d.specifier, d.direct?.immutable, d.line])).toEqual([
      ["torch", "2.5.1", undefined, 7],
      ["numpy", "^2.1", undefined, 8],
      ["mylib", undefined, false, 9],
      ["pytest", "^8.3", undefined, 12],
    ]);
    expect(m.indexes).toEqual([{ kind: "extra-index-url", value: "https://pypi.acme.internal/simple/", line: 16 }]);
  });

  it("applies uv sources and ignores explicit indexes", () => {
    const m = parsePyproject(UV_PYPROJECT);
    expect(m.dependencies.find((d) => d.name === "vendored")?.direct).toMatchObject({ kind: "vcs", immutable: true });
    expect(m.indexes).toEqual([]);
  });

  it("turns invalid TOML into a problem", () => {
    const m = parsePyproject('[project]\ndependencies = ["torch"\n');
    expect(m.problems).toHaveLength(1);
    expect(m.problems[0]!.message).toMatch(/invalid TOML/);
  });
});

describe("setup.cfg, Pipfile and locks", () => {
  it("reads setup.cfg install_requires and extras", () => {
    const m = parseSetupCfg("[metadata]\nname = x\n\n[options]\ninstall_requires =\n    torch>=2\n    numpy==2.1.3; python_version>'3.9'\n\n[options.extras_require]\nserve =\n    fastapi\n");
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => [d.name, d.line, d.group])).toEqual([["torch", 6, undefined], ["numpy", 7, undefined], ["fastapi", 11, "serve"]]);
    expect(m.dependencies[1]!.marker).toBe("python_version>'3.9'");
  });

  it("reads Pipfile packages and sources", () => {
    const m = parsePipfile('[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[[source]]\nurl = "http://mirror.acme/simple"\nverify_ssl = false\nname = "acme"\n\n[packages]\ntorch = "==2.5.1"\nrequests = "*"\n\n[dev-packages]\npytest = ">=8"\n');
    expect(m.dependencies.map((d) => [d.name, d.version, d.line, d.group])).toEqual([["torch", "2.5.1", 12, undefined], ["requests", undefined, 13, undefined], ["pytest", undefined, 16, "dev"]]);
    expect(m.indexes.map((i) => i.kind)).toEqual(["index-url", "extra-index-url", "trusted-host"]);
  });

  it("reads Pipfile.lock, poetry.lock and uv.lock entries as exact versions", () => {
    const pl = parsePipfileLock(JSON.stringify({ _meta: { sources: [{ url: "https://pypi.org/simple" }] }, default: { torch: { version: "==2.5.1", hashes: ["sha256:ab"] } }, develop: { pytest: { version: "==8.3.4" } } }, null, 2));
    expect(pl.dependencies.map((d) => [d.name, d.version, d.group, d.hashes.length])).toEqual([["torch", "2.5.1", undefined, 1], ["pytest", "8.3.4", "dev", 0]]);
    const poetry = parsePoetryLock('[[package]]\nname = "torch"\nversion = "2.5.1"\nfiles = [{file = "t.whl", hash = "sha256:ab"}]\n\n[[package]]\nname = "mylib"\nversion = "0.1.0"\n\n[package.source]\ntype = "git"\nurl = "https://github.com/acme/mylib.git"\nreference = "main"\nresolved_reference = "0123456789abcdef0123456789abcdef01234567"\n');
    expect(poetry.lock).toBe(true);
    expect(poetry.dependencies.map((d) => [d.name, d.version, d.line, d.direct?.immutable])).toEqual([["torch", "2.5.1", 1, undefined], ["mylib", "0.1.0", 6, true]]);
    const uv = parseUvLock('version = 1\n\n[[package]]\nname = "acme"\nversion = "0.1.0"\nsource = { virtual = "." }\n\n[[package]]\nname = "numpy"\nversion = "2.1.3"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/numpy.tar.gz", hash = "sha256:aa" }\n\n[[package]]\nname = "tool"\nversion = "1.0"\nsource = { git = "https://github.com/acme/tool?branch=main#0123456789abcdef0123456789abcdef01234567" }\n');
    expect(uv.dependencies.map((d) => [d.name, d.version, d.line, d.direct?.immutable])).toEqual([["numpy", "2.1.3", 8, undefined], ["tool", "1.0", 14, true]]);
    expect(parsePoetryLock("[[package]\n").problems).toHaveLength(1);
    expect(parsePipfileLock("{").problems).toHaveLength(1);
  });
});

describe("conda environment.yml", () => {
  it("reads conda specs and the pip subsection with lines", () => {
    const m = parseCondaEnvironment("name: ml\nchannels:\n  - pytorch\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pytorch::pytorch=2.5.1=py3.11_cuda12.4_cudnn9.1.0_0\n  - numpy>=2\n  - pip\n  - pip:\n    - transformers==4.48.0\n    - --extra-index-url https://pypi.acme.internal/simple\n");
    expect(m.problems).toEqual([]);
    expect(m.dependencies.map((d) => [d.ecosystem, d.name, d.version, d.line])).toEqual([
      ["conda", "pytorch", "2.5.1", 7],
      ["conda", "numpy", undefined, 8],
      ["pypi", "transformers", "4.48.0", 11],
    ]);
    expect(m.indexes).toEqual([{ kind: "extra-index-url", value: "https://pypi.acme.internal/simple", line: 12 }]);
  });

  it("turns invalid YAML into a problem", () => {
    expect(parseCondaEnvironment("dependencies:\n  - a\n - b: [\n").problems.length).toBeGreaterThan(0);
  });
});
