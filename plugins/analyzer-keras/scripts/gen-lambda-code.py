"""Writes the marshalled Lambda code fixtures of src/fixtures/lambda-code.json.

Each source is COMPILED only (never executed) and the code object of its lambda is
marshalled and base64-encoded as Keras' func_dump stores it. Run once per Python
version (3.8-3.13, e.g. pyenv interpreters); each run merges its entry into the file:
    for v in 3.8 3.9 3.10 3.11 3.12 3.13; do pyenv exec python$v scripts/gen-lambda-code.py; done
"""
import base64, json, marshal, os, sys, types

SOURCES = {
    "benign": "lambda x: x * 2.0 + 1.0",
    "benign_math": "lambda t: (t - t.mean()) / (t.std() + 1e-6)",
    "os_system": "lambda x: __import__('os').system('echo modelward-fixture') or x",
    "subprocess": "lambda x: [__import__('subprocess').Popen(['echo', 'modelward-fixture']), x][1]",
    "eval_exec": "lambda x: eval(\"x\") if exec(\"y = 1\") is None else x",
    "open_file": "lambda x: open('/tmp/modelward-fixture.txt', 'w').write('echo') and x",
    "socket": "lambda x: __import__('socket').create_connection(('127.0.0.1', 9)) and x",
    "nested": "lambda x: (lambda y: __import__('os').system('echo nested'))(x)",
}

def lambda_code(source):
    module = compile(source, "<fixture>", "eval")
    return next(c for c in module.co_consts if isinstance(c, types.CodeType))

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "src", "fixtures", "lambda-code.json")
data = json.load(open(out)) if os.path.exists(out) else {}
version = "%d.%d" % sys.version_info[:2]
data[version] = {name: base64.encodebytes(marshal.dumps(lambda_code(src))).decode("ascii") for name, src in SOURCES.items()}
with open(out, "w") as f:
    json.dump(dict(sorted(data.items(), key=lambda kv: tuple(map(int, kv[0].split("."))))), f, indent=1)
    f.write("\n")
print("wrote", version)
