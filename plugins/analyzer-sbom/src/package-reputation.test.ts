import defaultRuleset from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { osaDistance } from "./edit-distance.js";
import plugin from "./index.js";
import { imitated, mergeReputation } from "./package-reputation.js";
import { utf8 } from "./test-fixtures.js";

const policies = (defaultRuleset.policies as Record<string, unknown>).sbom;
const { reputation, problems } = mergeReputation([policies]);

describe("edit distance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(osaDistance("tqdm", "tdqm")).toBe(1);
    expect(osaDistance("requests", "reqeusts")).toBe(1);
    expect(osaDistance("torch", "torch")).toBe(0);
    expect(osaDistance("pandas", "pandsa")).toBe(1);
    expect(osaDistance("numpy", "nunpy")).toBe(1);
    expect(osaDistance("transformers", "transfromers")).toBe(1);
    expect(osaDistance("abc", "xyzuvw", 2)).toBe(3);
  });
});

describe("typosquat judgement", () => {
  it("loads the shipped lists without problems", () => {
    expect(problems).toEqual([]);
    expect(reputation.popular.has("torch")).toBe(true);
    expect(reputation.malicious.has("torchtriton")).toBe(true);
  });

  it("names the package a typo imitates", () => {
    expect(imitated("transfromers", reputation)).toBe("transformers");
    expect(imitated("scikitlearn", reputation)).toBe("scikit-learn");
    expect(imitated("tdqm", reputation)).toBe("tqdm");
    expect(imitated("pandsa", reputation)).toBe("pandas");
    expect(imitated("tensorflwo", reputation)).toBe("tensorflow");
    expect(imitated("python3-dateutil", reputation)).toBeUndefined(); // a known malicious package: its own finding
  });

  it("leaves the real packages and their real neighbours alone", () => {
    for (const real of ["torch", "torchx", "torchvision", "scapy", "dataset", "keras-nlp", "tensorflow-cpu", "numba", "pyaml", "jax", "jaxlib", "Scikit_Learn", "opencv-python-headless"]) {
      expect(imitated(real, reputation), real).toBeUndefined();
    }
  });
});

const tester = new AnalyzerTester({ plugins: [plugin], rulesets: [defaultRuleset] });

tester.run("sbom reputation", {
  valid: [{ name: "dill alone, without model loading", path: "requirements.txt", bytes: utf8("dill==0.3.9\nrequests==2.32.3\n"), below: "low" }],
  invalid: [
    {
      name: "known malicious package (torchtriton)",
      path: "requirements.txt",
      bytes: utf8("torch==2.5.1\ntorchtriton==2.0.0\n"),
      findings: [{ ruleId: "sbom/malicious-package", severity: "critical", message: /torchtriton .*dependency-confusion/ }],
    },
    {
      name: "compromised release (ultralytics 8.3.41)",
      path: "requirements.txt",
      bytes: utf8("ultralytics==8.3.41\n"),
      findings: [{ ruleId: "sbom/malicious-package", severity: "critical", message: /ultralytics 8\.3\.41 is a known malicious release/ }],
    },
    {
      name: "typosquat of a popular ML package",
      path: "requirements.txt",
      bytes: utf8("transfromers==4.48.0\n"),
      findings: [{ ruleId: "sbom/typosquat", severity: "medium", message: /transfromers is one typo away from the popular package transformers/ }],
    },
    {
      name: "cloudpickle beside model loading",
      path: "pyproject.toml",
      bytes: utf8('[project]\nname = "x"\ndependencies = ["torch>=2.5", "cloudpickle>=3"]\n'),
      findings: [{ ruleId: "sbom/code-deserializer", severity: "low", message: /cloudpickle declared beside torch/ }],
    },
  ],
});

describe("sbom reputation: release pins", () => {
  it("a clean release of a once-compromised package is not flagged", async () => {
    const report = await tester.scan("requirements.txt", utf8("ultralytics==8.3.47\n"));
    expect(allFindings(report).filter((f) => f.ruleId === "sbom/malicious-package")).toEqual([]);
  });
});
