import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { definePlugin, type ScanReport } from "@modelward/core";
import { AnalyzerTester, sampleReport, sampleRules } from "@modelward/testing";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { jsonReporter } from "./json-reporter.js";

const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../report.schema.json", import.meta.url)), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const render = async (report: ScanReport, pretty?: boolean) =>
  String(await jsonReporter.render(report, { options: pretty === undefined ? {} : { pretty }, rules: sampleRules(), color: false }));

// A plugin that exercises every part of the report: nesting, positions, imports, components, incompleteness.
const enc = new TextEncoder();
const everything = definePlugin({
  apiVersion: 1,
  meta: { name: "everything", version: "1.0.0", namespace: "every" },
  analyzers: {
    every: {
      id: "every",
      version: 1,
      description: "test",
      formats: ["every"],
      rules: [
        { id: "every/thing", title: "t", description: "d", remediation: "r", defaultSeverity: "high", category: "runtime", taxonomy: { cwe: ["CWE-94"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] }, references: [] },
      ],
      match: (f) => f.name.endsWith(".every"),
      async analyze(file, ctx) {
        ctx.describe({ format: "every", framework: "none", properties: { tensors: 3, quantized: false } });
        ctx.report({ ruleId: "every/thing", message: "at a byte", position: { byteOffset: 7 }, evidence: { module: "os", name: "system" } });
        ctx.report({ ruleId: "every/thing", severity: "low", message: "at a line", position: { line: 3, column: 2, cell: 1, jsonPointer: "/cells/1" } });
        ctx.recordImport({ kind: "global", name: "os.system", safety: "dangerous" });
        ctx.recordComponent({
          type: "library", name: "torch", version: "2.1.0", purl: "pkg:pypi/torch@2.1.0", declaredAt: { line: 4, cell: 2 }, via: "notebook-install",
          advisories: [{ id: "PYSEC-2022-43015", aliases: ["CVE-2022-45907"], fixed: ["1.13.1"] }],
        });
        if (file.depth === 0) {
          const inner = enc.encode("inner");
          await ctx.scanNested({ name: "inner/x.every", size: inner.length, read: async (s, e) => inner.slice(s, e), stream: async function* () { yield inner; } });
          ctx.incomplete("a member was encrypted");
        }
      },
    },
  },
});

describe("json reporter", () => {
  it("writes reports that validate against report.schema.json (real scan)", async () => {
    const report = await new AnalyzerTester({ plugins: [everything] }).scanTree({ "a.every": enc.encode("x"), "b.txt": enc.encode("plain") });
    const parsed = JSON.parse(await render(report));
    const ok = validate(parsed);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(parsed.files.map((f: { status: string }) => f.status)).toEqual(["incomplete", "scanned", "skipped"]);
    // The dependencies section: declared libraries with line, cell, manifest kind and advisories; none on files that declare nothing.
    expect(parsed.files[0].dependencies).toEqual([
      { name: "torch", version: "2.1.0", purl: "pkg:pypi/torch@2.1.0", line: 4, cell: 2, via: "notebook-install", advisories: [{ id: "PYSEC-2022-43015", aliases: ["CVE-2022-45907"], fixed: ["1.13.1"] }] },
    ]);
    expect(parsed.files[2].dependencies).toBeUndefined();
  });

  it("validates the sample report of the testing kit, and rejects a broken one", async () => {
    expect(validate(JSON.parse(await render(sampleReport())))).toBe(true);
    const broken = JSON.parse(await render(sampleReport()));
    broken.files[0].findings.push({ ruleId: "Not A Rule", severity: "severe" });
    expect(validate(broken)).toBe(false);
  });

  it("is deterministic and honours pretty:false", async () => {
    const report = sampleReport();
    expect(await render(report)).toBe(await render(report));
    const oneLine = await render(report, false);
    expect(oneLine.trimEnd().includes("\n")).toBe(false);
    expect(JSON.parse(oneLine)).toEqual(JSON.parse(await render(report)));
  });

  it("documents the schema version the core writes", async () => {
    const { REPORT_SCHEMA_VERSION } = await import("@modelward/core");
    expect(schema.$id).toContain(REPORT_SCHEMA_VERSION);
  });
});
