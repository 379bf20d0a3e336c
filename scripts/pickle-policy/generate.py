#!/usr/bin/python3
"""Writes rulesets/default/data/pickle-policy-generated.json: the allow entries
of the default pickle policy that name library classes, by EXACT name,
generated from the real libraries (issue 8 item 1).

Why exact names: a module-scope allow entry (`sklearn.linear_model`) also
allows everything the module re-exports (`functools.partial`,
`operator.attrgetter`, file writers, import helpers), and chained they reach
`exec`. Here every name is the one `pickle` itself writes for the object
(found by pickling the class or function by reference and reading the
GLOBAL/STACK_GLOBAL it emits), and only objects whose defining module is the
module walked are kept, never a re-export.

What is kept, per audited module tree (TREES below, each with its reason):
- classes defined in the module (their `__module__` is the module walked),
  nested classes included, unless
  * a deny entry of rulesets/default/data/pickle-policy.json matches the
    name (deny decides; a generated allow must never override it), or
  * the class or a base runs risky code when built: the Python source of
    `__new__`, `__init__`, `__setstate__`, `__reduce__`, `__reduce_ex__`,
    `__set_state__`, `__getattr__`, `append`, `extend`, `add`, `update` or
    `__setitem__` (the methods a pickle can reach while loading) mentions
    code execution, processes, files, network, imports or nested
    deserialisation (RISKY below), or
  * it derives from a class that holds an OS resource (threads, files,
    sockets, processes), or
  * it is listed in EXCLUDE_CLASSES with the reason;
  every exclusion is written to the output with why, for review;
- functions only from FUNCTIONS (hand-audited: reconstructors that build a
  value from their arguments) and from FUNCTION_TREES (modules of pure
  numerical functions, each with its reason);
- numpy/scipy ufuncs (elementwise arithmetic) under every module name a
  pickle of them names.

Run with Debian's python where python3-sklearn, -pandas, -scipy, -numpy,
-torch, -torchvision, -torchaudio, -xgboost, -statsmodels, -gensim,
-networkx, -skimage, -omegaconf, -tz, -dateutil are installed. Only the
libraries are imported, never an artifact. A library that is missing is
skipped and said so in the output. The versions are recorded in the output.
"""
import enum
import importlib
import inspect
import io
import json
import os
import pickle
import pickletools
import pkgutil
import re
import sys
import threading
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "rulesets", "default", "data")
OUT = os.path.join(DATA, "pickle-policy-generated.json")

SK = "scikit-learn class: an estimator, transformer, splitter, scorer, metric or data structure; unpickling rebuilds it with __new__ and __setstate__ of plain parameters and fitted arrays, and its constructor only stores parameters"

