import defaultRuleset from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings, buildNotebook, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";

const tester = new AnalyzerTester({ plugins: [plugin], rulesets: [defaultRuleset] });

const notebook = (...sources: string[]) => buildNotebook({ cells: sources.map((source) => ({ type: "code" as const, source })) });

describe("notebook installs and imports in the SBOM", () => {
  it("records %pip / !pip installs (flags and shell comments stripped) and ML-stack imports with their cell and line", async () => {
    const report = await tester.scan(
      "train.ipynb",
      notebook(
        "%pip install -q -U transformers==4.48.0 'torch==2.5.1'  # pin later\n!pip install --no-cache-dir accelerate==1.2.1",
        "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\nimport torch\nimport os",
      ),
    );
    const file = report.files[0]!;
    expect(file.components.map((c) => [c.name, c.version, c.via, c.declaredAt])).toEqual([
      ["transformers", "4.48.0", "notebook-install", { line: 1, cell: 0 }],
      ["torch", "2.5.1", "notebook-install", { line: 1, cell: 0 }],
      ["accelerate", "1.2.1", "notebook-install", { line: 2, cell: 0 }],
      ["numpy", undefined, "notebook-import", { line: 1, cell: 1 }],
      ["scikit-learn", undefined, "notebook-import", { line: 2, cell: 1 }],
    ]);
    expect(allFindings(report)).toEqual([]);
    expect(incompleteReasons(report)).toEqual([]);
  });

  it("applies the manifest checks to installs: vulnerable pins, extra indexes, unpinned names, at the cell and line", async () => {
    const report = await tester.scan(
      "setup.ipynb",
      notebook("print('setup')", "!pip install torch==1.13.0\n!pip install --extra-index-url https://pypi.acme.internal/simple acme-core"),
    );
    const byRule = new Map(allFindings(report).map((f) => [f.ruleId, f]));
    expect(byRule.get("sbom/vulnerable-version")).toMatchObject({ severity: "high", location: { cell: 1, line: 1 }, evidence: { package: "torch", version: "1.13.0" } });
    expect(byRule.get("sbom/extra-index-url")).toMatchObject({ location: { cell: 1, line: 2 } });
    expect(byRule.get("sbom/unpinned-requirements")?.message).toMatch(/acme-core/);
  });

  it("flags dill imported beside torch at low, and an install of a variable as unknown", async () => {
    const report = await tester.scan("nb.ipynb", notebook("import dill\nimport torch", "!pip install {pkg}"));
    expect(allFindings(report).map((f) => [f.ruleId, f.severity])).toEqual(
      expect.arrayContaining([["sbom/code-deserializer", "low"], ["sbom/malformed-manifest", "medium"]]),
    );
    expect(incompleteReasons(report).join("\n")).toMatch(/could not be read/);
  });

  it("a benign notebook (pinned installs, ordinary imports) raises nothing at medium or above", async () => {
    const report = await tester.scan("eda.ipynb", notebook("%pip install pandas==2.2.3 matplotlib==3.9.2", "import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.DataFrame({'a': [1, 2]})"));
    expect(allFindings(report).filter((f) => ["critical", "high", "medium"].includes(f.severity))).toEqual([]);
    expect(report.files[0]!.components.map((c) => c.name)).toEqual(["pandas", "matplotlib"]);
  });
});
