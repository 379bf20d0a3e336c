#!/usr/bin/python3
"""Writes rulesets/default/data/pickle-call-semantics.json: which arguments of
a callable a pickle may call are themselves called or constructed, and which
callables return something that resolves to another callable (getattr,
functools.partial). The pickle analyzer judges those arguments as calls.

Hand-audited entries (stdlib, torch, numpy, dill) are listed below with the
source line that shows the call. Cython's `__pyx_unpickle_<Class>(type,
checksum, state)` helpers (`<Class>.__new__(type)`) are found by reading the
names out of the installed extension modules' bytes: nothing is imported.
Run with Debian's python3 where python3-pandas, -sklearn, -scipy are
installed; the library versions are recorded in the output.
"""
import json
import os
import re
import sys

DIST = "/usr/lib/python3/dist-packages"
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "rulesets", "default", "data", "pickle-call-semantics.json")

def cases(path, positions):
    """An unaudited global at each called position is judged as a call; a plain builtin there is not reported."""
    out = []
    for p in positions:
        out.append({"name": f"an unaudited function as argument {p} is judged as called", "input": {"call": path, "args": {str(p): "mw_probe.payload"}}, "fires": True})
        out.append({"name": f"builtins.int as argument {p} is safe to call", "input": {"call": path, "args": {str(p): "builtins.int"}}, "fires": False})
    return out

HAND = [
    # (path, semantics, reason)
    ("torch._tensor._rebuild_from_type_v2", {"calls": [{"arg": 0, "argsFrom": 2}]},
     "torch/_tensor.py: `ret = func(*args)`: argument 0 is called with argument 2 as its arguments"),
    ("copyreg._reconstructor", {"constructs": [{"arg": 1, "argsFrom": None}]},
     "copyreg.py: `obj = base.__new__(cls, state)` then `base.__init__(obj, state)`: argument 1 (base) is constructed and initialised"),
    ("copyreg.__newobj__", {"constructs": [{"arg": 0, "argsRest": 1}]},
     "copyreg.py: `cls.__new__(cls, *args)`: argument 0 is constructed"),
    ("copyreg.__newobj_ex__", {"constructs": [{"arg": 0, "argsFrom": 1}]},
     "copyreg.py: `cls.__new__(cls, *args, **kwargs)`: argument 0 is constructed"),
    ("builtins.map", {"calls": [{"arg": 0}]},
     "map(function, *iterables) calls argument 0 on the items when iterated (list(), tuple(), a container built from it)"),
    ("builtins.filter", {"calls": [{"arg": 0}]},
     "filter(function, iterable) calls argument 0 on the items when iterated"),
    ("builtins.sorted", {"calls": [{"kwarg": "key"}]},
     "sorted(iterable, key=f) calls f on every item (keywords reach it through functools.partial or NEWOBJ_EX)"),
    ("builtins.min", {"calls": [{"kwarg": "key"}]}, "min(iterable, key=f) calls f on every item"),
    ("builtins.max", {"calls": [{"kwarg": "key"}]}, "max(iterable, key=f) calls f on every item"),
    ("functools.reduce", {"calls": [{"arg": 0}]},
     "reduce(function, iterable) calls argument 0 on the items"),
    ("_functools.reduce", {"calls": [{"arg": 0}]},
     "reduce(function, iterable) calls argument 0 on the items"),
    ("functools.partial", {"returns": {"partial": 0}},
     "partial(f, *args) calls nothing when built; calling the result calls f with the stored and the new arguments, so it is judged as f"),
    ("_functools.partial", {"returns": {"partial": 0}},
     "partial(f, *args) calls nothing when built; calling the result calls f, so it is judged as f"),
    ("builtins.getattr", {"returns": {"attribute": {"object": 0, "name": 1}}},
     "getattr(obj, 'name') on an imported class or module with a name in the file is obj.name, judged as that global; on anything else it stays a gadget"),
    ("numpy.random._pickle.__generator_ctor", {"calls": [{"arg": 1, "argsList": [0]}]},
     "numpy/random/_pickle.py: `Generator(bit_generator_ctor(bit_generator_name))`: argument 1 is called with argument 0"),
    ("numpy.random._pickle.__randomstate_ctor", {"calls": [{"arg": 1, "argsList": [0]}]},
     "numpy/random/_pickle.py: `RandomState(bit_generator_ctor(bit_generator_name))`: argument 1 is called with argument 0"),
    ("numpy.core.multiarray._reconstruct", {"constructs": [{"arg": 0, "argsFrom": None}]},
     "ndarray.__reduce__: `ndarray.__new__(subtype, shape, dtype)`: argument 0 (the array subclass) is constructed"),
    ("numpy._core.multiarray._reconstruct", {"constructs": [{"arg": 0, "argsFrom": None}]},
     "ndarray.__reduce__ (numpy 2): argument 0 (the array subclass) is constructed"),
    ("sklearn.metrics._dist_metrics.newObj", {"constructs": [{"arg": 0, "argsFrom": None}]},
     "sklearn/metrics/_dist_metrics.pyx: `def newObj(obj): return obj.__new__(obj)`: argument 0 is constructed"),
    ("dill._dill._create_array", {"calls": [{"arg": 0, "argsFrom": 1}]},
     "dill/_dill.py: `array = f(*args)`: argument 0 is called with argument 1 as its arguments"),
]

