import { describe, expect, it } from "vitest";
import { definePlugin, type Analyzer, type ModelFile, type RuleMeta, type Source } from "@modelward/core";
import { AnalyzerTester, allFindings, incompleteReasons, memoryFile } from "@modelward/testing";
import { resolveConfig } from "../config/resolve-config.js";
import { createScanner } from "./scanner.js";
import { bytes } from "./example-plugin.fixture.js";

const rule = (id: string): RuleMeta => ({
  id,
  title: id,
  description: "test rule",
  remediation: "none",
  defaultSeverity: id.endsWith("outside") ? "high" : "medium",
  category: "integrity",
  taxonomy: { cwe: ["CWE-20"] },
  references: ["https://example.invalid/refs"],
});
const rules = { missing: "refs/missing", outside: "refs/outside", short: "refs/short" };

/** Test-only analyzer: `REFS name:minSize:must,…` records one reference per entry; `DATA…` files are claimed as data. */
const refsAnalyzer: Analyzer = {
  id: "refs",
  version: 1,
  description: "test analyzer",
  formats: ["refs"],
  rules: Object.values(rules).map(rule),
  match: (_f, head) => ["REFS", "DATA"].includes(new TextDecoder().decode(head.subarray(0, 4))),
  async analyze(file, ctx) {
    const text = new TextDecoder().decode(await file.read(0, file.size));
    if (!text.startsWith("REFS ")) return;
    for (const entry of text.slice(5).trim().split(",")) {
      const [path, minSize, must] = entry.split(":");
      ctx.recordReference({ role: "test data", path: path!, rules, ...(minSize ? { minSize } : {}), ...(must ? { mustBeAnalysed: true } : {}) });
    }
  },
};
const refsPlugin = definePlugin({ apiVersion: 1, meta: { name: "refs-plugin", version: "1.0.0", namespace: "refs" }, analyzers: { refs: refsAnalyzer } });
const tester = new AnalyzerTester({ plugins: [refsPlugin] });
const byRule = (r: Awaited<ReturnType<typeof tester.scanTree>>) => allFindings(r).map((f) => `${f.ruleId} ${f.location.path} ${f.evidence.referenced}`);

describe("scan-level check of the files an artifact opens", () => {
  it("is silent when every referenced file is there and long enough", async () => {
    const r = await tester.scanTree({ "m/model.refs": bytes("REFS data.bin:4,sub/more.bin"), "m/data.bin": bytes("DATA"), "m/sub/more.bin": bytes("DATA") });
    expect(byRule(r)).toEqual([]);
    expect(incompleteReasons(r)).toEqual([]);
  });

  it("reports a missing file and a file shorter than what is read, on the referring artifact", async () => {
    const r = await tester.scanTree({ "m/model.refs": bytes("REFS data.bin:5,gone.bin"), "m/data.bin": bytes("DATA"), "gone.bin": bytes("DATA") });
    expect(byRule(r).sort()).toEqual(["refs/missing m/model.refs m/gone.bin", "refs/short m/model.refs m/data.bin"]);
  });

  it("resolves `./` and inner `..` that stay inside the target, and leaves escapes to the analyzer", async () => {
    const r = await tester.scanTree({ "m/a/model.refs": bytes("REFS ./../b/data.bin,../../../etc/passwd"), "m/b/data.bin": bytes("DATA") });
    expect(byRule(r)).toEqual([]);
  });

  it("leaves the referrer incomplete when a file that must be analysed was not", async () => {
    const r = await tester.scanTree({ "model.refs": bytes("REFS text.bin::must"), "text.bin": bytes("plain text") });
    expect(incompleteReasons(r).join("\n")).toMatch(/"text.bin" \(test data\) was not analysed/);
  });

  describe("symlinks (a local folder target)", () => {
    // A file source stand-in: the target is file:///models/ (nothing on disk), files carry linkedTo as the file source sets it.
    const scanLinked = async (root: string, files: { path: string; text: string; linkedTo?: string }[]) => {
      const source: Source = {
        id: "linked",
        description: "test",
        schemes: ["linked://"],
        async open(target) {
          return {
            description: { uri: `file://${root}`, input: target, source: "linked" },
            async *files(): AsyncGenerator<ModelFile> {
              for (const f of files) yield Object.assign(memoryFile(f.path, bytes(f.text)), f.linkedTo ? { linkedTo: f.linkedTo } : {});
            },
            close: async () => {},
          };
        },
      };
      const plugin = definePlugin({ apiVersion: 1, meta: { name: "linked-source", version: "1.0.0", namespace: "linked" }, sources: { linked: source } });
      const config = await resolveConfig([{ config: { plugins: [plugin, refsPlugin], reporters: [] }, file: "<test>", baseDir: process.cwd() }]);
      return createScanner(config, "0.0.0-test").scan(["linked://x"]);
    };

    it("reports a referenced symlink whose real path leaves the model's folder, not one that stays inside", async () => {
      const r = await scanLinked("/nonexistent-mw/models/", [
        { path: "m/model.refs", text: "REFS data.bin,ok.bin" },
        { path: "m/data.bin", text: "DATA", linkedTo: "/etc/secret.bin" },
        { path: "m/ok.bin", text: "DATA", linkedTo: "/nonexistent-mw/models/m/inner/ok.bin" },
      ]);
      expect(byRule(r)).toEqual(["refs/outside m/model.refs m/data.bin"]);
      expect(allFindings(r)[0]).toMatchObject({ severity: "high", evidence: { linkedTo: "/etc/secret.bin" } });
    });

    it("accepts a Hugging Face cache snapshot linking to its blobs", async () => {
      const blob = `/nonexistent-mw/hub/models--org--m/blobs/${"a".repeat(64)}`;
      const r = await scanLinked("/nonexistent-mw/hub/models--org--m/snapshots/0123/", [
        { path: "model.refs", text: "REFS data.bin" },
        { path: "data.bin", text: "DATA", linkedTo: blob },
      ]);
      expect(byRule(r)).toEqual([]);
    });
  });

  it("takes a tree of one file for a folder (only a file target has no siblings)", async () => {
    const r = await tester.scanTree({ "model.refs": bytes("REFS data.bin") });
    expect(byRule(r)).toEqual(["refs/missing model.refs data.bin"]);
    // The same file as a target of its own: nothing listed beside it, nothing judged.
    expect(byRule(await tester.scan("model.refs", bytes("REFS data.bin")))).toEqual([]);
  });
});