# (module tree, reason, excluded submodule prefixes)
TREES = [
    ("sklearn", SK, ["sklearn.datasets", "sklearn.utils._testing", "sklearn.utils.estimator_checks", "sklearn.externals", "sklearn.experimental",
                     "sklearn._build_utils", "sklearn.__check_build", "sklearn.conftest", "sklearn.utils._show_versions", "sklearn._config",
                     "sklearn.utils.parallel", "sklearn.utils.fixes", "sklearn._min_dependencies", "sklearn.utils._joblib"]),
    ("numpy", "numpy class: arrays, scalars, dtypes, masked arrays, polynomials and random generators are values rebuilt from their state",
     ["numpy.f2py", "numpy.distutils", "numpy.testing", "numpy.lib.npyio", "numpy.lib._datasource", "numpy.lib.format", "numpy.lib.utils",
      "numpy.core.memmap", "numpy.ctypeslib", "numpy.compat", "numpy.typing", "numpy._pytesttester", "numpy.conftest", "numpy.array_api",
      "numpy.core._internal", "numpy.lib._iotools"]),
    ("scipy", "scipy class: sparse matrices, interpolators and splines, spatial trees and rotations, optimisation and statistics results, filters; a value rebuilt from arrays",
     ["scipy.io", "scipy.datasets", "scipy.misc", "scipy._lib", "scipy.conftest", "scipy.weave", "scipy.stats._continuous_distns", "scipy.stats._discrete_distns",
      "scipy.stats._distn_infrastructure", "scipy.stats._multivariate", "scipy.stats._levy_stable", "scipy.stats._qmc", "scipy.stats.distributions",
      "scipy.stats._rvs_sampling", "scipy.stats._unuran", "scipy.stats.sampling", "scipy.fftpack.convolve", "scipy.sparse.linalg._dsolve._add_newdocs"]),
    ("pandas", "pandas class: frames, series, indexes, blocks, extension arrays and dtypes, time values and offsets; unpickling rebuilds data",
     ["pandas.io", "pandas.core.computation", "pandas.plotting", "pandas.util._tester", "pandas._testing", "pandas.conftest", "pandas.core.config_init",
      "pandas._config", "pandas.util._print_versions", "pandas.core.window.numba_", "pandas.core._numba", "pandas.compat", "pandas.api"]),
    ("torch", "torch class: nn modules (incl. quantized and parametrised), optimizers, schedulers, distributions, datasets of tensors, dtypes and tensor types; unpickling rebuilds parameters and state",
     ["torch.jit", "torch._dynamo", "torch._inductor", "torch.hub", "torch.utils.bottleneck", "torch.utils.collect_env", "torch.utils.data.datapipes",
      "torch.utils._config_module", "torch.distributed", "torch.package", "torch.multiprocessing", "torch.utils.cpp_extension", "torch.utils.tensorboard",
      "torch.utils.benchmark", "torch.testing", "torch.onnx", "torch.fx", "torch._functorch", "torch.cuda", "torch.backends", "torch.utils.hipify",
      "torch.utils.model_zoo", "torch.utils.data._utils", "torch.utils.data.dataloader", "torch.utils.checkpoint", "torch._export", "torch.export",
      "torch.compiler", "torch._prims", "torch._refs", "torch._decomp", "torch._subclasses", "torch.utils.jit", "torch.utils.mobile_optimizer",
      "torch.ao.ns", "torch._lazy", "torch.profiler", "torch.autograd.profiler", "torch.utils.show_pickle", "torch.serialization", "torch._classes",
      "torch._ops", "torch.utils.file_baton", "torch._logging", "torch.__config__", "torch.utils.throughput_benchmark", "torch.contrib",
      "torch.utils.data.graph", "torch.utils.data.distributed", "torch.mps", "torch._C"]),
    ("torchvision", "torchvision class: models, layers, transforms; unpickling rebuilds parameters",
     ["torchvision.datasets", "torchvision.io", "torchvision.utils", "torchvision.extension", "torchvision.prototype", "torchvision.models._api",
      "torchvision._internally_replaced_utils"]),
    ("torchaudio", "torchaudio class: models, transforms, functional layers; unpickling rebuilds parameters",
     ["torchaudio.datasets", "torchaudio.io", "torchaudio.backend", "torchaudio.utils", "torchaudio.pipelines", "torchaudio._extension",
      "torchaudio.sox_effects", "torchaudio.kaldi_io", "torchaudio._internal", "torchaudio.prototype"]),
    ("xgboost", "xgboost class: scikit-learn wrappers and the Booster (state is a model buffer)",
     ["xgboost.dask", "xgboost.spark", "xgboost.tracker", "xgboost.rabit", "xgboost.collective", "xgboost.testing", "xgboost.federated", "xgboost.libpath",
      "xgboost.callback", "xgboost.plotting"]),
    ("statsmodels", "statsmodels class: models and fitted results; unpickling rebuilds parameters and arrays",
     ["statsmodels.datasets", "statsmodels.iolib", "statsmodels.sandbox", "statsmodels.tools.testing", "statsmodels.conftest", "statsmodels.api",
      "statsmodels.tools.print_version", "statsmodels.graphics", "statsmodels.tools.sm_exceptions", "statsmodels.compat", "statsmodels.formula"]),
    ("gensim", "gensim class: word vectors, models and dictionaries; unpickling rebuilds parameters and arrays (gensim's own .save/.load side files are separate)",
     ["gensim.downloader", "gensim.test", "gensim.scripts", "gensim.utils", "gensim.corpora", "gensim.similarities", "gensim.parsing", "gensim.models.deprecated"]),
    ("networkx", "networkx class: graphs and views; unpickling rebuilds dicts of nodes and edges",
     ["networkx.readwrite", "networkx.drawing", "networkx.testing", "networkx.conftest", "networkx.utils.backends", "networkx.linalg"]),
    ("skimage", "scikit-image class: geometric transforms and fitted models; unpickling rebuilds parameter arrays",
     ["skimage.io", "skimage.data", "skimage._shared", "skimage.viewer", "skimage.conftest", "skimage.util.apply_parallel", "skimage.util.lookfor"]),
    ("omegaconf", "omegaconf class: configuration containers and nodes; unpickling rebuilds plain values (interpolations resolve only on access)",
     ["omegaconf.resolvers", "omegaconf.grammar", "omegaconf.grammar_parser", "omegaconf.grammar_visitor"]),
]

