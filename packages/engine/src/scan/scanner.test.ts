import { describe, expect, it } from "vitest";
import { AnalyzerTester, allFindings, incompleteReasons } from "@modelward/testing";
import { definePlugin } from "@modelward/core";
import { bytes, examplePlugin, markerAnalyzer, markerRule } from "./example-plugin.fixture.js";

const tester = (over: Partial<ConstructorParameters<typeof AnalyzerTester>[0]> = {}) =>
  new AnalyzerTester({ plugins: [examplePlugin], ...over });

describe("dispatch", () => {
  it("runs the analyzers whose match accepts the content, whatever the extension", async () => {
    const report = await tester().scan("weights.txt", bytes("MARK here"));
    const file = report.files[0]!;
    expect(file.analyzers).toContain("marker");
    expect(file.format).toBe("marker");
    expect(file.findings.map((f) => f.ruleId)).toEqual(["example/marker"]);
    expect(file.imports).toEqual([{ kind: "global", name: "example.marker", safety: "dangerous" }]);
    expect(file.verdict).toBe("alert");
  });

  it("lists a file no analyzer claims as skipped, with the reason", async () => {
    const report = await tester().scan("notes.md", bytes("hello"));
    const file = report.files[0]!;
    expect(file.status).toBe("skipped");
    expect(file.skipReason).toMatch(/no analyzer recognises this content \(starts with 68 65 6c 6c 6f, extension \.md\)/);
    expect(report.summary.files.skipped).toBe(1);
  });

  it("reports an unclaimed file that looks like a model as not analysed (incomplete), never as skipped text", async () => {
    const gguf = Uint8Array.from([...bytes("GGUF"), 3, 0, 0, 0, 0, 0, 0, 0]);
    const report = await tester().scanTree({ "m.safetensors": bytes("{}"), "weights.bin": gguf, "README.md": bytes("# hi"), "model.onnx": bytes("\x08\x07") });
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    expect(byPath["weights.bin"]!.incomplete).toEqual([{ reason: "not analysed: gguf (magic bytes) is not supported by the loaded analyzers" }]);
    expect(byPath["m.safetensors"]!.incomplete).toEqual([{ reason: "not analysed: safetensors (extension .safetensors) is not supported by the loaded analyzers" }]);
    expect(byPath["model.onnx"]!.status).toBe("incomplete");
    expect(byPath["README.md"]!.status).toBe("skipped");
    expect(report.summary).toMatchObject({ failed: true, files: { incomplete: 3, skipped: 1 } });
  });

  it("says which disabled analyzer would have read an unclaimed file", async () => {
    const report = await tester({ disabledAnalyzers: ["marker", "thrower"] }).scan("plain.txt", bytes("MARK"));
    expect(report.files[0]!.status).toBe("incomplete");
    expect(report.files[0]!.incomplete).toEqual([{ reason: "not analysed: the marker analyzer that reads this file is disabled" }]);
  });

  it("keeps other analyzers' findings when one throws, and marks the file incomplete", async () => {
    const report = await tester().scan("a.bin", bytes("MARK"));
    const file = report.files[0]!;
    expect(file.findings).toHaveLength(1);
    expect(file.status).toBe("incomplete");
    expect(file.incomplete).toEqual([{ analyzer: "thrower", reason: "threw: RangeError: index out of range" }]);
    expect(report.summary.failed).toBe(true);
  });

  it("turns a hanging analyzer into an incomplete entry after the time limit", async () => {
    const report = await tester({ limits: { analyzerTimeoutMs: 50 } }).scan("h.bin", bytes("HANG"));
    expect(incompleteReasons(report)).toEqual(["h.bin: hanger: timed out after 50 ms"]);
    expect(report.files[0]!.verdict).toBe("warning");
  });
});

describe("nesting", () => {
  it("records the container chain and rolls the verdict up to the container", async () => {
    const report = await tester().scan("outer.box", bytes("BOX:inner.box=BOX:deep.pkl=MARK!;"));
    const paths = report.files.map((f) => [f.path, ...f.members].join(" ▸ "));
    expect(paths).toEqual(["outer.box", "outer.box ▸ inner.box", "outer.box ▸ inner.box ▸ deep.pkl"]);
    const deep = report.files[2]!;
    expect(deep.findings[0]!.location).toMatchObject({ path: "outer.box", members: ["inner.box", "deep.pkl"] });
    expect(report.files[0]!.verdict).toBe("alert");
    expect(report.files[0]!.highestSeverity).toBe("high");
  });

  it("refuses to go deeper than maxDepth, and says so", async () => {
    const report = await tester({ limits: { maxDepth: 1 } }).scan("outer.box", bytes("BOX:inner.box=BOX:deep.pkl=MARK!;"));
    expect(incompleteReasons(report)).toEqual([
      'outer.box ▸ inner.box: marker: member "deep.pkl" not analyzed: nesting deeper than maxDepth 1',
    ]);
    expect(report.summary.failed).toBe(true);
  });

  it("stops at maxMembersPerContainer and reports the rest as not analyzed", async () => {
    const report = await tester({ limits: { maxMembersPerContainer: 2 } }).scan("o.box", bytes("BOX:a=x;b=y;c=z;d=w"));
    expect(report.files.filter((f) => f.members.length === 1)).toHaveLength(2);
    expect(incompleteReasons(report)[0]).toMatch(/more than 2 members/);
  });
});

