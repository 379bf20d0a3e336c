#!/usr/bin/python3
"""CPython as the oracle for the pickle VM (issue 8 item 7).

Reads pickle streams from stdin (each: 4-byte little-endian length, then the
bytes) and unpickles each with CPython's C `pickle.Unpickler`, whose
`find_class` returns an inert recording stub class instead of importing
anything: nothing real is imported or called. Stubs record every call made
on them. Writes one JSON line per stream:
  {"globals": [[module, name], ...], "calls": [[kind, qualname], ...], "error": "Type: message" | null}
in the order the unpickler made them, up to STOP or the first exception.

`kind` is `call` (REDUCE/OBJ/INST/NEWOBJ: the class called or its __new__,
and a planted attribute called by BUILD/APPEND), `method:<name>` (APPEND/APPENDS/
SETITEM(S)/ADDITEMS on a stub instance), `dyncall` (a stub instance called).
"""
import io
import json
import pickle
import struct
import sys

sys.setrecursionlimit(10000)


def recording_unpickler(data, rec):
    def stub(module, name):
        qual = f"{module}.{name}"

        class StubMeta(type):
            def __call__(cls, *args, **kwargs):
                rec["calls"].append(["call", qual])
                return object.__new__(cls)

        def new(cls, *args, **kwargs):
            rec["calls"].append(["call", qual])
            return object.__new__(cls)

        def method(kind):
            def m(self, *args, **kwargs):
                rec["calls"].append([kind, qual])
            return m

        def dyncall(self, *args, **kwargs):
            rec["calls"].append(["dyncall", qual])
            return None

        body = {
            # No __setstate__: BUILD updates the instance __dict__ as for a plain class, so a
            # planted `__setstate__`/`append` is what a later BUILD/APPEND calls.
            "__new__": new,
            "append": method("method:append"),
            "extend": method("method:extend"),
            "add": method("method:add"),
            "__setitem__": method("method:__setitem__"),
            "__call__": dyncall,
        }
        return StubMeta("Stub", (object,), body)

    class Recording(pickle.Unpickler):
        def find_class(self, module, name):
            rec["globals"].append([module, name])
            return stub(module, name)

        def persistent_load(self, pid):
            return None

    return Recording(io.BytesIO(data), fix_imports=False)


def main():
    inp = sys.stdin.buffer
    out = sys.stdout
    while True:
        head = inp.read(4)
        if len(head) < 4:
            break
        (n,) = struct.unpack("<I", head)
        data = inp.read(n)
        rec = {"globals": [], "calls": [], "error": None}
        try:
            recording_unpickler(data, rec).load()
        except BaseException as e:  # every failure of a hostile stream, MemoryError and RecursionError included
            if isinstance(e, KeyboardInterrupt):
                raise
            rec["error"] = f"{type(e).__name__}: {str(e)[:200]}"
        out.write(json.dumps(rec) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
