import { definePlugin, type Analyzer, type RuleMeta } from "@modelward/core";

/** Rule of the test-only stand-in analyzers. */
export const markerRule: RuleMeta = {
  id: "example/marker",
  title: "Marker bytes",
  description: "Test rule: the artifact contains the MARK bytes.",
  remediation: "Remove the marker.",
  defaultSeverity: "high",
  category: "deserialization",
  taxonomy: { cwe: ["CWE-502"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] },
  references: ["https://example.invalid/marker"],
};

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Test-only analyzer: claims files starting with `MARK`, reports one finding
 * per `MARK` occurrence, and treats `BOX:<name>=<content>;…` as a container
 * whose members it hands to scanNested.
 */
export const markerAnalyzer: Analyzer = {
  id: "marker",
  version: 1,
  description: "test analyzer",
  formats: ["marker"],
  rules: [markerRule],
  match: (_file, head) => dec.decode(head.subarray(0, 4)) === "MARK" || dec.decode(head.subarray(0, 4)) === "BOX:",
  async analyze(file, ctx) {
    const text = dec.decode(await file.read(0, file.size));
    ctx.describe({ format: "marker", properties: { length: text.length } });
    if (text.startsWith("BOX:")) {
      for (const part of text.slice(4).split(";").filter(Boolean)) {
        const eq = part.indexOf("=");
        const [name, content] = [part.slice(0, eq), part.slice(eq + 1)];
        const bytes = enc.encode(content);
        await ctx.scanNested({ name, size: bytes.length, read: async (s, e) => bytes.slice(s, e), stream: async function* () { yield bytes; } });
      }
      return;
    }
    let at = text.indexOf("MARK");
    while (at >= 0) {
      ctx.report({ ruleId: "example/marker", message: "marker found", position: { byteOffset: at === 0 ? 0 : 4 } });
      at = text.indexOf("MARK", at + 4);
    }
    ctx.recordImport({ kind: "global", name: "example.marker", safety: "dangerous" });
  },
};

/** Test-only analyzer that throws on files starting with `BOOM`. */
export const throwingAnalyzer: Analyzer = {
  id: "thrower",
  version: 1,
  description: "throws",
  formats: [],
  rules: [],
  match: (_f, head) => dec.decode(head.subarray(0, 4)) === "BOOM" || dec.decode(head.subarray(0, 4)) === "MARK",
  async analyze(_file, _ctx) {
    throw new RangeError("index out of range");
  },
};

/** Test-only analyzer that never finishes on files starting with `HANG`. */
export const hangingAnalyzer: Analyzer = {
  id: "hanger",
  version: 1,
  description: "hangs",
  formats: [],
  rules: [],
  match: (_f, head) => dec.decode(head.subarray(0, 4)) === "HANG",
  analyze: () => new Promise(() => {}),
};

/** The stand-ins as a plugin. */
export const examplePlugin = definePlugin({
  apiVersion: 1,
  meta: { name: "example-plugin", version: "1.0.0", namespace: "example" },
  analyzers: { marker: markerAnalyzer, thrower: throwingAnalyzer, hanger: hangingAnalyzer },
});

/** UTF-8 bytes of a string. */
export const bytes = (s: string) => enc.encode(s);
