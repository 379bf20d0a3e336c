import { AnalyzerTester, allFindings, buildNotebook, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";
import { utf8 } from "./test-fixtures.js";

const tester = new AnalyzerTester({ plugins: [plugin] });

describe("personal data and shell escapes through the analyzers", () => {
  it("reports personal data printed in a notebook output at medium, redacted, with cell and line", async () => {
    const bytes = buildNotebook({
      cells: [
        { source: "df = pd.read_csv('customers.csv')\ndf.head(2)", executionCount: 3, outputs: [{ type: "execute_result", data: { "text/plain": "   name            email                ssn\n0  Alice Martin    alice.martin@gmail.com  512-48-3379\n1  Example         someone@example.com    123-45-6789" } }] },
      ],
    });
    const report = await tester.scan("customers.ipynb", bytes);
    expect(incompleteReasons(report)).toEqual([]);
    const found = allFindings(report);
    expect(found.map((f) => [f.ruleId, f.severity, f.location.cell, f.location.line, f.evidence.output])).toEqual([
      ["notebook/pii-email", "medium", 0, 2, "text/plain"],
      ["notebook/pii-national-id", "medium", 0, 2, "text/plain"],
    ]);
    expect(JSON.stringify(found)).not.toContain("alice.martin@gmail.com");
    expect(JSON.stringify(found)).not.toContain("512-48-3379");
  });

  it("reports every hit of a flood, capped per rule by the engine and counted, never dropped in silence", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i}  user${i}@gmail.com`).join("\n");
    const report = await tester.scan("users.ipynb", buildNotebook({ cells: [{ source: "df.email", executionCount: 1, outputs: [{ type: "execute_result", data: { "text/plain": rows } }] }] }));
    const file = report.files[0]!;
    expect(file.findings.filter((f) => f.ruleId === "notebook/pii-email")).toHaveLength(100);
    expect(file.omittedFindings).toEqual({ "notebook/pii-email": 150 });
  });

  it("reports personal data in a Python source by line and column", async () => {
    const report = await tester.scan("seed.py", utf8("USERS = [\n    {'name': 'Bob', 'iban': 'DE44500105175407324931'},\n]\n"));
    expect(allFindings(report).map((f) => [f.ruleId, f.location.line, f.location.column])).toEqual([["notebook/pii-iban", 2, 30]]);
  });

  it("reports a shell escape that runs a download at high, not the same text in a string", async () => {
    const bytes = buildNotebook({
      cells: [
        { source: "!curl -fsSL https://get.tool.test/install.sh | bash\nimport tool", executionCount: 1 },
        { source: 'doc = "run !curl https://get.tool.test/install.sh | bash to install"' },
        { source: "%%bash\nwget https://x.test/setup.sh\nbash setup.sh\n", executionCount: 2 },
      ],
    });
    const found = allFindings(await tester.scan("setup.ipynb", bytes));
    expect(found.map((f) => [f.ruleId, f.severity, f.location.cell, f.location.line])).toEqual([
      ["notebook/shell-download-exec", "high", 0, 1],
      ["notebook/shell-download-exec", "high", 2, 3],
    ]);
    expect(found[0]!.message).toBe("shell escape ! pipes curl output into bash from get.tool.test in cell 0 [1], line 1");
  });

  it("reports Python runtime risks of code cells with cell, execution count and column, across cells and escapes", async () => {
    const bytes = buildNotebook({
      cells: [
        { source: "!pip install transformers\nimport torch as t\nfrom huggingface_hub import hf_hub_download", executionCount: 1 },
        { source: "Load with `torch.load(path)` — markdown, not code", type: "markdown" },
        { source: "ckpt = hf_hub_download('org/m', 'pytorch_model.bin')", executionCount: 2 },
        { source: "%%time\nstate = t.load(ckpt, weights_only=False)", executionCount: 3 },
        { source: "import os\nos.system('curl -s https://get.tool.test/x.sh | bash')", executionCount: 4 },
      ],
    });
    const report = await tester.scan("train.ipynb", bytes);
    expect(incompleteReasons(report)).toEqual([]);
    const found = allFindings(report);
    expect(found.map((f) => [f.ruleId, f.severity, f.location.cell, f.location.line, f.location.column, f.evidence.executionCount])).toEqual([
      ["notebook/torch-load-unsafe", "high", 3, 2, 9, 3],
      ["notebook/shell-download-exec", "high", 4, 2, 11, 4],
    ]);
    expect(found[0]!.message).toBe("torch.load with weights_only=False of a remote file (variable ckpt (huggingface_hub.hf_hub_download)) in cell 3 [3], line 2");
    expect(found[0]!.location.jsonPointer).toBe("/cells/3/source");
  });

  it("reports nothing at medium or above for a benign ML notebook and script", async () => {
    const code = [
      "import torch, numpy as np, pandas as pd",
      "from transformers import AutoModel, AutoTokenizer",
      "# Never do this: pickle.load(open('x.pkl', 'rb')) or torch.load(p)",
      'NOTE = "exec(requests.get(url).text) is dangerous; use weights_only=True"',
      "tok = AutoTokenizer.from_pretrained('bert-base-uncased')",
      "model = AutoModel.from_pretrained('bert-base-uncased')",
      "state = torch.load('ckpt.pt', weights_only=True, map_location='cpu')",
      "model.load_state_dict(state)",
      "emb = np.load('embeddings.npy')",
      "df = pd.read_csv('train.csv')",
      "torch.save(model.state_dict(), 'out.pt')",
    ].join("\n");
    const nb = buildNotebook({ cells: [{ source: code, executionCount: 1 }, { source: "!wget https://data.test/train.csv\n%matplotlib inline", executionCount: 2 }] });
    for (const [name, bytes] of [["benign.ipynb", nb], ["benign.py", utf8(code)]] as const) {
      const report = await tester.scan(name, bytes);
      expect(incompleteReasons(report)).toEqual([]);
      expect(allFindings(report).filter((f) => ["critical", "high", "medium"].includes(f.severity))).toEqual([]);
    }
  });

  it("reports runtime risks of a .py file by line and column, and does not parse notebooks of other kernels", async () => {
    const report = await tester.scan("load.py", utf8("import joblib\n\nclf = joblib.load('model.joblib')\n"));
    expect(allFindings(report).map((f) => [f.ruleId, f.severity, f.location.line, f.location.column])).toEqual([["notebook/pickle-load", "medium", 3, 7]]);
    const r = buildNotebook({ metadata: { kernelspec: { name: "ir", language: "R", display_name: "R" } }, cells: [{ source: "x <- readRDS('m.rds')\neval(parse(text = system('curl x', intern = TRUE)))", executionCount: 1 }] });
    const rReport = await tester.scan("analysis.ipynb", r);
    expect(allFindings(rReport)).toEqual([]);
    expect(incompleteReasons(rReport)).toEqual([]);
  });
});
