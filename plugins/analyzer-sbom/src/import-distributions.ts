import type { DeclaredDependency } from "./declared-dependency.js";

/**
 * Top-level import names of the common ML stack and the PyPI distribution
 * that provides them. Only these are recorded: an import name alone does
 * not say which distribution provides it, so guessing for the rest would
 * put wrong names in the SBOM.
 */
export const IMPORT_TO_DISTRIBUTION: Readonly<Record<string, string>> = {
  torch: "torch", torchvision: "torchvision", torchaudio: "torchaudio", tensorflow: "tensorflow", tf_keras: "tf-keras", keras: "keras",
  jax: "jax", flax: "flax", transformers: "transformers", tokenizers: "tokenizers", safetensors: "safetensors", huggingface_hub: "huggingface-hub",
  datasets: "datasets", accelerate: "accelerate", diffusers: "diffusers", peft: "peft", trl: "trl", bitsandbytes: "bitsandbytes",
  sentence_transformers: "sentence-transformers", timm: "timm", onnx: "onnx", onnxruntime: "onnxruntime", llama_cpp: "llama-cpp-python",
  vllm: "vllm", gradio: "gradio", streamlit: "streamlit", mlflow: "mlflow", bentoml: "bentoml", ray: "ray", langchain: "langchain",
  langchain_core: "langchain-core", langchain_community: "langchain-community", llama_index: "llama-index", openai: "openai",
  anthropic: "anthropic", tiktoken: "tiktoken", jinja2: "jinja2", PIL: "pillow", numpy: "numpy", scipy: "scipy", pandas: "pandas",
  sklearn: "scikit-learn", skimage: "scikit-image", joblib: "joblib", dill: "dill", cloudpickle: "cloudpickle", yaml: "pyyaml", h5py: "h5py",
  google_protobuf: "protobuf", cv2: "opencv-python", nltk: "nltk", spacy: "spacy", xgboost: "xgboost", lightgbm: "lightgbm", catboost: "catboost",
  dask: "dask", pyarrow: "pyarrow", polars: "polars", pytorch_lightning: "pytorch-lightning", lightning: "lightning", deepspeed: "deepspeed",
  tensorboard: "tensorboard", wandb: "wandb", matplotlib: "matplotlib", seaborn: "seaborn", plotly: "plotly", tqdm: "tqdm", requests: "requests",
  bs4: "beautifulsoup4", fastapi: "fastapi", pydantic: "pydantic", faiss: "faiss-cpu", chromadb: "chromadb", ultralytics: "ultralytics",
  sentencepiece: "sentencepiece", einops: "einops", optuna: "optuna", statsmodels: "statsmodels", networkx: "networkx", dotenv: "python-dotenv",
};

const IMPORT_LINE = /^[ \t]*(?:import[ \t]+([A-Za-z_][\w.]*(?:[ \t]*(?:as[ \t]+\w+)?[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)|from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b)/;

/**
 * Distributions a Python source imports (top-level `import x` / `from x
 * import y` statements at the start of a line), mapped through
 * {@link IMPORT_TO_DISTRIBUTION}; one entry per distribution, at its first import.
 */
export function importedDistributions(source: string, cell?: number): DeclaredDependency[] {
  const out = new Map<string, DeclaredDependency>();
  const lines = source.split(/\r\n|\n|\r/);
  let inString: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    // Skip triple-quoted blocks so docstrings that mention `import x` are not imports.
    if (inString) {
      if (text.includes(inString)) inString = undefined;
      continue;
    }
    const opener = /^[^#'"]*?([rRbBuUfF]*)("""|''')/.exec(text);
    if (opener && text.split(opener[2]!).length % 2 === 0) {
      inString = opener[2];
      continue;
    }
    const m = IMPORT_LINE.exec(text);
    if (!m) continue;
    const modules = m[1] ? m[1].split(",").map((s) => s.trim().split(/\s+/)[0]!) : [m[2]!];
    for (const mod of modules) {
      const top = mod.split(".")[0]!;
      const key = top === "google" && mod.startsWith("google.protobuf") ? "google_protobuf" : top;
      const dist = IMPORT_TO_DISTRIBUTION[key];
      if (!dist || out.has(dist)) continue;
      out.set(dist, { name: dist, extras: [], hashes: [], line: i + 1, ...(cell !== undefined ? { cell } : {}), ecosystem: "pypi" });
    }
  }
  return [...out.values()];
}
