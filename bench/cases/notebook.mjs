// Notebook and source analyzers: one 200 MB notebook of plots (issue 13: a large notebook must not blow memory),
// and a repository of 5,000 Python files parsed for runtime risks (files/s).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Ordinary ML code: imports, a safe torch.load, a model, training; every file names `load`, so every file is parsed. */
function moduleSource(i) {
  const lines = [
    `"""Module ${i}: training helpers (pickle.load and torch.load are mentioned here, not called)."""`,
    "import os",
    "import json",
    "import numpy as np",
    "import torch",
    "from torch import nn",
    "from transformers import AutoModel, AutoTokenizer",
    "",
    `class Block${i}(nn.Module):`,
    "    def __init__(self, dim: int = 256):",
    "        super().__init__()",
    "        self.proj = nn.Linear(dim, dim)",
    "        self.norm = nn.LayerNorm(dim)",
    "",
    "    def forward(self, x):",
    "        # residual connection",
    "        return x + self.proj(self.norm(x))",
    "",
    "def load_checkpoint(path: str):",
    "    state = torch.load(path, weights_only=True, map_location='cpu')",
    "    return state",
    "",
    "def load_features(path: str):",
    "    return np.load(path)",
    "",
    "def read_config(path: str) -> dict:",
    "    with open(path) as f:",
    "        return json.load(f)",
    "",
  ];
  for (let k = 0; k < 6; k++) {
    lines.push(
      `def step_${k}(model, batch, optimizer):`,
      "    optimizer.zero_grad()",
      "    loss = model(**batch).loss",
      "    loss.backward()",
      "    optimizer.step()",
      `    return {"loss": float(loss), "step": ${k}}`,
      "",
    );
  }
  // One file in 50 carries a real risk, so the rules fire too.
  if (i % 50 === 0) lines.push("import pickle", "def legacy(path):", "    with open(path, 'rb') as f:", "        return pickle.load(f)", "");
  return lines.join("\n");
}

/** A PNG-looking base64 payload of `bytes` characters (the reader skips image data without materialising it). */
function base64Payload(bytes) {
  const unit = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg";
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

export default [
  {
    name: "notebook: one 200 MB notebook of plots, code and logs",
    async create(dir) {
      const path = join(dir, "report.ipynb");
      const fd = openSync(path, "w");
      const image = base64Payload(480_000);
      const code = JSON.stringify(moduleSource(1).split("\n").map((l) => `${l}\n`));
      writeSync(fd, '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}, "cells": [\n');
      for (let i = 0; i < 400; i++) {
        const log = JSON.stringify(Array.from({ length: 40 }, (_, k) => `epoch ${i} step ${k} loss ${(1 / (k + 1)).toFixed(4)}\n`));
        writeSync(
          fd,
          `${i ? ",\n" : ""}{"cell_type": "code", "execution_count": ${i + 1}, "id": "c${i}", "metadata": {}, "source": ${code}, "outputs": [` +
            `{"output_type": "stream", "name": "stdout", "text": ${log}}, ` +
            `{"output_type": "display_data", "metadata": {}, "data": {"image/png": "${image}", "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]}`,
        );
      }
      writeSync(fd, "\n]}\n");
      closeSync(fd);
      return path;
    },
    target: { maxWallMs: 30_000, maxRssMb: 600 },
    metrics: (report) => ({ MB: Math.round(report.files[0].size / 1e6), findings: report.files[0].findings.length, skippedImageMB: Math.round((report.files[0].properties?.skippedBinaryBytes ?? 0) / 1e6) }),
  },
  {
    name: "notebook: repository of 5,000 Python files (secrets, PII, runtime risks, imports)",
    async create(dir) {
      const root = join(dir, "repo");
      for (let p = 0; p < 50; p++) {
        const d = join(root, `pkg${p}`);
        mkdirSync(d, { recursive: true });
        for (let m = 0; m < 100; m++) writeFileSync(join(d, `mod${m}.py`), moduleSource(p * 100 + m));
      }
      return root;
    },
    target: { maxRssMb: 500, minFilesPerSecond: 200 },
    metrics: (report, wallMs) => ({
      "files/s": Math.round(report.summary.files.total / (wallMs / 1000)),
      findings: report.files.reduce((n, f) => n + f.findings.length, 0),
    }),
  },
];
