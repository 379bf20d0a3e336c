import defaultRuleset from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";
import { utf8 } from "./test-fixtures.js";

const tester = new AnalyzerTester({ plugins: [plugin], rulesets: [defaultRuleset] });

describe(".py imports in the SBOM", () => {
  it("records the ML-stack distributions a .py file imports, with their line, not docstrings or the project's own modules", async () => {
    const src = ['"""Train.', "", "import pickle  (in a docstring, not an import)", '"""', "import numpy as np", "from sklearn.ensemble import RandomForestClassifier", "import cv2, PIL.Image", "from . import utils", "import mypackage.models", "    import yaml"].join("\n");
    const report = await tester.scan("src/train.py", utf8(src));
    const file = report.files[0]!;
    expect(file.components.map((c) => [c.name, c.purl, c.via, c.declaredAt])).toEqual([
      ["numpy", "pkg:pypi/numpy", "python-import", { line: 5 }],
      ["scikit-learn", "pkg:pypi/scikit-learn", "python-import", { line: 6 }],
      ["opencv-python", "pkg:pypi/opencv-python", "python-import", { line: 7 }],
      ["pillow", "pkg:pypi/pillow", "python-import", { line: 7 }],
      ["pyyaml", "pkg:pypi/pyyaml", "python-import", { line: 10 }],
    ]);
    expect(allFindings(report)).toEqual([]);
    expect(incompleteReasons(report)).toEqual([]);
  });

  it("flags cloudpickle imported beside torch at low", async () => {
    const report = await tester.scan("serve.py", utf8("import cloudpickle\nimport torch\n"));
    expect(allFindings(report).map((f) => [f.ruleId, f.severity, f.location.line])).toEqual([["sbom/code-deserializer", "low", 1]]);
  });
});
