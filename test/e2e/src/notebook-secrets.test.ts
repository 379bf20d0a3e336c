import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isAtLeast, type ScanReport } from "@modelward/core";
import { buildNotebook, fakeBase64Image, randomFrom } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// Fake credentials built at run time (no credential-shaped literal in the repository); none is real.
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SECRETS = {
  hf: "hf" + "_" + randomFrom(ALNUM, 34, 101),
  replicate: "r8" + "_" + randomFrom(ALNUM, 37, 102),
  openai: "sk-" + "proj-" + randomFrom(ALNUM, 60, 103),
  dbPassword: "Pg" + randomFrom(ALNUM, 14, 104) + "9",
  envPassword: "Zx" + randomFrom(ALNUM, 16, 105) + "7",
};

function writeTree(tree: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), "mw-nb-"));
  for (const [rel, data] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return root;
}

describe("notebooks and sources through the built CLI", () => {
  it("never prints a secret, in any output format, and says where each one is", async () => {
    const root = writeTree({
      "leaky.ipynb": buildNotebook({
        cells: [
          { source: `from huggingface_hub import login\nlogin(token="${SECRETS.hf}")` },
          { source: "import os\nprint(dict(os.environ))", outputs: [{ type: "stream", text: `{'REPLICATE_API_TOKEN': '${SECRETS.replicate}'}\n` }] },
          { source: "engine.connect()", outputs: [{ type: "error", ename: "OperationalError", evalue: `postgresql://ml:${SECRETS.dbPassword}@db.internal/prod`, traceback: [] }] },
        ],
      }),
      "src/train.py": `import openai\nclient = openai.OpenAI(api_key="${SECRETS.openai}")\n`,
      ".env": `DB_PASSWORD=${SECRETS.envPassword}\n`,
    });
    const out = (f: string) => join(root, f);
    const r = await runBuiltCli(["scan", ".", "-f", "json", "-o", out("r.json"), "-f", "sarif", "-o", out("r.sarif"), "-f", "cyclonedx", "-o", out("r.cdx.json"), "-f", "console", "-o", "-", "--verbose"], root);
    expect(r.code, r.stderr).toBe(1);
    const outputs = { json: readFileSync(out("r.json"), "utf8"), sarif: readFileSync(out("r.sarif"), "utf8"), cyclonedx: readFileSync(out("r.cdx.json"), "utf8"), console: r.stdout + r.stderr };
    for (const [format, text] of Object.entries(outputs)) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        expect(text.includes(secret), `${name} printed in ${format}`).toBe(false);
        expect(text.includes(secret.slice(4, 14)), `part of ${name} printed in ${format}`).toBe(false);
      }
    }
    const report = JSON.parse(outputs.json) as ScanReport;
    const findings = report.files.flatMap((f) => f.findings.map((x) => [f.path, x.ruleId, x.location.cell ?? null, x.location.line] as const));
    expect(findings).toEqual(
      expect.arrayContaining([
        ["leaky.ipynb", "notebook/secret-huggingface", 0, 2],
        ["leaky.ipynb", "notebook/secret-replicate", 1, 1],
        ["leaky.ipynb", "notebook/secret-connection-string", 2, 1],
        ["src/train.py", "notebook/secret-openai", null, 2],
        [".env", "notebook/secret-assignment", null, 1],
      ]),
    );
    // Every format carries the redacted form and hash instead.
    const hf = report.files.flatMap((f) => f.findings).find((x) => x.ruleId === "notebook/secret-huggingface")!;
    for (const text of Object.values(outputs)) expect(text).toContain(String(hf.evidence.sha256));
  });

  it("a realistic benign ML project raises nothing at medium or above", async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `${i}\t${(Math.sin(i) * 1000).toFixed(4)}\t${(i * 37.5).toFixed(2)}\t${1_000_000 + i * 7919}`).join("\n");
    const root = writeTree({
      "notebooks/train.ipynb": buildNotebook({
        cells: [
          { type: "markdown", source: "# Training\nQuestions: ml-team@example.com or see https://example.org/docs. Tokenizer pad token is `<pad>`." },
          { source: "%pip install -q transformers==4.48.0 datasets==3.2.0\nimport pandas as pd\nimport numpy as np\ndf = pd.read_csv('data/train.csv')\ndf.describe()", outputs: [{ type: "execute_result", data: { "text/plain": numbers, "text/html": `<table>${numbers.replace(/\n/g, "</td></tr><tr><td>")}</table>` } }] },
          { source: "import matplotlib.pyplot as plt\nplt.plot(df['loss'])\nplt.show()", outputs: [{ type: "display_data", data: { "image/png": fakeBase64Image(200_000), "text/plain": "<Figure size 640x480 with 1 Axes>" } }] },
          { source: "from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained('bert-base-uncased', token=os.environ.get('HF_TOKEN'))\ntok.pad_token = '[PAD]'\ncontact = 'jane.doe@example.com'", outputs: [{ type: "stream", name: "stderr", text: "Downloading tokenizer_config.json: 100%|██████████| 48.0/48.0 [00:00<00:00, 24.1kB/s]\n" }] },
          { source: "metrics = {'accuracy': 0.9213, 'f1': 0.8874, 'seed': 1234567890, 'run': 'a3f9c2e1b4d5'}\nprint(metrics)", outputs: [{ type: "stream", text: "{'accuracy': 0.9213, 'f1': 0.8874, 'seed': 1234567890}\n" }] },
        ],
      }),
      "src/train.py": "import os\nimport torch\nfrom transformers import Trainer, TrainingArguments\n\nHF_TOKEN = os.environ['HF_TOKEN']\nargs = TrainingArguments(output_dir='out', learning_rate=3e-5, seed=42, hub_token=HF_TOKEN)\n# contact: maintainer@example.org\n",
      "requirements.txt": "torch==2.5.1\ntransformers==4.48.0\npandas==2.2.3\n",
      "pyproject.toml": '[project]\nname = "acme-train"\nversion = "0.1.0"\ndependencies = ["torch==2.5.1", "transformers==4.48.0"]\n',
      "configs/train.yaml": "lr: 0.0003\nbatch_size: 32\nwandb_project: acme\ntokenizer_name: bert-base-uncased\n",
      ".env.example": "HF_TOKEN=<your-token>\nWANDB_API_KEY=\n",
    });
    const r = await runBuiltCli(["scan", ".", "-f", "json", "-o", "-"], root);
    const report = JSON.parse(r.stdout) as ScanReport;
    const alarming = report.files.flatMap((f) => f.findings.filter((x) => isAtLeast(x.severity, "medium")).map((x) => `${f.path}: ${x.ruleId} ${x.message}`));
    expect(alarming).toEqual([]);
    expect(report.files.filter((f) => f.status === "incomplete").map((f) => f.path)).toEqual([]);
    expect(report.files.find((f) => f.path === "notebooks/train.ipynb")?.format).toBe("notebook");
    expect(r.code, r.stderr).toBe(0);
  });
});
