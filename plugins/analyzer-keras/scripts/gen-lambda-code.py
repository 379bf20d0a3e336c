"""Writes the marshalled Lambda code fixtures of src/fixtures/lambda-code.json and, beside
them, CPython's own account of what each uses (src/fixtures/lambda-code-uses.json, the
oracle the marshal reader is tested against for every version).

Each source is COMPILED only (never executed) and the code object of its lambda is
marshalled and base64-encoded as Keras' func_dump stores it. Run once per Python
version (3.8-3.13, e.g. pyenv interpreters); each run merges its entry into the files:
    for v in 3.8 3.9 3.10 3.11 3.12 3.13; do pyenv exec python$v scripts/gen-lambda-code.py; done
"""
import json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from code_uses_oracle import describe  # noqa: E402

SOURCES = {
    "benign": "lambda x: x * 2.0 + 1.0",
    "benign_math": "lambda t: (t - t.mean()) / (t.std() + 1e-6)",
    "os_system": "lambda x: __import__('os').system('echo modelward-fixture') or x",
    "subprocess": "lambda x: [__import__('subprocess').Popen(['echo', 'modelward-fixture']), x][1]",
    "eval_exec": "lambda x: eval(\"x\") if exec(\"y = 1\") is None else x",
    "open_file": "lambda x: open('/tmp/modelward-fixture.txt', 'w').write('echo') and x",
    "socket": "lambda x: __import__('socket').create_connection(('127.0.0.1', 9)) and x",
    "nested": "lambda x: (lambda y: __import__('os').system('echo nested'))(x)",
    # Benign, but with every kind of constant a lambda can carry, and locals named like builtins.
    "constants": "lambda x, open=None, *system, eval=2: (x, open, system, eval, 12345678901234567890123456789012345678901, -7, 2.5, 1j, b'\\x00ab', ..., None, True, 'caf\\u00e9', x in frozenset({1, 'a'}), (lambda y: y * 3)(x))",
}

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "src", "fixtures")
version = "%d.%d" % sys.version_info[:2]
described = {name: describe(src) for name, src in SOURCES.items()}


def merge(path, entry):
    data = json.load(open(path)) if os.path.exists(path) else {}
    data[version] = entry
    with open(path, "w") as f:
        json.dump(dict(sorted(data.items(), key=lambda kv: tuple(map(int, kv[0].split("."))))), f, indent=1)
        f.write("\n")


merge(os.path.join(fixtures, "lambda-code.json"), {name: d["code"] for name, d in described.items()})
merge(os.path.join(fixtures, "lambda-code-uses.json"), {name: {k: v for k, v in d.items() if k != "code"} for name, d in described.items()})
print("wrote", version)
