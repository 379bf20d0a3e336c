import { isCategory, isRuleId, isSeverity } from "@modelward/core";
import { buildGraphDef, buildKerasMetadata, buildSavedModel, memoryFile, recordingContext, tfStringConst, benignTfNodes } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin, { ALL_RULES } from "./index.js";
import { looksLikeGraphDef, looksLikeSavedModel } from "./protobuf-sniff.js";
import { tensorflowAnalyzer } from "./tensorflow-analyzer.js";

describe("plugin", () => {
  it("has the package's identity and the tensorflow namespace", () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "tensorflow" });
  });
  it("declares every rule with metadata, taxonomy and references", () => {
    for (const r of ALL_RULES) {
      expect(isRuleId(r.id) && r.id.startsWith("tensorflow/"), r.id).toBe(true);
      expect(r.title && r.description && r.remediation, r.id).toBeTruthy();
      expect(isSeverity(r.defaultSeverity) && isCategory(r.category), r.id).toBe(true);
      expect(r.taxonomy.cwe?.length && r.taxonomy.atlas?.length, r.id).toBeTruthy();
      expect(r.references.every((u) => u.startsWith("https://")), r.id).toBe(true);
    }
  });
});

describe("content sniffing", () => {
  it("tells SavedModel and GraphDef heads apart, and refuses ONNX-like and text heads", () => {
    expect(looksLikeSavedModel(buildSavedModel())).toBe(true);
    expect(looksLikeGraphDef(buildSavedModel())).toBe(false);
    expect(looksLikeGraphDef(buildGraphDef())).toBe(true);
    expect(looksLikeSavedModel(buildGraphDef())).toBe(false);
    const onnxLike = new Uint8Array([0x08, 0x07, 0x12, 0x07, ...new TextEncoder().encode("pytorch")]);
    expect(looksLikeSavedModel(onnxLike) || looksLikeGraphDef(onnxLike)).toBe(false);
    expect(looksLikeGraphDef(new TextEncoder().encode("{\"a\": 1}"))).toBe(false);
  });
});

describe("robustness: never throws, whatever the bytes", () => {
  it("survives truncations and byte flips of SavedModels, GraphDefs and Keras metadata", async () => {
    const writer = [...benignTfNodes(), tfStringConst("p", "/tmp/x"), { name: "w", op: "WriteFile", input: ["p", "p"] }];
    const seeds: [string, Uint8Array][] = [["saved_model.pb", buildSavedModel(writer)], ["g.pb", buildGraphDef(writer)], ["keras_metadata.pb", buildKerasMetadata([{ class_name: "Dense", expects_training_arg: false, config: {} }])]];
    let runs = 0;
    for (const [name, seed] of seeds) {
      const variants: Uint8Array[] = [];
      for (let cut = 1; cut < seed.length; cut += Math.max(1, Math.floor(seed.length / 40))) variants.push(seed.subarray(0, cut));
      for (let at = 0; at < seed.length; at += Math.max(1, Math.floor(seed.length / 60))) {
        const v = seed.slice();
        v[at] = v[at]! ^ 0xff;
        variants.push(v);
      }
      for (const v of variants) {
        const file = memoryFile(name, v);
        if (!tensorflowAnalyzer.match(file, v.subarray(0, 4096), v.subarray(Math.max(0, v.length - 4096)))) continue;
        const { ctx } = recordingContext();
        await expect(tensorflowAnalyzer.analyze(file, ctx)).resolves.toBeUndefined();
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(100);
  });
});
