import type { RuleMeta, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7 ("Vulnerable requirement pins": CWE-1395, AML.T0010.001, LLM03:2025).
const VULNERABLE: Taxonomy = { cwe: ["CWE-1395"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] };
// Dependency confusion: an index searched alongside PyPI lets whoever registers the name first win.
const CONFUSION: Taxonomy = { cwe: ["CWE-427", "CWE-829"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] };
// Code fetched without an integrity check (mutable refs, unhashed URLs, unpinned versions).
const INTEGRITY: Taxonomy = { cwe: ["CWE-494", "CWE-829"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] };

const PIP_FORMAT = "https://pip.pypa.io/en/stable/reference/requirements-file-format/";
const PIP_SECURE = "https://pip.pypa.io/en/stable/topics/secure-installs/";
const DEP_SPEC = "https://packaging.python.org/en/latest/specifications/dependency-specifiers/";
const CONFUSION_REF = "https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610";
const PYTORCH_TORCHTRITON = "https://pytorch.org/blog/compromised-nightly-dependency/";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `sbom/${id}`, ...r };
}

/** Every rule the SBOM analyzer reports. */
export const RULES = {
  malformedManifest: rule("malformed-manifest", {
    title: "Dependency manifest could not be fully read",
    description:
      "A requirements file, pyproject, lock file or environment file holds an entry Modelward cannot parse (invalid TOML/YAML/JSON, an invalid PEP 508 requirement, an unknown option). Installers either reject it or read it differently, and the dependencies it hides are not in the SBOM, so the file is reported incomplete.",
    remediation: "Fix the entry (see the line); `pip install --dry-run -r <file>` or the tool's own lock command shows how the installer reads it.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [PIP_FORMAT, DEP_SPEC],
  }),
  extraIndex: rule("extra-index-url", {
    title: "Extra package index searched alongside PyPI (dependency confusion)",
    description:
      "`--extra-index-url` (or a second Pipenv source, a Poetry supplemental source, a non-default uv index) makes the installer consider both indexes and take the best version from either: anyone who registers an internal package name on PyPI with a higher version gets their code installed. This is how the PyTorch nightly `torchtriton` compromise of December 2022 worked.",
    remediation:
      "Use a single index that proxies PyPI (`--index-url`), or pin every package to its index (uv `explicit = true` indexes with `[tool.uv.sources]`, Poetry `priority = \"explicit\"`) and install with `--require-hashes`.",
    defaultSeverity: "medium",
    category: "dependency",
    taxonomy: CONFUSION,
    references: [PYTORCH_TORCHTRITON, CONFUSION_REF, PIP_SECURE],
  }),
  insecureIndex: rule("insecure-index", {
    title: "Package index reached without TLS verification",
    description:
      "An index or find-links page over plain `http://`, or a `--trusted-host` / `verify_ssl = false` source: anyone on the network path can serve other code under the same names.",
    remediation: "Serve the index over HTTPS with a valid certificate and remove `--trusted-host` / `verify_ssl = false`.",
    defaultSeverity: "medium",
    category: "dependency",
    taxonomy: { cwe: ["CWE-319", "CWE-295"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] },
    references: [PIP_SECURE],
  }),
  mutableReference: rule("mutable-reference", {
    title: "Dependency fetched from a VCS branch/tag or an unhashed URL",
    description:
      "A VCS requirement without a full commit hash (a branch, a tag, or nothing: the default branch) or a direct archive URL without a content hash installs whatever the repository or server holds at install time; whoever controls it can change the code without changing the manifest.",
    remediation: "Pin VCS requirements to a full commit (`git+https://…@<40-hex sha>`) and add `--hash=sha256:…` (or `#sha256=`) to archive URLs, or publish the package to your index.",
    defaultSeverity: "medium",
    category: "dependency",
    taxonomy: INTEGRITY,
    references: [PIP_SECURE, "https://pip.pypa.io/en/stable/topics/vcs-support/"],
  }),
  unpinned: rule("unpinned-requirements", {
    title: "Requirements installed without pinned versions or hashes",
    description:
      "A requirements file (or environment file) with no lock beside it lists packages without an exact `==` version: every install resolves to whatever is newest, so a compromised or broken release is picked up silently and two installs of the same project differ. One finding per file lists the names.",
    remediation: "Pin exact versions with hashes (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`, `pip freeze`), or commit a lock file (uv.lock, poetry.lock, Pipfile.lock).",
    defaultSeverity: "low",
    category: "dependency",
    taxonomy: INTEGRITY,
    references: [PIP_SECURE],
  }),
  includeOutside: rule("include-outside-target", {
    title: "Requirements include points outside the scanned project",
    description:
      "A `-r`/`-c` include names an absolute path, a path that leaves the project (`../`), or a URL: its requirements are not part of what was scanned, and they change with the machine or server the install runs on.",
    remediation: "Keep included requirement files inside the repository, or inline them.",
    defaultSeverity: "low",
    category: "dependency",
    taxonomy: INTEGRITY,
    references: [PIP_FORMAT],
  }),
  vulnerableVersion: rule("vulnerable-version", {
    title: "Pinned version has a known vulnerability",
    description:
      "The exact version a manifest pins (or a lock resolved) is affected by an advisory of the PyPA advisory database (offline snapshot shipped in the default ruleset, with its date). Severity comes from the advisory's CVSS v3 vector when it has one, else high. Versions are compared with PEP 440 semantics.",
    remediation: "Upgrade to the fixed version the finding names (or later), regenerate the lock, and re-scan. Refresh the snapshot with `node scripts/advisories/build-pypi-snapshot.mjs`.",
    defaultSeverity: "high",
    category: "dependency",
    taxonomy: VULNERABLE,
    references: ["https://github.com/pypa/advisory-database", "https://osv.dev/list?ecosystem=PyPI"],
  }),
  vulnerableRange: rule("vulnerable-range", {
    title: "Version range admits versions with known vulnerabilities",
    description:
      "A version range (`>=1.0`, `^2.1`, `~=1.4`) allows versions that advisories of the PyPA database affect: an install constrained elsewhere, or an old lock, can end up on one. Low when the range also admits the fix; medium when it admits no fixed version of an advisory.",
    remediation: "Raise the range's lower bound to the fixed version (and drop upper bounds that exclude it).",
    defaultSeverity: "low",
    category: "dependency",
    taxonomy: VULNERABLE,
    references: ["https://github.com/pypa/advisory-database"],
  }),
  maliciousPackage: rule("malicious-package", {
    title: "Known malicious package or release",
    description:
      "The manifest declares a package (or an exact release of one) that a curated, sourced list of the default ruleset records as malicious: dependency-confusion uploads (`torchtriton`), compromised releases (`ultralytics` 8.3.41), fake AI SDKs that ship infostealers or poisoned pickled models, and typosquats. Installing it runs the attacker's code.",
    remediation: "Remove it, check the machines that installed it for the behaviour the source describes (credentials sent out, miners, persistence), rotate credentials, and pin the legitimate package with hashes.",
    defaultSeverity: "critical",
    category: "dependency",
    taxonomy: { cwe: ["CWE-506", "CWE-829"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] },
    references: ["https://github.com/ossf/malicious-packages", "https://pytorch.org/blog/compromised-nightly-dependency/"],
  }),
  typosquat: rule("typosquat", {
    title: "Package name one typo away from a popular ML package",
    description:
      "The name is one edit (an inserted, missing, changed or swapped letter, or a dropped separator) from a popular ML package, without being that package or a known real neighbour (`torchx`, `scapy`, `dataset` …). Typosquats rely on exactly that mistake to get installed.",
    remediation: "Check the name against the package you meant (PyPI page, maintainers, download counts) and fix it; if it is the package you want, suppress the finding for this path with a justification.",
    defaultSeverity: "medium",
    category: "dependency",
    confidence: "medium",
    taxonomy: { cwe: ["CWE-506", "CWE-829"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] },
    references: ["https://github.com/ossf/malicious-packages", "https://arxiv.org/abs/2005.09535"],
  }),
  codeDeserializer: rule("code-deserializer", {
    title: "dill/cloudpickle declared beside model loading",
    description:
      "`dill` and `cloudpickle` serialize code itself (functions, lambdas, classes by value), and are how MLflow pyfunc models, Ray and joblib-style pipelines are often saved. A project that declares them beside model-loading libraries likely loads such files: loading one runs whatever code it carries, more directly than plain pickle. Low: it is a risk to be aware of, not a flaw.",
    remediation: "Load only files you produced or verified (hash, signature); prefer formats without code (safetensors, ONNX, skops for scikit-learn) for models you exchange.",
    defaultSeverity: "low",
    category: "dependency",
    taxonomy: { cwe: ["CWE-502"], atlas: ["AML.T0011.000", "AML.T0010.001"], owasp: ["LLM03:2025"] },
    references: ["https://github.com/uqfoundation/dill", "https://github.com/cloudpipe/cloudpickle#overview"],
  }),
} as const satisfies Record<string, RuleMeta>;

/** The rules as a list, in declaration order. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
