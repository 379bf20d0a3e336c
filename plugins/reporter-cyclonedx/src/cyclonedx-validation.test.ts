import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { sampleReport, sampleRules } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { cyclonedxReporter } from "./reporter.js";
import { ctxOf, stressReport } from "./fixtures.test-support.js";

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

describe("CycloneDX output validity", () => {
  it("validates against the CycloneDX 1.6 JSON schema (strict validator)", async () => {
    const text = String(await cyclonedxReporter.render(sampleReport(), ctxOf()));
    expect(await validator.validate(text)).toBeNull();
  });

  it("validates for several targets, an orphan member, a duplicated file and unknown rules", async () => {
    const rules = sampleRules();
    rules.delete("pickle/unsafe-global");
    const text = String(await cyclonedxReporter.render(stressReport(), ctxOf(rules)));
    expect(await validator.validate(text)).toBeNull();
  });

  it("validates a report without files or findings", async () => {
    const report = sampleReport();
    report.files = [];
    const text = String(await cyclonedxReporter.render(report, ctxOf()));
    expect(await validator.validate(text)).toBeNull();
  });

  it("the validator checks the injected model cards (so a pass means something)", async () => {
    const bom = JSON.parse(String(await cyclonedxReporter.render(sampleReport(), ctxOf())));
    const model = bom.components.find((c: { type: string }) => c.type === "machine-learning-model");
    model.modelCard.modelParameters.notAField = "x";
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });

  it("the validator rejects a CWE written as text", async () => {
    const bom = JSON.parse(String(await cyclonedxReporter.render(sampleReport(), ctxOf())));
    bom.vulnerabilities[0].cwes = ["CWE-502"];
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });
});
