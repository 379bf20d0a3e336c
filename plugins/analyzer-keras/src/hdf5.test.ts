import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findingsLike, lines, tester, worst } from "./test-support.js";

// Keras 2 HDF5 files written by h5py (scripts/gen-h5.py with /usr/bin/python3).
const h5 = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/h5/${name}`, import.meta.url)));

describe("Keras 2 .h5", () => {
  it("benign Dense models (variable-length and fixed-length config strings) are clean and described", async () => {
    for (const name of ["dense.h5", "dense-fixed-bytes.h5"]) {
      const report = await tester.scan(name, h5(name));
      expect(worst(report), lines(report)).toBeUndefined();
      expect(report.files[0]!.status, JSON.stringify(report.files[0]!.incomplete)).toBe("scanned");
      expect(report.files[0]!.format).toBe("keras");
      expect(report.files[0]!.properties.modelClass).toBe("Sequential");
      expect(report.files[0]!.properties.kerasVersion).toBe("2.13.1");
    }
  });

  it("K6: a Lambda calling os.system in model_config is critical", async () => {
    const report = await tester.scan("lambda.h5", h5("lambda-os-system.h5"));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /model_config/ }).length, lines(report)).toBe(1);
  });

  it("a lambda loss in training_config is critical", async () => {
    const report = await tester.scan("loss.h5", h5("compile-lambda-loss.h5"));
    expect(findingsLike(report, { ruleId: "keras/lambda-layer", severity: "critical", message: /training_config/ }).length, lines(report)).toBe(1);
  });

  it("an unregistered custom layer is a custom object", async () => {
    const report = await tester.scan("custom.h5", h5("custom-layer.h5"));
    expect(findingsLike(report, { ruleId: "keras/custom-object", message: "CustomLayer" }).length, lines(report)).toBe(1);
  });

  it("a pickle in an extra dataset is handed to the pickle analyzer", async () => {
    const report = await tester.scan("pickled.h5", h5("pickled-dataset.h5"));
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "high", members: ["h5:pickled_data"] }).length, lines(report)).toBeGreaterThan(0);
  });

  it("a truncated HDF5 file is a finding and incomplete, never a pass", async () => {
    const bytes = h5("lambda-os-system.h5");
    const report = await tester.scan("cut.h5", bytes.subarray(0, 3000));
    expect(findingsLike(report, { ruleId: "keras/malformed-config" }).length + findingsLike(report, { ruleId: "keras/lambda-layer" }).length, lines(report)).toBeGreaterThan(0);
    expect(report.files[0]!.status === "incomplete" || worst(report) === "critical").toBe(true);
  });
});
