"""CPython's own view of marshalled lambda code, the oracle of src/marshal-reader.test.ts.

Compiles (never runs) each Python source it is given, takes the code object of its first
lambda, and prints JSON: the base64 of marshal.dumps(code) as Keras' func_dump writes it,
and what CPython's code objects say it uses (co_names, string constants, functions and a
canonical form of every constant). Only our own source text is compiled; no marshalled
data is ever loaded.

    echo '{"name": "lambda x: x + 1"}' | /usr/bin/python3 scripts/code_uses_oracle.py
"""
import base64, json, marshal, struct, sys, types


def lambda_code(source):
    module = compile(source, "<fixture>", "eval")
    return next(c for c in module.co_consts if isinstance(c, types.CodeType))


def canonical(value):
    """The form src/marshal-reader.test.ts renders a decoded constant in."""
    if isinstance(value, types.CodeType):
        return "code:" + getattr(value, "co_qualname", value.co_name)
    if value is None or value is Ellipsis or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return "int:%d" % value
    if isinstance(value, float):
        return "float:" + struct.pack("<d", value).hex()
    if isinstance(value, complex):
        return "complex:" + struct.pack("<dd", value.real, value.imag).hex()
    if isinstance(value, str):
        return "str:" + json.dumps(value)
    if isinstance(value, bytes):
        return "bytes:" + value.hex()
    if isinstance(value, tuple):
        return "(" + ",".join(canonical(v) for v in value) + ")"
    if isinstance(value, frozenset):
        return "frozenset{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    return "other:" + type(value).__name__


def uses(code):
    names, strings, functions, consts = [], [], [], []

    def add(seq, item):
        if item not in seq:
            seq.append(item)

    def walk_const(value):
        if isinstance(value, types.CodeType):
            walk_code(value)
        elif isinstance(value, str):
            add(strings, value)
        elif isinstance(value, (tuple, frozenset)):
            for v in value:
                walk_const(v)

    def walk_code(c):
        functions.append(getattr(c, "co_qualname", c.co_name))
        for n in c.co_names:
            add(names, n)
        consts.append([canonical(v) for v in c.co_consts])
        for v in c.co_consts:
            walk_const(v)

    walk_code(code)
    return {"names": names, "strings": strings, "functions": functions, "consts": consts}


def describe(source):
    code = lambda_code(source)
    return dict(code=base64.encodebytes(marshal.dumps(code)).decode("ascii"), **uses(code))


if __name__ == "__main__":
    sources = json.load(sys.stdin)
    json.dump({"version": "%d.%d" % sys.version_info[:2], "cases": {name: describe(src) for name, src in sources.items()}}, sys.stdout)
