import { createHash } from "node:crypto";
import {
  CATEGORIES,
  SEVERITIES,
  maxSeverity,
  verdictOf,
  type Category,
  type FileReport,
  type Finding,
  type RuleMeta,
  type ScanReport,
  type Severity,
} from "@modelward/core";
import { fingerprintOf } from "@modelward/engine";

/** Canonical URI of the single target of {@link sampleReport}. */
export const SAMPLE_TARGET_URI = "file:///home/ci/project/models";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Rule metadata behind every finding of {@link sampleReport}, with full taxonomy. */
const RULES: RuleMeta[] = [
  {
    id: "pickle/unsafe-global",
    title: "Pickle calls a dangerous callable when loaded",
    description:
      "The pickle stream imports a global that can execute code, touch the file system or the network, and calls it while it is unpickled. Loading the file runs that call.",
    remediation:
      "Do not load this file with `pickle`, `torch.load(weights_only=False)` or `joblib`. Obtain the model from a trusted publisher, or convert it to `safetensors`.",
    defaultSeverity: "critical",
    category: "deserialization",
    confidence: "high",
    taxonomy: { cwe: ["CWE-502", "CWE-94"], atlas: ["AML.T0011.000", "AML.T0010.003"], owasp: ["LLM03:2025", "ML06:2023"] },
    references: ["https://docs.python.org/3/library/pickle.html#restricting-globals"],
    helpUri: "https://github.com/modelward/modelward/blob/main/docs/rules/pickle/unsafe-global.md",
  },
  {
    id: "pickle/unknown-global",
    title: "Pickle imports a global that is not on the allowlist",
    description: "The pickle stream imports a global that no loaded policy has audited. It may be harmless model code or a gadget.",
    remediation: "Review the class. If it is yours, add it to an allowlist ruleset or suppress the finding with a justification.",
    defaultSeverity: "medium",
    category: "deserialization",
    confidence: "medium",
    taxonomy: { cwe: ["CWE-502"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] },
    references: ["https://github.com/trailofbits/fickling"],
  },
  {
    id: "archive/encrypted-member",
    title: "Archive member is encrypted and cannot be inspected",
    description: "An encrypted member cannot be read without its password, so what it would do when loaded is unknown.",
    remediation: "Ask the publisher for an unencrypted archive, or scan the member after decrypting it in an isolated place.",
    defaultSeverity: "medium",
    category: "integrity",
    confidence: "high",
    taxonomy: { cwe: ["CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] },
    references: [],
  },
  {
    id: "notebook/hardcoded-secret",
    title: "Notebook contains a hard-coded credential",
    description: "A notebook cell contains a token or password. Anyone who receives the notebook receives the credential.",
    remediation: "Revoke the credential, remove it from the notebook and its history, and read it from the environment instead.",
    defaultSeverity: "high",
    category: "secret",
    confidence: "high",
    taxonomy: { cwe: ["CWE-798"], owasp: ["LLM02:2025"] },
    references: ["https://cwe.mitre.org/data/definitions/798.html"],
  },
  {
    id: "sbom/vulnerable-requirement",
    title: "Requirement pins a package version with a known vulnerability",
    description: "The requirement resolves to a version that an advisory lists as vulnerable.",
    remediation: "Upgrade the package to a fixed version (see the advisory).",
    defaultSeverity: "high",
    category: "dependency",
    confidence: "high",
    taxonomy: { cwe: ["CWE-1395"], atlas: ["AML.T0010.001"], owasp: ["LLM03:2025"] },
    references: ["https://github.com/advisories/GHSA-53q9-r3pm-6pq6"],
  },
];

/** A Map of the {@link RuleMeta} every finding of {@link sampleReport} refers to (a fresh copy per call). */
export function sampleRules(): Map<string, RuleMeta> {
  return new Map(RULES.map((r) => [r.id, structuredClone(r)]));
}

function finding(
  path: string,
  members: string[],
  input: Pick<Finding, "ruleId" | "message"> & Partial<Omit<Finding, "location">> & { position?: Partial<Finding["location"]> },
): Finding {
  const rule = RULES.find((r) => r.id === input.ruleId)!;
  const evidence = input.evidence ?? {};
  return {
    ruleId: input.ruleId,
    severity: input.severity ?? rule.defaultSeverity,
    confidence: input.confidence ?? rule.confidence ?? "medium",
    category: input.category ?? rule.category,
    message: input.message,
    location: { target: SAMPLE_TARGET_URI, path, members, ...input.position },
    evidence,
    taxonomy: input.taxonomy ?? structuredClone(rule.taxonomy),
    fingerprint: fingerprintOf(input.ruleId, { path, members }, input.position ?? {}, evidence, input.message),
    ...(input.suppression ? { suppression: input.suppression } : {}),
    occurrences: input.occurrences ?? 1,
  };
}

type FileInput = Pick<FileReport, "path" | "size"> & Partial<Omit<FileReport, "target" | "verdict" | "highestSeverity">>;

function file(input: FileInput): FileReport {
  const members = input.members ?? [];
  return {
    target: SAMPLE_TARGET_URI,
    path: input.path,
    members,
    size: input.size,
    sha256: input.sha256 ?? sha256(`content of ${[input.path, ...members].join("/")}`),
    ...(input.format ? { format: input.format } : {}),
    ...(input.framework ? { framework: input.framework } : {}),
    properties: input.properties ?? {},
    analyzers: input.analyzers ?? [],
    status: input.status ?? "scanned",
    ...(input.skipReason ? { skipReason: input.skipReason } : {}),
    incomplete: input.incomplete ?? [],
    bytesRead: input.bytesRead ?? input.size,
    findings: input.findings ?? [],
    imports: input.imports ?? [],
    components: input.components ?? [],
    verdict: "pass",
  };
}

const isInside = (outer: FileReport, inner: FileReport): boolean =>
  outer.target === inner.target &&
  outer.path === inner.path &&
  outer.members.length <= inner.members.length &&
  outer.members.every((m, i) => inner.members[i] === m);

// Verdicts and counts are derived, as the engine derives them, so the sample never contradicts itself.
function complete(files: FileReport[]): ScanReport {
  for (const f of files) {
    const nested = files.filter((g) => isInside(f, g));
    const highest = maxSeverity(nested.flatMap((g) => g.findings.filter((x) => !x.suppression).map((x) => x.severity)));
    if (highest) f.highestSeverity = highest;
    f.verdict = verdictOf(highest, nested.some((g) => g.status === "incomplete"));
  }
  const all = files.flatMap((f) => f.findings);
  const open = all.filter((x) => !x.suppression);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, open.filter((x) => x.severity === s).length])) as Record<Severity, number>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, open.filter((x) => x.category === c).length])) as Record<Category, number>;
  const highest = maxSeverity(open.map((x) => x.severity));
  const anyIncomplete = files.some((f) => f.status === "incomplete");
  const topLevel = files.filter((f) => f.members.length === 0);
  return {
    schemaVersion: "1.4.0",
    tool: {
      name: "modelward",
      version: "0.1.0",
      analyzers: [
        { id: "archive", version: 1, plugin: "@modelward/analyzer-archive" },
        { id: "notebook", version: 1, plugin: "@modelward/analyzer-notebook" },
        { id: "pickle", version: 1, plugin: "@modelward/analyzer-pickle" },
        { id: "pytorch", version: 1, plugin: "@modelward/analyzer-pytorch" },
        { id: "safetensors", version: 1, plugin: "@modelward/analyzer-safetensors" },
        { id: "sbom", version: 1, plugin: "@modelward/analyzer-sbom" },
      ],
      rulesets: ["default"],
    },
    startedAt: "2026-11-22T10:00:00.000Z",
    finishedAt: "2026-11-22T10:00:02.500Z",
    durationMs: 2500,
    targets: [{ uri: SAMPLE_TARGET_URI, input: "./models", source: "file" }],
    files,
    summary: {
      ...(highest ? { highestSeverity: highest } : {}),
      verdict: verdictOf(highest, anyIncomplete),
      files: {
        total: files.length,
        scanned: files.filter((f) => f.status === "scanned").length,
        incomplete: files.filter((f) => f.status === "incomplete").length,
        skipped: files.filter((f) => f.status === "skipped").length,
      },
      findings: { total: open.length, suppressed: all.length - open.length, bySeverity, byCategory },
      bytesRead: topLevel.reduce((n, f) => n + f.bytesRead, 0),
      bytesTotal: topLevel.reduce((n, f) => n + f.size, 0),
      failOn: "high",
      failed: highest === "critical" || highest === "high" || anyIncomplete,
    },
  };
}