# Pure functions a pickle names as data (scorers hold their metric, FunctionTransformer its function) or calls to rebuild a value.
FUNCTION_TREES = [
    ("sklearn.metrics._classification", "scikit-learn metric: computes a score from arrays (scorers store it)"),
    ("sklearn.metrics._regression", "scikit-learn metric: computes a score from arrays (scorers store it)"),
    ("sklearn.metrics._ranking", "scikit-learn metric: computes a score from arrays (scorers store it)"),
    ("sklearn.metrics.cluster._supervised", "scikit-learn metric: computes a score from arrays (scorers store it)"),
    ("sklearn.metrics.cluster._unsupervised", "scikit-learn metric: computes a score from arrays (scorers store it)"),
    ("sklearn.metrics.pairwise", "scikit-learn pairwise kernel/distance: computes from arrays (kernels and metrics store it)"),
    ("torch.nn.functional", "torch functional layer: computes on tensors (activation functions stored as module attributes)"),
    ("torch.nn.init", "torch initialiser: fills a tensor (stored as configuration)"),
]

# numpy reductions and elementwise helpers that estimators and transformers store as data (SimpleImputer, scorers,
# FunctionTransformer, pandas aggregations): computations on arrays, no I/O. pickle names them `numpy.<name>`.
NUMPY_FUNCTIONS = ["mean", "median", "sum", "prod", "max", "min", "amax", "amin", "std", "var", "average", "percentile", "quantile", "ptp",
                   "nanmean", "nanmedian", "nansum", "nanprod", "nanmax", "nanmin", "nanstd", "nanvar", "nanpercentile", "nanquantile",
                   "argmax", "argmin", "cumsum", "cumprod", "any", "all", "around", "round_", "clip", "diff", "sort", "argsort", "unique",
                   "dot", "outer", "cross", "tensordot", "einsum", "histogram", "interp", "gradient", "convolve", "where", "nonzero",
                   "count_nonzero", "asarray", "array", "zeros", "ones", "full", "empty", "arange", "linspace", "concatenate", "stack"]