def version(name):
    for entry in os.listdir(DIST):
        m = re.match(rf"^{re.escape(name)}-([^-]+?)(?:\.egg-info|\.dist-info)$", entry)
        if m:
            return m.group(1)
    return None

PYX = re.compile(rb"__pyx_unpickle_[A-Za-z_][A-Za-z0-9_]*")

def pyx_helpers(package):
    """(module, helper name) of every Cython unpickle helper in the package's extension modules."""
    found = set()
    root = os.path.join(DIST, package)
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".so"):
                continue
            module = os.path.relpath(os.path.join(d, f.split(".")[0]), DIST).replace(os.sep, ".")
            with open(os.path.join(d, f), "rb") as fh:
                data = fh.read()
            for m in set(PYX.findall(data)):
                name = m.decode()
                # Cython's own helper strings (e.g. `__pyx_unpickle_Enum__set_state`) are not module attributes.
                if name.endswith("__set_state"):
                    continue
                found.add((module, name))
    return sorted(found)

def main():
    entries = []
    for path, sem, reason in HAND:
        positions = [c["arg"] for c in sem.get("calls", []) + sem.get("constructs", []) if "arg" in c]
        e = {"path": path, "reason": reason, **{k: v for k, v in sem.items()}}
        for k in ("calls", "constructs"):
            if k in e:
                e[k] = [{kk: vv for kk, vv in c.items() if vv is not None} for c in e[k]]
        e["cases"] = cases(path, positions)
        entries.append(e)
    libraries = {}
    for package in ("pandas", "sklearn", "scipy", "numpy", "statsmodels", "gensim", "skimage"):
        v = version(package if package != "sklearn" else "scikit_learn") or version(package)
        helpers = pyx_helpers(package)
        if not helpers:
            continue
        libraries[package] = v or "unknown"
        for module, name in helpers:
            path = f"{module}.{name}"
            entries.append({
                "path": path,
                "reason": f"Cython unpickle helper: `{name[len('__pyx_unpickle_'):]}.__new__(argument 0)` then sets the state; argument 0 is constructed",
                "constructs": [{"arg": 0}],
                "cases": cases(path, [0]),
            })
    doc = {
        "$comment": "Generated by scripts/pickle-call-semantics/generate.py; do not edit by hand. Which arguments of a callable are called or constructed when a pickle calls it, and what getattr/partial return.",
        "generatedFrom": {"python": sys.version.split()[0], **libraries},
        "callables": entries,
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"{len(entries)} entries -> {os.path.normpath(OUT)}", file=sys.stderr)

if __name__ == "__main__":
    main()