const TORCH = "checkpoints/resnet 50.pt";

/**
 * A realistic {@link ScanReport} of one local folder, for reporter tests
 * (a fresh object per call, safe to mutate). It holds:
 * - `classifier.pkl`: a top-level pickle with a critical finding at a byte offset, and imports;
 * - `checkpoints/resnet 50.pt`: a torch zip (a path with a space) whose member
 *   `archive/data.pkl` has a high finding and a suppressed one;
 * - `data/bundle.zip`: an incomplete archive with a reason;
 * - `model.safetensors`: a clean model with model card facts;
 * - `notebooks/train.ipynb`: a secret in a notebook cell (cell, line, column, JSON pointer);
 * - `requirements.txt`: library components and a finding at a line and column;
 * - `README.md`: a skipped file.
 */
export function sampleReport(): ScanReport {
  return complete([
    file({ path: "README.md", size: 1200, status: "skipped", skipReason: "no analyzer recognised the content", bytesRead: 1200 }),
    file({
      path: TORCH,
      size: 102_400_000,
      bytesRead: 65_536,
      format: "pytorch",
      framework: "pytorch",
      analyzers: ["pytorch", "archive"],
      properties: { architecture: "ResNet-50", task: "image-classification", tensors: 320, parameters: 25_557_032, zipEntries: 322 },
      components: [{ type: "framework", name: "torch", version: "2.1.0", purl: "pkg:pypi/torch@2.1.0" }],
    }),
    file({
      path: TORCH,
      members: ["archive/data.pkl"],
      size: 48_213,
      format: "pickle",
      framework: "pytorch",
      analyzers: ["pickle"],
      properties: { protocol: 2, opcodes: 5_117 },
      imports: [
        { kind: "global", name: "torch._utils._rebuild_tensor_v2", safety: "safe" },
        { kind: "global", name: "webbrowser.open", safety: "dangerous" },
        { kind: "global", name: "mylib.layers.CustomHead", safety: "unknown" },
      ],
      findings: [
        finding(TORCH, ["archive/data.pkl"], {
          ruleId: "pickle/unsafe-global",
          severity: "high",
          message: "calls webbrowser.open('http://203.0.113.7/x') through REDUCE at byte 2048",
          position: { byteOffset: 2048 },
          evidence: { module: "webbrowser", name: "open", opcode: "REDUCE" },
        }),
        finding(TORCH, ["archive/data.pkl"], {
          ruleId: "pickle/unknown-global",
          severity: "low",
          message: "imports mylib.layers.CustomHead, which no policy has audited",
          position: { byteOffset: 912 },
          evidence: { module: "mylib.layers", name: "CustomHead" },
          suppression: { kind: "config", justification: "CustomHead is our own layer, reviewed in SEC-142" },
        }),
      ],
    }),
    file({
      path: "classifier.pkl",
      size: 5_310,
      format: "pickle",
      analyzers: ["pickle"],
      properties: { protocol: 4, opcodes: 212 },
      imports: [
        { kind: "global", name: "collections.OrderedDict", safety: "safe" },
        { kind: "global", name: "os.system", safety: "dangerous" },
      ],
      findings: [
        finding("classifier.pkl", [], {
          ruleId: "pickle/unsafe-global",
          message: "calls os.system('echo pwned') through REDUCE at byte 112",
          position: { byteOffset: 112 },
          evidence: { module: "os", name: "system", opcode: "REDUCE" },
          occurrences: 2,
        }),
      ],
    }),
    file({
      path: "data/bundle.zip",
      size: 7_340_032,
      bytesRead: 22_000,
      format: "zip",
      analyzers: ["archive"],
      status: "incomplete",
      incomplete: [{ analyzer: "archive", reason: "member not opened: encrypted (weights/secret.pkl)" }],
      properties: { entries: 3 },
    }),
    file({
      path: "model.safetensors",
      size: 2_097_152,
      bytesRead: 8_192,
      format: "safetensors",
      framework: "pytorch",
      analyzers: ["safetensors"],
      properties: { tensors: 2, dtypes: "F32", headerBytes: 4_088 },
    }),
    file({
      path: "notebooks/train.ipynb",
      size: 18_022,
      format: "notebook",
      analyzers: ["notebook"],
      properties: { cells: 12, kernel: "python3" },
      findings: [
        finding("notebooks/train.ipynb", [], {
          ruleId: "notebook/hardcoded-secret",
          message: "cell 3 line 4 assigns a Hugging Face token (hf_…Q2x) to HF_TOKEN",
          position: { cell: 3, line: 4, column: 12, jsonPointer: "/cells/3/source/3" },
          evidence: { kind: "huggingface-token", redacted: "hf_…Q2x" },
        }),
      ],
    }),
    file({
      path: "requirements.txt",
      size: 64,
      format: "requirements",
      analyzers: ["sbom"],
      components: [
        {
          type: "library", name: "torch", version: "1.13.0", purl: "pkg:pypi/torch@1.13.0", declaredAt: { line: 1 }, via: "requirements",
          advisories: [{ id: "GHSA-53q9-r3pm-6pq6", aliases: ["CVE-2025-32434"], fixed: ["2.6.0"] }],
        },
        { type: "library", name: "numpy", version: "1.26.4", purl: "pkg:pypi/numpy@1.26.4", declaredAt: { line: 2 }, via: "requirements" },
        { type: "library", name: "transformers", version: ">=4.38", declaredAt: { line: 3 }, via: "requirements" },
      ],
      findings: [
        finding("requirements.txt", [], {
          ruleId: "sbom/vulnerable-requirement",
          message: "torch==1.13.0 is affected by GHSA-53q9-r3pm-6pq6 (torch.load with weights_only=True runs code); fixed in 2.6.0",
          position: { line: 1, column: 1 },
          evidence: { package: "torch", version: "1.13.0", advisory: "GHSA-53q9-r3pm-6pq6" },
        }),
      ],
    }),
  ]);
}

/** {@link sampleReport} with a second target (a Hugging Face repo) holding a copy of `classifier.pkl`. */
export function twoTargetSampleReport(): ScanReport {
  const report = sampleReport();
  const hf = "hf://acme/resnet@0123456789abcdef0123456789abcdef01234567";
  report.targets.push({ uri: hf, input: "hf://acme/resnet", source: "hf", revision: "0123456789abcdef0123456789abcdef01234567" });
  const copy = structuredClone(report.files.find((f) => f.path === "classifier.pkl")!);
  copy.target = hf;
  for (const f of copy.findings) f.location.target = hf;
  report.files.push(copy);
  return report;
}
