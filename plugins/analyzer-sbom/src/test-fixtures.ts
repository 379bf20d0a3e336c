/** Manifests used by the tests: written in code, harmless, each flag in its own file. */
export const utf8 = (s: string) => new TextEncoder().encode(s);

/** A realistic benign ML project: pinned, hashed-where-it-matters, one index. */
export const BENIGN_REQUIREMENTS = `# Training stack, pinned by pip-compile
torch==2.5.1
torchvision==0.20.1
transformers[torch]==4.48.0
tokenizers==0.21.0
safetensors==0.5.2
numpy==2.1.3 ; python_version >= "3.10"
pandas==2.2.3
scikit-learn==1.6.1
pyyaml==6.0.2 \\
    --hash=sha256:0a9a2848a5b7feac301353437eb7d5957887edbf81d56e903999a75a3d743086
tqdm==4.67.1
`;

export const BENIGN_PYPROJECT = `[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"

[project]
name = "acme-classifier"
version = "0.3.0"
requires-python = ">=3.10"
dependencies = [
  "torch>=2.5,<3",
  "transformers>=4.48",
  "safetensors>=0.5",
]

[project.optional-dependencies]
serve = ["fastapi>=0.115", "uvicorn[standard]>=0.34"]

[dependency-groups]
dev = ["pytest>=8.3", { include-group = "lint" }]
lint = ["ruff==0.9.4"]
`;

export const POETRY_PYPROJECT = `[tool.poetry]
name = "acme"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
torch = "2.5.1"
numpy = { version = "^2.1", extras = [] }
mylib = { git = "https://github.com/acme/mylib.git", branch = "main" }

[tool.poetry.group.dev.dependencies]
pytest = "^8.3"

[[tool.poetry.source]]
name = "internal"
url = "https://pypi.acme.internal/simple/"
priority = "supplemental"
`;

export const UV_PYPROJECT = `[project]
name = "acme"
version = "0.1.0"
dependencies = ["torch==2.5.1", "vendored"]

[tool.uv.sources]
vendored = { git = "https://github.com/acme/vendored", rev = "0123456789abcdef0123456789abcdef01234567" }

[[tool.uv.index]]
name = "pytorch-cu124"
url = "https://download.pytorch.org/whl/cu124"
explicit = true
`;