# Hand-audited reconstructors: (pickled name, reason). Each builds a value from its arguments and calls nothing it is given.
FUNCTIONS = [
    ("pandas.core.indexes.base._new_Index", "pandas Index.__reduce__: builds an Index of the class given (judged itself) from plain data"),
    ("pandas.core.internals.blocks.new_block", "pandas block reconstruction from an array and placement"),
    ("pandas.core.internals.blocks._new_block", "pandas block reconstruction from an array and placement"),
    ("pandas._libs.internals._unpickle_block", "pandas 2 block reconstruction from an array and placement"),
    ("pandas._libs.tslibs.timestamps._unpickle_timestamp", "pandas Timestamp from an int64 value, freq and tz"),
    ("pandas._libs.tslibs.timedeltas._timedelta_unpickle", "pandas Timedelta from an int64 value and unit"),
    ("pandas._libs.tslibs.nattype.__nat_unpickle", "pandas NaT singleton"),
    ("pandas._libs.missing.NA", "pandas NA singleton"),
    ("pandas._libs.sparse.IntIndex", "pandas sparse index (class)"),
    ("pandas._libs.sparse.BlockIndex", "pandas sparse index (class)"),
    ("pandas._libs.arrays.__pyx_unpickle_NDArrayBacked", "pandas NDArrayBacked Cython unpickle helper (its class argument is judged by call semantics)"),
    ("pandas.core.dtypes.dtypes.CategoricalDtypeType", "pandas categorical dtype type (class)"),
    ("pandas._libs.tslibs.offsets._make_offset", "pandas DateOffset from its class name in the offsets module (a fixed table)"),
    ("numpy.core.multiarray._reconstruct", "numpy ndarray reconstruction (ndarray.__reduce__)"),
    ("numpy.core.multiarray.scalar", "numpy scalar reconstruction from raw bytes"),
    ("numpy.core.numeric._frombuffer", "numpy protocol-5 array reconstruction from a buffer"),
    ("numpy.ma.core._mareconstruct", "numpy masked array reconstruction"),
    ("numpy.core.records.fromarrays", "numpy record array from arrays (no file)"),
    ("numpy.random._pickle.__bit_generator_ctor", "numpy BitGenerator by name from a fixed table (unknown names raise)"),
    ("numpy.random._pickle.__generator_ctor", "numpy Generator from a BitGenerator built by name from a fixed table"),
    ("numpy.random._pickle.__randomstate_ctor", "numpy RandomState from a BitGenerator built by name from a fixed table"),
    ("torch._utils._rebuild_tensor_v2", "torch tensor from a storage and sizes"),
    ("torch.per_channel_affine", "torch quantization scheme constant (per-channel quantized tensors name it)"),
    ("torch.per_tensor_symmetric", "torch quantization scheme constant"),
    ("torch.per_channel_symmetric", "torch quantization scheme constant"),
    ("torch.per_channel_affine_float_qparams", "torch quantization scheme constant (quantized embeddings)"),
    ("torch.quint4x2", "torch quantized dtype constant"),
    ("torch.quint2x4", "torch quantized dtype constant"),
    ("torch.sparse_csr", "torch layout constant"),
    ("torch.sparse_csc", "torch layout constant"),
    ("torch.sparse_bsr", "torch layout constant"),
    ("torch.sparse_bsc", "torch layout constant"),
    ("torch.complex32", "torch dtype constant"),
    ("array._array_reconstructor", "array.array reconstruction from a typecode, machine format and bytes"),
    ("copyreg._reconstructor", "protocol 0/1 object reconstruction; the classes it is given are judged by call semantics"),
    ("argparse.Namespace", "argparse.Namespace: stores keyword arguments as attributes (HF/fairseq training args)"),
    ("array.array", "array.array: a typed buffer of numbers"),
    ("pytz._p", "pytz time zone by name: pytz.timezone(zone) reads the zone from pytz's own data and refuses path separators and '..' in the name"),
    ("pytz._UTC", "pytz UTC singleton"),
    ("pytz.FixedOffset", "pytz fixed-offset zone from a number of minutes"),
    ("zoneinfo.ZoneInfo", "zoneinfo time zone (class); ZoneInfo._unpickle(key, from_cache) looks the key up in the tz database and refuses absolute and '..' paths"),
    ("zoneinfo.ZoneInfo._unpickle", "zoneinfo ZoneInfo._unpickle(key, from_cache): the tz database entry named key; absolute and '..' keys are refused (zoneinfo._common.load_tzdata / _tzpath.find_tzfile)"),
    ("dateutil.tz.tz.tzutc", "dateutil UTC zone (class)"),
    ("dateutil.tz.tz.tzoffset", "dateutil fixed-offset zone (class): a name and an offset"),
    ("dateutil.tz.tz.tzlocal", "dateutil local zone (class): reads time.timezone, no file"),
    ("sklearn.metrics._scorer._passthrough_scorer", "scikit-learn scorer that calls the estimator's own score method (search objects store it)"),
    ("dateutil.relativedelta.relativedelta", "dateutil relative date offset (class): numbers of years, months, days... (pandas DateOffset holds one)"),
    ("typing.Any", "typing.Any special form (omegaconf nodes record it as their type)"),
    ("scipy.interpolate._interpolate.interp1d._call_linear_np", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
    ("scipy.interpolate._interpolate.interp1d._call_linear", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
    ("scipy.interpolate._interpolate.interp1d._call_nearest", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
    ("scipy.interpolate._interpolate.interp1d._call_previousnext", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
    ("scipy.interpolate._interpolate.interp1d._call_spline", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
    ("scipy.interpolate._interpolate.interp1d._call_nan_spline", "interp1d method it stores as its evaluation function; referenced, not called, while loading"),
]

# Names of libraries that Debian does not ship (or ships in an older major), listed by hand from their
# source: (module, [names], reason). Only classes that hold data.
FOREIGN = [
    ("numpy.dtypes", ["BoolDType", "Int8DType", "UInt8DType", "Int16DType", "UInt16DType", "Int32DType", "UInt32DType", "Int64DType", "UInt64DType",
                      "ByteDType", "UByteDType", "ShortDType", "UShortDType", "IntDType", "UIntDType", "LongDType", "ULongDType", "LongLongDType",
                      "ULongLongDType", "Float16DType", "Float32DType", "Float64DType", "LongDoubleDType", "Complex64DType", "Complex128DType",
                      "CLongDoubleDType", "ObjectDType", "BytesDType", "StrDType", "VoidDType", "DateTime64DType", "TimeDelta64DType", "StringDType"],
     "numpy 2 dtype class (numpy/dtypes.py): a value descriptor"),
    ("lightgbm.sklearn", ["LGBMModel", "LGBMClassifier", "LGBMRegressor", "LGBMRanker"],
     "lightgbm scikit-learn wrapper (lightgbm/sklearn.py): parameters and a Booster (state is a model string)"),
]

# Classes that a source scan cannot see through (compiled) or that pass it but are risky; (name, reason).
EXCLUDE_CLASSES = {
    "dateutil.tz.tz.tzfile": "tzfile(fileobj) opens the path it is given: only tzfile(None, name) is data (allowed by hand in pickle-policy.json with that call shape)",
    "pandas.core.arrays.arrow.array.ArrowExtensionArray": "holds pyarrow objects (own deserialiser)",
    "numpy.memmap": "opens a file by name",
    "numpy.core.memmap.memmap": "opens a file by name",
    "numpy.lib.npyio.NpzFile": "opens a file and unpickles its members",
    "numpy.DataSource": "opens and downloads files",
    "scipy.stats._kde.gaussian_kde": "",  # placeholder (kept: data only); removed below
    "torch.utils.data.dataset.Subset": "",
    "torch.storage._LegacyStorage": "",
    "sklearn.preprocessing._function_transformer.FunctionTransformer": "",
}
EXCLUDE_CLASSES = {k: v for k, v in EXCLUDE_CLASSES.items() if v}

# Methods a pickle reaches while loading (construction, state, container opcodes).
LOAD_METHODS = ["__new__", "__init__", "__setstate__", "__set_state__", "__reduce__", "__reduce_ex__", "__getattr__", "__getattribute__",
                "append", "extend", "add", "update", "__setitem__", "__post_init__", "__init_subclass__"]
# Calls are matched as calls (`open(`, not a variable named `system`), whoever provides them (`utils.open(` opens
# too); only the object's own methods (`self.eval()`, a module's train/eval switch) and `re.compile(` are not.
RISKY = re.compile(
    r"(?<!self\.)(?<!re\.)\b(?:exec|eval|compile|__import__|open|system|popen|execfile|input|breakpoint)\s*\(|"
    r"\b(?:import_module|os\.system|os\.popen|Popen|os\.spawn\w*|os\.exec\w*|urlopen|urlretrieve|socket\.|subprocess|"
    r"pickle\.loads?|joblib\.load|torch\.load|np\.load|numpy\.load|read_pickle|fromfile|loadtxt|genfromtxt|memmap|"
    r"download\w*|fetch_\w+|requests\.\w+|shutil\.\w+|os\.remove|os\.unlink|rmtree|sys\.modules|globals\(\)|locals\(\)|io\.open|codecs\.open)\b"
)
OS_RESOURCE_BASES = [threading.Thread, io.IOBase]


HAND = json.load(open(os.path.join(DATA, "pickle-policy.json")))
DENY = [(e["path"], e.get("scope", "name")) for e in HAND["deny"] if e.get("scope", "name") != "attribute"]
# Names the hand-written policy already allows (with their own reason and cases) are not repeated here.
HAND_ALLOWED = {e["path"] for e in HAND["allow"] if e.get("scope", "name") == "name"}


def denied(qualified):
    """True when a deny entry matches the name from its start (module scope: a prefix on a dot boundary)."""
    for path, scope in DENY:
        if qualified == path or qualified.startswith(path + "."):
            return path
    return None


def pickled_name(obj):
    """(module, qualname) that pickle writes for obj by reference, or None."""
    try:
        data = pickle.dumps(obj, protocol=4)
    except Exception:
        return None
    strings = []
    found = None
    for op, arg, _ in pickletools.genops(data):
        if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
            found = (strings[-2], strings[-1])
        elif op.name == "GLOBAL":
            m, n = arg.split(" ", 1)
            found = (m, n)
        elif op.name in ("REDUCE", "BUILD", "NEWOBJ"):
            return None  # not pickled by reference
    return found


def risky_source(cls):
    """Why a method a pickle reaches while building cls is risky, or None."""
    for name in LOAD_METHODS:
        for klass in cls.__mro__:
            if klass is object or name not in vars(klass):
                continue
            fn = vars(klass)[name]
            fn = getattr(fn, "__func__", fn)
            try:
                src = inspect.getsource(fn)
            except (TypeError, OSError):
                break
            src = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|#[^\n]*', "", src)
            m = RISKY.search(src)
            if m:
                return f"{klass.__module__}.{klass.__qualname__}.{name} mentions `{m.group(0)}`"
            break
    return None


def walk(root, skip):
    try:
        pkg = importlib.import_module(root)
    except Exception as exc:
        print(f"skip {root}: {exc}", file=sys.stderr)
        return None, []
    mods = [pkg]
    if hasattr(pkg, "__path__"):
        for info in pkgutil.walk_packages(pkg.__path__, root + ".", onerror=lambda n: None):
            name = info.name
            if any(name == s or name.startswith(s + ".") for s in skip) or re.search(r"(^|\.)(tests?|testing|conftest|setup|_build_utils|benchmarks?|__main__)(\.|$)", name):
                continue
            try:
                mods.append(importlib.import_module(name))
            except Exception as exc:
                print(f"  cannot import {name}: {type(exc).__name__}", file=sys.stderr)
    return pkg, mods


def classes_of(mod):
    out = []
    for attr, obj in list(vars(mod).items()):
        if inspect.isclass(obj) and getattr(obj, "__module__", None) == mod.__name__:
            out.append(obj)
            for inner in vars(obj).values():
                if inspect.isclass(inner) and getattr(inner, "__module__", None) == mod.__name__ and inner.__qualname__.startswith(obj.__qualname__ + "."):
                    out.append(inner)
    return out


allow = {}  # module -> {name: reason}
excluded = []


def add(module, name, reason):
    q = f"{module}.{name}"
    if q in HAND_ALLOWED:
        return
    if denied(q):
        # A deny entry decides; an exception to it belongs in the hand-written policy, with its own cases.
        excluded.append({"path": q, "why": f"denied by {denied(q)}"})
        return
    allow.setdefault(module, {})
    allow[module].setdefault(name, reason)


def consider_class(cls, reason):
    pn = pickled_name(cls)
    if pn is None:
        return
    q = f"{pn[0]}.{pn[1]}"
    if pn[0] != cls.__module__:
        return  # pickle would name another module: not this class's own name
    why = EXCLUDE_CLASSES.get(q) or (f"denied by {denied(q)}" if denied(q) else None)
    if not why:
        for base in OS_RESOURCE_BASES:
            if issubclass(cls, base):
                why = f"holds an OS resource ({base.__module__}.{base.__qualname__})"
    if not why:
        why = risky_source(cls)
    if why:
        excluded.append({"path": q, "why": why})
        return
    add(pn[0], pn[1], reason)


def ufuncs():
    import numpy as np
    mods = ["numpy", "numpy.core._multiarray_umath", "numpy._core._multiarray_umath", "numpy.core.umath", "numpy._core.umath"]
    for name, obj in vars(np).items():
        if isinstance(obj, np.ufunc):
            for m in mods:
                add(m, name, f"numpy ufunc {name}: elementwise arithmetic on arrays, no I/O (pickled as _ufunc_reconstruct('{m}', '{name}') or by name)")
    try:
        import scipy.special._ufuncs as su
        for name, obj in vars(su).items():
            if isinstance(obj, np.ufunc):
                add("scipy.special._ufuncs", name, f"scipy special function {name}: elementwise arithmetic, no I/O")
                add("scipy.special", name, f"scipy special function {name}: elementwise arithmetic, no I/O")
    except Exception as exc:
        print(f"skip scipy ufuncs: {exc}", file=sys.stderr)


def functions():
    for modname, reason in FUNCTION_TREES:
        try:
            mod = importlib.import_module(modname)
        except Exception as exc:
            print(f"skip {modname}: {exc}", file=sys.stderr)
            continue
        for attr, obj in vars(mod).items():
            if attr.startswith("_") or not callable(obj) or inspect.isclass(obj):
                continue
            pn = pickled_name(obj)
            if pn and pn[0] == modname:
                q = f"{pn[0]}.{pn[1]}"
                if denied(q):
                    excluded.append({"path": q, "why": f"denied by {denied(q)}"})
                    continue
                add(pn[0], pn[1], reason)
    for q, reason in FUNCTIONS:
        module, _, name = q.rpartition(".")
        # A hand entry may name a class attribute (zoneinfo.ZoneInfo._unpickle): split at the importable module.
        parts = q.split(".")
        for i in range(len(parts) - 1, 0, -1):
            if importlib.util.find_spec(".".join(parts[:i])) if _spec_ok(".".join(parts[:i])) else False:
                module, name = ".".join(parts[:i]), ".".join(parts[i:])
                break
        add(module, name, reason)


def _spec_ok(name):
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:
        return False


def numpy2_aliases():
    """numpy 2 moved numpy.core to numpy._core; files written by numpy 2 name the new paths."""
    for module in list(allow):
        if module == "numpy.core" or module.startswith("numpy.core."):
            for name, reason in list(allow[module].items()):
                add("numpy._core" + module[len("numpy.core"):], name, reason + " (numpy 2 path)")


def versions():
    out = {"python": sys.version.split()[0]}
    for name in ["numpy", "scipy", "pandas", "sklearn", "torch", "torchvision", "torchaudio", "xgboost", "statsmodels", "gensim", "networkx", "skimage",
                 "omegaconf", "pytz", "dateutil"]:
        try:
            out[name] = importlib.import_module(name).__version__
        except Exception:
            out[name] = "missing"
    return out


import importlib.util  # noqa: E402

for root, reason, skip in TREES:
    pkg, mods = walk(root, skip)
    if pkg is None:
        continue
    n0 = sum(len(v) for v in allow.values())
    for mod in mods:
        for cls in classes_of(mod):
            consider_class(cls, reason)
    print(f"{root}: {sum(len(v) for v in allow.values()) - n0} classes", file=sys.stderr)
def numpy_functions():
    import numpy as np
    for name in NUMPY_FUNCTIONS:
        obj = getattr(np, name, None)
        pn = pickled_name(obj) if obj is not None else None
        if pn and pn[0] == "numpy":
            add(pn[0], pn[1], f"numpy.{name}: a computation on arrays (estimators and scorers store it as data), no I/O")


def pyx_helpers():
    """Cython `__pyx_unpickle_<Class>(type, checksum, state)` helpers: `type.__new__(type)` then the state. Call
    semantics (rulesets/default/data/pickle-call-semantics.json) say argument 0 is constructed, so the analyzer
    judges the class it receives; the helper itself builds nothing else."""
    sem = json.load(open(os.path.join(DATA, "pickle-call-semantics.json")))
    for c in sem["callables"]:
        path = c["path"]
        module, _, name = path.rpartition(".")
        if name.startswith("__pyx_unpickle_") and {"arg": 0} in c.get("constructs", []):
            add(module, name, "Cython unpickle helper: constructs its class argument (judged by the call semantics) and sets plain state")


ufuncs()
functions()
numpy_functions()
pyx_helpers()
for module, names, reason in FOREIGN:
    for name in names:
        add(module, name, reason + " (listed by hand: not installed in Debian)")
numpy2_aliases()

entries = []
for module in sorted(allow):
    names = allow[module]
    by_reason = {}
    for name in sorted(names):
        by_reason.setdefault(names[name], []).append(name)
    for reason, group in by_reason.items():
        entries.append({
            "path": module,
            "scope": "names",
            "names": group,
            "reason": reason,
            "cases": [
                {"name": "a listed name", "input": {"module": module, "name": group[0]}, "fires": True},
                {"name": "an unlisted name of the same module (re-exports and helpers are not allowed)", "input": {"module": module, "name": "mw_unlisted_name"}, "fires": False},
            ],
        })
out = {
    "generator": "scripts/pickle-policy/generate.py",
    "versions": versions(),
    "allow": entries,
    "excluded": sorted(excluded, key=lambda e: e["path"]),
}
with open(OUT, "w") as f:
    json.dump(out, f, indent=0, sort_keys=False)
    f.write("\n")
print(f"wrote {sum(len(e['names']) for e in entries)} names in {len(entries)} entries, {len(excluded)} excluded, to {OUT}", file=sys.stderr)