describe("findings", () => {
  it("folds identical findings and counts occurrences", async () => {
    const report = await tester().scan("m.bin", bytes("MARK MARK MARK"));
    const f = allFindings(report);
    expect(f.map((x) => x.location.byteOffset)).toEqual([0, 4]);
    expect(f.find((x) => x.location.byteOffset === 4)!.occurrences).toBe(2);
  });

  it("gives stable fingerprints across runs that change with the content's place", async () => {
    const a = allFindings(await tester().scan("m.bin", bytes("MARK")))[0]!;
    const b = allFindings(await tester().scan("m.bin", bytes("MARK")))[0]!;
    const c = allFindings(await tester().scan("n.bin", bytes("MARK")))[0]!;
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it("copies rule metadata onto findings", async () => {
    const f = allFindings(await tester().scan("m.bin", bytes("MARK")))[0]!;
    expect(f).toMatchObject({ severity: "high", category: "deserialization", confidence: "medium" });
    expect(f.taxonomy).toEqual({ cwe: ["CWE-502"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] });
  });
});

describe("expansion budget", () => {
  // Takes 60 bytes of the shared budget on every artifact and reports when refused.
  const taker = definePlugin({
    apiVersion: 1,
    meta: { name: "taker", version: "1.0.0", namespace: "example" },
    analyzers: {
      marker: {
        ...markerAnalyzer,
        async analyze(file, ctx) {
          if (!ctx.expansion.take(60)) ctx.report({ ruleId: markerRule.id, message: `refused with ${ctx.expansion.remaining} left` });
          await markerAnalyzer.analyze(file, { ...ctx, report: () => {} });
        },
      },
    },
  });

  it("is shared by everything nested in one top-level file, and fresh for the next file", async () => {
    const t = new AnalyzerTester({ plugins: [taker], limits: { maxExpandedBytes: 100 } });
    const report = await t.scanTree({ "a.box": bytes("BOX:x=MARK;y=MARK"), "b.box": bytes("MARK") });
    const refused = allFindings(report).map((f) => [f.location.path, ...f.location.members].join(" ▸ ") + ": " + f.message);
    expect(refused).toEqual(["a.box ▸ x: refused with 40 left", "a.box ▸ y: refused with 40 left"]);
  });
});

describe("bytes read", () => {
  it("counts what is fetched from the source, not re-reads of the sniffed head", async () => {
    const report = await tester().scan("m.bin", bytes("MARK and some padding"));
    // The marker analyzer reads the whole 21-byte file again; the engine serves it from the head it kept.
    expect(report.files[0]!.bytesRead).toBe(21);
    expect(report.summary.bytesRead).toBe(report.summary.bytesTotal);
  });
});

describe("maxFiles", () => {
  it("counts archive members too, so entries spread over nested containers are bounded", async () => {
    // Artifacts are admitted in the order the scan meets them (listing and dispatch interleave).
    const report = await tester({ limits: { maxFiles: 4, concurrency: 1 } }).scanTree({ "a.box": bytes("BOX:x=1;y=2;z=3"), "b.box": bytes("BOX:q=4") });
    const analysed = report.files.filter((f) => f.analyzers.length > 0 || f.status === "skipped");
    expect(analysed.length).toBe(4);
    expect(incompleteReasons(report).some((r) => /the scan passed maxFiles/.test(r))).toBe(true);
    expect(report.summary.failed).toBe(true);
    const nested = await tester({ limits: { maxFiles: 2 } }).scan("a.box", bytes("BOX:x=1;y=2;z=3"));
    expect(incompleteReasons(nested)).toEqual(['a.box: marker: members not analyzed: the scan passed maxFiles (2 files and members), from "y" (2 members)']);
    const budget = allFindings(nested).filter((f) => f.ruleId === "engine/budget-exceeded");
    expect(budget).toHaveLength(1);
    expect(budget[0]).toMatchObject({ severity: "high", location: { path: "a.box", members: [] }, evidence: { budget: "maxFiles", limit: 2, firstMember: "y" } });
  });

  it("counts the files past the limit in one high finding and one incomplete entry, model-looking names first", async () => {
    const tree: Record<string, Uint8Array> = {};
    for (let i = 0; i < 30; i++) tree[`a${String(i).padStart(2, "0")}.txt`] = bytes("plain");
    tree["zz-last.pkl"] = bytes("MARK");
    const report = await tester({ limits: { maxFiles: 5 } }).scanTree(tree);
    // Five files analysed, the 26 others only counted: no entry per file left.
    expect(report.files).toHaveLength(6);
    const root = report.files.find((f) => f.path === "")!;
    expect(root.status).toBe("incomplete");
    expect(root.incomplete).toHaveLength(1);
    expect(root.incomplete[0]!.reason).toMatch(/^26 files not analysed: the scan passed maxFiles \(5 files and members\), 1 of them named like model files: "zz-last\.pkl", "a05\.txt", .* and 6 more$/);
    expect(root.findings).toHaveLength(1);
    expect(root.findings[0]).toMatchObject({
      ruleId: "engine/budget-exceeded",
      severity: "high",
      evidence: { budget: "maxFiles", limit: 5, notAnalysed: 26, namedLikeModels: 1 },
    });
    expect(String(root.findings[0]!.evidence.first).split("\n")).toHaveLength(20);
    expect(report.summary).toMatchObject({ failed: true, verdict: "alert", highestSeverity: "high" });
  });

  it("adds nothing under the limit", async () => {
    const report = await tester({ limits: { maxFiles: 5 } }).scanTree({ "a.txt": bytes("plain"), "b.txt": bytes("MARK") });
    expect(report.files.map((f) => f.path)).toEqual(["a.txt", "b.txt"]);
    expect(allFindings(report).some((f) => f.ruleId === "engine/budget-exceeded")).toBe(false);
  });
});
