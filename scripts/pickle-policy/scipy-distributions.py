#!/usr/bin/python3
"""scipy.stats distributions, judged by the code their pickles carry (issue 8 item 3).

A scipy.stats distribution (norm_gen, the frozen rv_continuous_frozen holding one…)
pickles its instance __dict__, and rv_generic.__setstate__ runs
`exec(self._parse_arg_template, ns)` on the string found there
(scipy/stats/_distn_infrastructure.py, _attach_argparser_methods). The class is
harmless exactly when that string is one scipy itself generates; anything else is
code chosen by the file.

This script lists, from the installed scipy (Debian's python3-scipy is the
reference), every distribution class with the template each of scipy's own
instances carries, and the frozen wrappers, and writes them as allow entries
with `carriedCode` to rulesets/default/data/pickle-policy-scipy-distributions.json.
The analyzer allows such a class only when every BUILD state given to an
instance carries one of the listed strings under `_parse_arg_template`.

Run:  /usr/bin/python3 scripts/pickle-policy/scipy-distributions.py
It imports scipy only (never loads a pickle).
"""
import json
import os
import sys

import scipy
import scipy.stats as st
from scipy.stats import _distn_infrastructure as infra

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "rulesets", "default", "data", "pickle-policy-scipy-distributions.json")

templates = set()
classes = {}
for name in sorted(dir(st)):
    obj = getattr(st, name)
    if not isinstance(obj, infra.rv_generic):
        continue
    cls = type(obj)
    template = getattr(obj, "_parse_arg_template", None)
    if not isinstance(template, str):
        continue
    templates.add(template)
    classes.setdefault(cls.__module__, set()).add(cls.__qualname__)

# The base and frozen classes of the infrastructure module: instances of the bases
# (rv_continuous(name=…) subclasses written by users are their own modules) carry
# generated templates too; the frozen wrappers carry a distribution (judged itself).
for base in ("rv_continuous", "rv_discrete", "rv_histogram", "rv_sample"):
    if hasattr(infra, base):
        classes.setdefault(infra.__name__, set()).add(base)
# Templates of a distribution with user-chosen shape names are generated from the
# same format string: the ones scipy's own distributions use are listed; others are reported.
frozen = sorted(n for n in ("rv_frozen", "rv_continuous_frozen", "rv_discrete_frozen") if hasattr(infra, n))

reason = (
    "scipy.stats distribution: unpickling restores its __dict__, and rv_generic.__setstate__ runs "
    "exec(self._parse_arg_template) on the string found there (_attach_argparser_methods). Allowed only when every "
    "BUILD state given to an instance carries one of the templates scipy itself generates (listed, "
    "from the installed scipy); any other string, or a state that cannot be read whole, is code chosen by the file "
    "and reported critical"
)
entries = []
for module in sorted(classes):
    names = sorted(classes[module])
    entries.append({
        "path": module,
        "scope": "names",
        "names": names,
        "reason": reason,
        "carriedCode": {"stateKey": "_parse_arg_template", "equals": sorted(templates)},
        "cases": [
            {"name": "a distribution class", "input": {"module": module, "name": names[0]}, "fires": True},
            {"name": "an attribute chain through it", "input": {"module": module, "name": f"{names[0]}.__globals__"}, "fires": False},
        ],
    })
entries.append({
    "path": infra.__name__,
    "scope": "names",
    "names": frozen,
    "reason": "frozen scipy.stats distribution: holds args, kwds and the distribution object (which is judged by the template it carries); its own state runs no code",
    "cases": [
        {"name": "the frozen wrapper", "input": {"module": infra.__name__, "name": frozen[0]}, "fires": True},
        {"name": "the module's helpers stay denied", "input": {"module": infra.__name__, "name": "argsreduce"}, "fires": False},
    ],
})

data = {
    "generator": "scripts/pickle-policy/scipy-distributions.py",
    "versions": {"python": sys.version.split()[0], "scipy": scipy.__version__},
    "allow": entries,
}
with open(OUT, "w") as f:
    f.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {sum(len(e['names']) for e in entries)} classes, {len(templates)} templates, to {OUT}", file=sys.stderr)
