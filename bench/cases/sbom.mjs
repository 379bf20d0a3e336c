// SBOM analyzer: one large requirements file, and a repository of many manifests of every kind.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ML = ["torch", "transformers", "numpy", "pandas", "scikit-learn", "pillow", "jinja2", "mlflow", "gradio", "tensorflow", "onnx", "langchain"];
const hash = (i) => (i.toString(16).padStart(8, "0")).repeat(8);

function requirementLines(n) {
  const lines = ["# generated: pinned, hashed, some markers and ranges", "--index-url https://pypi.org/simple"];
  for (let i = 0; i < n; i++) {
    const name = i < ML.length ? ML[i] : `package-${i}`;
    if (i % 10 === 0) lines.push(`${name}>=1.${i % 7},<3 ; python_version >= "3.10"`);
    else lines.push(`${name}==1.${i % 20}.${i % 9} \\\n    --hash=sha256:${hash(i)}`);
  }
  return lines.join("\n") + "\n";
}

export default [
  {
    name: "sbom: one requirements file of 5,000 requirements",
    async create(dir) {
      const root = join(dir, "project");
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, "requirements.txt"), requirementLines(5000));
      return root;
    },
    target: { maxWallMs: 3000, maxRssMb: 300 },
    metrics: (report) => ({ components: report.files.reduce((n, f) => n + f.components.length, 0) }),
  },
  {
    name: "sbom: repository of 2,000 manifests (requirements, pyproject, poetry.lock, environment.yml)",
    async create(dir) {
      const root = join(dir, "repo");
      for (let p = 0; p < 500; p++) {
        const d = join(root, `svc${p}`);
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, "requirements.txt"), requirementLines(40));
        writeFileSync(join(d, "pyproject.toml"), `[project]\nname = "svc${p}"\nversion = "0.1.0"\ndependencies = [${ML.map((m) => `"${m}>=1.0"`).join(", ")}]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n`);
        writeFileSync(join(d, "poetry.lock"), ML.map((m, i) => `[[package]]\nname = "${m}"\nversion = "2.${i}.0"\nfiles = [{file = "${m}.whl", hash = "sha256:${hash(i)}"}]\n`).join("\n"));
        writeFileSync(join(d, "environment.yml"), `name: svc${p}\ndependencies:\n  - python=3.11\n  - numpy=2.1.3=py311_0\n  - pip\n  - pip:\n    - torch==2.5.1\n    - transformers==4.48.0\n`);
      }
      return root;
    },
    target: { maxRssMb: 400, minFilesPerSecond: 200 },
    metrics: (report, wallMs) => ({ "files/s": Math.round(report.summary.files.total / (wallMs / 1000)), components: report.files.reduce((n, f) => n + f.components.length, 0) }),
  },
];
