#!/usr/bin/python3
"""Real-world benign corpus: artifacts written by the real ML libraries.

A measuring stick for the pickle policy (issue 9 item 7), never a test input:
every file here is benign, so every finding at medium or above that
`node scripts/benign-corpus/measure.mjs DIR` reports is a false alarm.

Run with Debian's python (its ML packages are the reference):
    /usr/bin/python3 scripts/benign-corpus/generate.py [DIR=/tmp/benign-corpus] [--only sklearn,torch,...]
Packages: python3-sklearn -pandas -scipy -numpy -joblib -torch -torchvision
-torchaudio -xgboost -statsmodels -gensim -networkx -skimage -omegaconf -lz4
-tz -dateutil. A missing package skips its group (said on stderr and in
VERSIONS.txt); a single object that fails to build or save is listed in
FAILURES.txt and skipped, so one library bug never hides the rest.

Writes only under DIR. Nothing in DIR is ever loaded back by Modelward's tests.
"""
import argparse
import importlib
import io
import os
import pickle
import sys
import traceback
import warnings
import zipfile

warnings.filterwarnings("ignore")

parser = argparse.ArgumentParser()
parser.add_argument("dir", nargs="?", default="/tmp/benign-corpus")
parser.add_argument("--only", default="", help="comma-separated groups: sklearn,numpy,pandas,scipy,torch,misc,extras,hf")
parser.add_argument("--quick", action="store_true", help="sklearn: protocol 4 + joblib zlib only")
opts = parser.parse_args()
OUT = opts.dir
ONLY = set(filter(None, opts.only.split(",")))
os.makedirs(OUT, exist_ok=True)
failures = []
written = [0]


def want(group):
    return not ONLY or group in ONLY


def optional(name):
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a missing package skips its group
        print(f"skip {name}: {exc}", file=sys.stderr)
        return None


def path(*parts):
    p = os.path.join(OUT, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def guarded(label, fn, target=None):
    """Runs fn; a failure is listed, and the file it was writing (`target`) removed: a save that
    failed half-way (torch.save of a parametrized module writes a zip with only `version`) is
    not an honest artifact."""
    try:
        fn()
    except Exception as exc:
        failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
        if target is not None and os.path.exists(target):
            os.remove(target)


def save_pickles(obj, stem, protocols=(2, 3, 4, 5)):
    for p in protocols:
        target = path(f"{stem}.p{p}.pkl")
        def w(p=p, target=target):
            with open(target, "wb") as f:
                pickle.dump(obj, f, protocol=p)
            written[0] += 1
        guarded(f"{stem} pickle p{p}", w, target)


def joblib_compressors():
    comps = ["zlib", "gzip", "bz2", "xz", "lzma"]
    if optional("lz4") is not None:
        comps.append("lz4")
    return comps


def save_joblib(obj, stem, compressors=None):
    joblib = optional("joblib")
    if joblib is None:
        return
    def raw():
        joblib.dump(obj, path(f"{stem}.joblib"))
        written[0] += 1
    guarded(f"{stem} joblib", raw, path(f"{stem}.joblib"))
    for c in compressors if compressors is not None else joblib_compressors():
        def w(c=c):
            joblib.dump(obj, path(f"{stem}.{c}.joblib"), compress=(c, 3))
            written[0] += 1
        guarded(f"{stem} joblib {c}", w, path(f"{stem}.{c}.joblib"))


# ---------------------------------------------------------------- scikit-learn
def sklearn_group():
    import numpy as np
    sklearn = optional("sklearn")
    if sklearn is None:
        return
    from sklearn.utils import all_estimators
    from sklearn.datasets import make_classification, make_regression

    rng = np.random.RandomState(0)
    Xc, yc = make_classification(n_samples=40, n_features=6, n_informative=3, n_classes=3, random_state=0)
    Xc = np.abs(Xc)  # some estimators (NB, chi2) need non-negative input
    labels = np.array(["cat", "dog", "bird"])[yc]  # string labels: `<U` arrays in every classifier
    Xr, yr = make_regression(n_samples=40, n_features=6, random_state=0)
    Y2 = np.c_[yr, yr * 2]
    protocols = (4,) if opts.quick else (2, 3, 4, 5)
    compressors = ["zlib"] if opts.quick else None

    def fit(name, Est, kind):
        est = Est()
        if kind == "classifier":
            est.fit(Xc, labels)
        elif kind == "regressor":
            try:
                est.fit(Xr, yr)
            except ValueError:
                est.fit(Xr, Y2)
        elif kind == "cluster":
            est.fit(Xc)
        else:
            try:
                est.fit(Xc, yc)
            except TypeError:
                est.fit(Xc)
        return est

    for kind in ("classifier", "regressor", "cluster", "transformer"):
        for name, Est in all_estimators(type_filter=kind):
            def one(name=name, Est=Est, kind=kind):
                est = fit(name, Est, kind)
                stem = os.path.join("sklearn", kind, name)
                save_pickles(est, stem, protocols)
                save_joblib(est, stem, compressors)
            guarded(f"sklearn {kind} {name}", one)
    # estimators of no type (e.g. density, covariance, outliers) that still fit
    for name, Est in all_estimators():
        if os.path.exists(path("sklearn", "other", f"{name}.p4.pkl")):
            continue
        if any(os.path.exists(path("sklearn", k, f"{name}.p4.pkl")) for k in ("classifier", "regressor", "cluster", "transformer")):
            continue
        def other(name=name, Est=Est):
            est = fit(name, Est, "other")
            stem = os.path.join("sklearn", "other", name)
            save_pickles(est, stem, protocols)
            save_joblib(est, stem, compressors)
        guarded(f"sklearn other {name}", other)

    # compositions, searches, scorers, splitters, encoders
    from sklearn.pipeline import Pipeline, make_pipeline, FeatureUnion
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.preprocessing import StandardScaler, OneHotEncoder, LabelEncoder, FunctionTransformer, PolynomialFeatures
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.decomposition import PCA
    from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, KFold, StratifiedKFold, TimeSeriesSplit, ShuffleSplit, GroupKFold
    from sklearn.metrics import make_scorer, get_scorer, f1_score
    from sklearn.ensemble import VotingClassifier, StackingClassifier, BaggingClassifier, RandomForestClassifier
    from sklearn.neighbors import KNeighborsClassifier, KernelDensity, BallTree, KDTree, LocalOutlierFactor
    from sklearn.feature_extraction.text import TfidfVectorizer, CountVectorizer, HashingVectorizer
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.multiclass import OneVsRestClassifier
    import pandas as pd

    df = pd.DataFrame({"num": rng.rand(40), "cat": np.array(["a", "b", "c", "d"])[rng.randint(0, 4, 40)]})
    objs = {
        "pipeline_scaler_logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression()).fit(Xc, labels),
        "pipeline_pca_ridge": lambda: Pipeline([("pca", PCA(2)), ("ridge", Ridge())]).fit(Xr, yr),
        "feature_union": lambda: FeatureUnion([("pca", PCA(2)), ("poly", PolynomialFeatures(2))]).fit(Xc),
        "column_transformer_df": lambda: make_pipeline(
            ColumnTransformer([("num", StandardScaler(), ["num"]), ("cat", OneHotEncoder(handle_unknown="ignore"), ["cat"])]),
            LogisticRegression(),
        ).fit(df, labels),
        "function_transformer_numpy": lambda: FunctionTransformer(np.log1p).fit(Xc),
        "transformed_target": lambda: TransformedTargetRegressor(regressor=Ridge(), func=np.log1p, inverse_func=np.expm1).fit(Xr, np.abs(yr)),
        "grid_search": lambda: GridSearchCV(LogisticRegression(), {"C": [0.1, 1]}, cv=3).fit(Xc, labels),
        "grid_search_scorer": lambda: GridSearchCV(Ridge(), {"alpha": [0.1, 1]}, cv=KFold(3), scoring="neg_mean_squared_error").fit(Xr, yr),
        "random_search": lambda: RandomizedSearchCV(RandomForestClassifier(n_estimators=3), {"max_depth": [2, 3]}, n_iter=2, cv=StratifiedKFold(3)).fit(Xc, labels),
        "voting": lambda: VotingClassifier([("lr", LogisticRegression()), ("knn", KNeighborsClassifier())]).fit(Xc, labels),
        "stacking": lambda: StackingClassifier([("lr", LogisticRegression()), ("rf", RandomForestClassifier(n_estimators=3))]).fit(Xc, labels),
        "bagging": lambda: BaggingClassifier(n_estimators=3).fit(Xc, labels),
        "calibrated": lambda: CalibratedClassifierCV(LogisticRegression(), cv=3).fit(Xc, labels),
        "ovr": lambda: OneVsRestClassifier(LogisticRegression()).fit(Xc, labels),
        "knn_metrics": lambda: [KNeighborsClassifier(metric=m).fit(Xc, labels) for m in ("euclidean", "manhattan", "chebyshev", "minkowski", "cosine")],
        "kde": lambda: KernelDensity().fit(Xc),
        "lof_novelty": lambda: LocalOutlierFactor(novelty=True).fit(Xc),
        "balltree": lambda: BallTree(Xc),
        "kdtree": lambda: KDTree(Xc),
        "tfidf": lambda: TfidfVectorizer().fit(["the cat sat", "the dog ran", "a bird flew"]),
        "count_vec": lambda: CountVectorizer(ngram_range=(1, 2)).fit(["the cat sat", "the dog ran"]),
        "hashing_vec": lambda: HashingVectorizer(n_features=16),
        "label_encoder": lambda: LabelEncoder().fit(labels),
        "scorers": lambda: {"f1": make_scorer(f1_score, average="macro"), "acc": get_scorer("accuracy"), "r2": get_scorer("r2")},
        "splitters": lambda: [KFold(3, shuffle=True, random_state=0), StratifiedKFold(3), TimeSeriesSplit(3), ShuffleSplit(2), GroupKFold(2)],
    }
    for name, build in objs.items():
        def one(name=name, build=build):
            obj = build()
            stem = os.path.join("sklearn", "compose", name)
            save_pickles(obj, stem, protocols)
            save_joblib(obj, stem, compressors)
        guarded(f"sklearn compose {name}", one)


# ---------------------------------------------------------------- numpy
def numpy_dtypes():
    import numpy as np
    rng = np.random.RandomState(0)
    arrays = {}
    for code in ("?", "b", "B", "i2", "i4", "i8", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16", "g", "G"):
        arrays[f"num_{code}"] = (rng.rand(5) * 10).astype(code)
    for order in ("<", ">"):
        for code in ("i4", "f8", "c16", "U3", "M8[s]", "m8[ms]"):
            arrays[f"order{'le' if order == '<' else 'be'}_{code.replace('[', '_').replace(']', '')}"] = np.zeros(4, dtype=order + code)
    for unit in ("Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"):
        arrays[f"datetime64_{unit}"] = np.array(["2024-01-02", "NaT"], dtype=f"datetime64[{unit}]")
        arrays[f"timedelta64_{unit}"] = np.array([1, 2], dtype=f"timedelta64[{unit}]")
    arrays["datetime64_generic"] = np.array(["NaT"], dtype="datetime64")
    arrays["bytes_S5"] = np.array([b"ab", b"cde"], dtype="S5")
    arrays["unicode_U7"] = np.array(["cat", "dog"], dtype="U7")
    arrays["void_V8"] = np.zeros(3, dtype="V8")
    arrays["structured"] = np.zeros(3, dtype=[("a", "<i4"), ("b", ">f8"), ("name", "U4")])
    arrays["structured_nested"] = np.zeros(2, dtype=[("p", [("x", "f4"), ("y", "f4")]), ("tag", "S2")])
    arrays["structured_subarray"] = np.zeros(2, dtype=[("m", "f8", (2, 3)), ("flags", "?", (4,))])
    arrays["structured_aligned"] = np.zeros(2, dtype=np.dtype([("a", "i1"), ("b", "i8")], align=True))
    arrays["structured_titles"] = np.zeros(2, dtype={"names": ["a", "b"], "formats": ["i4", "f4"], "titles": ["A title", None]})
    arrays["structured_offsets"] = np.zeros(2, dtype={"names": ["a", "b"], "formats": ["i4", "i4"], "offsets": [0, 8], "itemsize": 16})
    arrays["subarray_top"] = np.zeros(3, dtype=("f4", (2,)))
    arrays["fortran"] = np.asfortranarray(rng.rand(3, 4))
    arrays["zero_d"] = np.array(3.5)
    arrays["empty"] = np.zeros((0, 3))
    arrays["big_shape"] = np.zeros((2, 3, 4, 5), dtype="u1")
    arrays["object_mixed"] = np.array([1, "a", None, 2.5, (1, 2)], dtype=object)
    arrays["object_strings"] = np.array(["a", "bb"], dtype=object)
    return arrays


def numpy_group():
    np = optional("numpy")
    if np is None:
        return
    arrays = numpy_dtypes()
    for name, arr in arrays.items():
        def one(name=name, arr=arr):
            allow = arr.dtype.hasobject
            np.save(path("numpy", "npy", f"{name}.npy"), arr, allow_pickle=allow)
            written[0] += 1
            save_pickles(arr, os.path.join("numpy", "pickle", name), (2, 4, 5))
        guarded(f"numpy {name}", one)
    guarded("numpy npz", lambda: (np.savez(path("numpy", "npz", "all_plain.npz"), **{k: v for k, v in arrays.items() if not v.dtype.hasobject}), written.__setitem__(0, written[0] + 1)))
    guarded("numpy npz compressed", lambda: (np.savez_compressed(path("numpy", "npz", "all_compressed.npz"), **arrays), written.__setitem__(0, written[0] + 1)))
    rng = np.random.default_rng(0)
    misc = {
        "matrix": np.matrix([[1, 2], [3, 4]]),
        "recarray": np.rec.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
        "record": np.rec.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")])[0],
        "masked": np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]),
        "scalars": [np.float32(1.5), np.int64(3), np.bool_(True), np.str_("x"), np.bytes_(b"y"), np.datetime64("2024-01-01"), np.timedelta64(3, "D"), np.complex64(1j), np.void(b"ab")],
        "dtypes": [np.dtype("f4"), np.dtype([("a", "i4")]), np.dtype("M8[ns]"), np.dtype(">U3")],
        "types": [np.float64, np.int32, np.number, np.ndarray],
        "ufuncs": [np.add, np.sin, np.log1p, np.maximum, np.isnan],
        "generator": rng,
        "legacy_random_state": np.random.RandomState(1),
        "seed_sequence": np.random.SeedSequence(42),
        "bit_generators": [np.random.PCG64(1), np.random.MT19937(1), np.random.Philox(1), np.random.SFC64(1), np.random.PCG64DXSM(1)],
        "finfo_iinfo": [np.finfo(np.float32), np.iinfo(np.int16)],
        "poly": [np.polynomial.Polynomial([1, 2, 3]), np.poly1d([1, 2])],
        "memmap_like": np.arange(4),
    }
    for name, obj in misc.items():
        guarded(f"numpy misc {name}", lambda name=name, obj=obj: (save_pickles(obj, os.path.join("numpy", "objects", name)), save_joblib(obj, os.path.join("numpy", "objects", name), ["zlib"])))
    # joblib NumpyArrayWrapper of every dtype (string labels are `<U`)
    for name, arr in arrays.items():
        guarded(f"numpy joblib {name}", lambda name=name, arr=arr: save_joblib({"a": arr, "b": [arr, arr]}, os.path.join("numpy", "joblib", name), ["zlib"]))


# ---------------------------------------------------------------- pandas
def pandas_group():
    pd = optional("pandas")
    if pd is None:
        return
    import numpy as np
    import datetime
    n = 6
    objs = {
        "frame_basic": lambda: pd.DataFrame({"a": range(n), "b": np.linspace(0, 1, n), "c": list("abcdef")}),
        "frame_dtypes": lambda: pd.DataFrame({
            "i8": np.arange(n), "f4": np.arange(n, dtype="f4"), "bool": [True, False] * 3,
            "dt": pd.date_range("2024-01-01", periods=n), "dt_tz": pd.date_range("2024-01-01", periods=n, tz="Europe/Paris"),
            "dt_utc": pd.date_range("2024-01-01", periods=n, tz="UTC"), "td": pd.to_timedelta(np.arange(n), unit="h"),
            "cat": pd.Categorical(list("aabbcc")), "ordered": pd.Categorical(list("abcabc"), ordered=True),
            "Int64": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"), "boolean": pd.array([True, None, False] * 2, dtype="boolean"),
            "string": pd.array(["x", None, "z"] * 2, dtype="string"), "Float64": pd.array([1.5, None] * 3, dtype="Float64"),
            "period": pd.period_range("2024-01", periods=n, freq="M"), "interval": pd.interval_range(0, n),
            "sparse": pd.arrays.SparseArray([0, 0, 1, 0, 2, 0]), "obj": [None, 1, "a", 2.5, (1,), {"k": 1}],
            "UInt8": pd.array([1, 2, 3, 4, 5, None], dtype="UInt8"),
        }),
        "series": lambda: pd.Series(np.arange(n), index=list("abcdef"), name="s"),
        "series_na": lambda: pd.Series([pd.NA, 1, 2], dtype="Int64"),
        "multiindex": lambda: pd.DataFrame(np.zeros((4, 2)), index=pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["x", "y"])),
        "indexes": lambda: [pd.RangeIndex(5), pd.Index(list("abc")), pd.DatetimeIndex(["2024-01-01"]), pd.TimedeltaIndex(["1D"]),
                            pd.PeriodIndex(["2024-01"], freq="M"), pd.IntervalIndex.from_breaks([0, 1, 2]), pd.CategoricalIndex(list("ab"))],
        "scalars": lambda: [pd.Timestamp("2024-01-01", tz="US/Eastern"), pd.Timedelta("1D"), pd.Period("2024-01", freq="M"),
                            pd.Interval(0, 1), pd.NaT, pd.NA, pd.DateOffset(days=2), pd.offsets.MonthEnd(), pd.offsets.BusinessDay(3)],
        "dtypes": lambda: [pd.CategoricalDtype(["a", "b"]), pd.DatetimeTZDtype(tz="UTC"), pd.PeriodDtype("D"), pd.IntervalDtype("int64"),
                           pd.SparseDtype("float64"), pd.Int64Dtype(), pd.StringDtype(), pd.BooleanDtype(), pd.Float32Dtype()],
        "tz_objects": lambda: [datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=2)), pd.Timestamp("2024-01-01", tz="Asia/Tokyo").tz],
        "frame_large": lambda: pd.DataFrame(np.random.RandomState(0).rand(2000, 8)),
    }
    for name, build in objs.items():
        def one(name=name, build=build):
            obj = build()
            stem = os.path.join("pandas", name)
            save_pickles(obj, stem)
            save_joblib(obj, stem, ["zlib", "gzip", "bz2", "xz"])
            if hasattr(obj, "to_pickle"):
                for comp in ("infer", "gzip", "bz2", "xz", "zip"):
                    ext = {"infer": "pkl", "gzip": "pkl.gz", "bz2": "pkl.bz2", "xz": "pkl.xz", "zip": "pkl.zip"}[comp]
                    obj.to_pickle(path("pandas", "to_pickle", f"{name}.{ext}"), compression=None if comp == "infer" else comp)
                    written[0] += 1
        guarded(f"pandas {name}", one)


# ---------------------------------------------------------------- scipy
def scipy_group():
    scipy = optional("scipy")
    if scipy is None:
        return
    import numpy as np
    from scipy import sparse, interpolate, spatial, optimize, stats, signal
    from scipy.spatial.transform import Rotation, Slerp
    x = np.linspace(0, 1, 10)
    y = np.sin(x)
    pts = np.random.RandomState(0).rand(12, 2)
    objs = {
        "sparse": lambda: [sparse.csr_matrix(np.eye(3)), sparse.csc_matrix(np.eye(3)), sparse.coo_matrix(np.eye(3)), sparse.lil_matrix(np.eye(3)),
                           sparse.dok_matrix(np.eye(3)), sparse.dia_matrix(np.eye(3)), sparse.bsr_matrix(np.eye(4))],
        "sparse_arrays": lambda: [sparse.csr_array(np.eye(3)), sparse.coo_array(np.eye(3))],
        "splines": lambda: [interpolate.interp1d(x, y), interpolate.UnivariateSpline(x, y), interpolate.CubicSpline(x, y),
                            interpolate.make_interp_spline(x, y), interpolate.PchipInterpolator(x, y), interpolate.Akima1DInterpolator(x, y),
                            interpolate.BSpline(*interpolate.splrep(x, y)), interpolate.PPoly.from_spline(interpolate.splrep(x, y)),
                            interpolate.RegularGridInterpolator((x,), y)],
        "trees": lambda: [spatial.cKDTree(pts), spatial.KDTree(pts)],
        "geometry": lambda: [spatial.ConvexHull(pts), spatial.Delaunay(pts), spatial.Voronoi(pts)],
        "rotation": lambda: [Rotation.from_euler("xyz", [10, 20, 30], degrees=True), Slerp([0, 1], Rotation.random(2, random_state=0))],
        "optimize_result": lambda: optimize.minimize(lambda v: (v ** 2).sum(), np.ones(2)),
        "curve_fit": lambda: optimize.curve_fit(lambda t, a: a * t, x, y),
        "stats_results": lambda: [stats.ttest_ind(x, y), stats.linregress(x, y), stats.describe(x)],
        "kde": lambda: stats.gaussian_kde(x),
        "signal": lambda: [signal.butter(4, 0.2, output="sos"), signal.lti([1], [1, 2])],
    }
    for name, build in objs.items():
        def one(name=name, build=build):
            obj = build()
            stem = os.path.join("scipy", name)
            save_pickles(obj, stem)
            save_joblib(obj, stem, ["zlib"])
        guarded(f"scipy {name}", one)
    def npz():
        sparse.save_npz(path("scipy", "sparse_csr.npz"), sparse.csr_matrix(np.eye(4)))
        sparse.save_npz(path("scipy", "sparse_coo_uncompressed.npz"), sparse.coo_matrix(np.eye(4)), compressed=False)
        written[0] += 2
    guarded("scipy save_npz", npz)


# ---------------------------------------------------------------- torch
def torch_group():
    torch = optional("torch")
    if torch is None:
        return
    import torch.nn as nn
    torch.manual_seed(0)

    class _Net(nn.Module):
        pass

    def save_torch(obj, stem):
        for legacy in (False, True):
            target = path(f"{stem}{'.legacy' if legacy else ''}.pt")
            def w(legacy=legacy, target=target):
                torch.save(obj, target, _use_new_zipfile_serialization=not legacy)
                written[0] += 1
            guarded(f"{stem} torch.save legacy={legacy}", w, target)

    modules = {
        "linear": lambda: nn.Linear(4, 3),
        "mlp": lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2), nn.Softmax(dim=-1)),
        "conv": lambda: nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.LeakyReLU(), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten()),
        "rnn": lambda: nn.ModuleDict({"lstm": nn.LSTM(4, 8, 2), "gru": nn.GRU(4, 8), "rnn": nn.RNN(4, 4)}),
        "transformer": lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 1),
        "embedding_norms": lambda: nn.ModuleList([nn.Embedding(10, 4), nn.LayerNorm(4), nn.GroupNorm(2, 4), nn.InstanceNorm1d(4), nn.EmbeddingBag(10, 4)]),
        "activations": lambda: nn.ModuleList([nn.GELU(), nn.SiLU(), nn.Tanh(), nn.Sigmoid(), nn.ELU(), nn.PReLU(), nn.Mish(), nn.Hardswish(), nn.Softplus(), nn.LogSoftmax(1)]),
        "losses": lambda: nn.ModuleList([nn.CrossEntropyLoss(), nn.MSELoss(), nn.BCEWithLogitsLoss(), nn.NLLLoss(), nn.L1Loss(), nn.SmoothL1Loss()]),
        "weight_norm": lambda: nn.utils.weight_norm(nn.Linear(4, 4)),
        "spectral_norm": lambda: nn.utils.spectral_norm(nn.Linear(4, 4)),
        "pruned": lambda: __import__("torch.nn.utils.prune", fromlist=["x"]).l1_unstructured(nn.Linear(4, 4), "weight", amount=0.5),
        "parametrized": lambda: __import__("torch.nn.utils.parametrizations", fromlist=["x"]).orthogonal(nn.Linear(4, 4)),
        "quantized_dynamic": lambda: torch.quantization.quantize_dynamic(nn.Sequential(nn.Linear(4, 4), nn.LSTM(4, 4)), {nn.Linear, nn.LSTM}, dtype=torch.qint8),
    }
    for name, build in modules.items():
        def one(name=name, build=build):
            m = build()
            save_torch(m, os.path.join("torch", "module", name))
            save_torch(m.state_dict(), os.path.join("torch", "state_dict", name))
        guarded(f"torch module {name}", one)

    tensors = {
        "dtypes": lambda: {str(d): torch.zeros(3, dtype=d) for d in (torch.float32, torch.float16, torch.bfloat16, torch.float64, torch.int8, torch.uint8,
                                                                      torch.int16, torch.int32, torch.int64, torch.bool, torch.complex64, torch.complex128)},
        "bf16_many": lambda: {f"layer{i}.weight": torch.ones(4, dtype=torch.bfloat16) for i in range(300)},
        "fp16_many": lambda: {f"layer{i}.weight": torch.ones(4, dtype=torch.float16) for i in range(300)},
        "views_shared": lambda: (lambda t: {"a": t, "b": t[1:], "c": t.view(2, 2)})(torch.arange(4.0)),
        "sparse": lambda: {"coo": torch.eye(3).to_sparse(), "csr": torch.eye(3).to_sparse_csr()},
        "quantized": lambda: {"per_tensor": torch.quantize_per_tensor(torch.rand(4), 0.1, 0, torch.quint8),
                              "per_channel": torch.quantize_per_channel(torch.rand(2, 3), torch.tensor([0.1, 0.2]), torch.tensor([0, 0]), 0, torch.qint8)},
        "parameters": lambda: {"p": nn.Parameter(torch.ones(2)), "nograd": nn.Parameter(torch.ones(2), requires_grad=False)},
        "misc_values": lambda: {"size": torch.Size([2, 3]), "dtype": torch.float16, "device": torch.device("cpu"), "version": torch.__version__,
                                "generator_state": torch.get_rng_state()},
        "tensor_dataset": lambda: torch.utils.data.TensorDataset(torch.zeros(4, 2), torch.zeros(4)),
        "named_tuple_stats": lambda: torch.zeros(3, 2).max(dim=0),
    }
    for name, build in tensors.items():
        guarded(f"torch tensors {name}", lambda name=name, build=build: save_torch(build(), os.path.join("torch", "tensors", name)))

    def optim_objs():
        m = nn.Linear(4, 2)
        loss = m(torch.ones(1, 4)).sum()
        loss.backward()
        out = {}
        for cls in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop, torch.optim.Adagrad, torch.optim.Adadelta,
                    torch.optim.Adamax, torch.optim.NAdam, torch.optim.RAdam, torch.optim.ASGD, torch.optim.Rprop, torch.optim.LBFGS):
            kw = {"lr": 0.1} if cls is not torch.optim.LBFGS else {}
            opt = cls(m.parameters(), **kw)
            if cls is not torch.optim.LBFGS:
                opt.step()
            out[cls.__name__] = opt
        return m, out

    def optim():
        m, optimizers = optim_objs()
        for name, opt in optimizers.items():
            save_torch(opt.state_dict(), os.path.join("torch", "optim_state", name))
            guarded(f"torch optim whole {name}", lambda name=name, opt=opt: save_torch(opt, os.path.join("torch", "optim_whole", name)))
        sgd = optimizers["SGD"]
        S = torch.optim.lr_scheduler
        scheds = {
            "StepLR": lambda: S.StepLR(sgd, 2), "MultiStepLR": lambda: S.MultiStepLR(sgd, [1, 2]), "ExponentialLR": lambda: S.ExponentialLR(sgd, 0.9),
            "CosineAnnealingLR": lambda: S.CosineAnnealingLR(sgd, 10), "ReduceLROnPlateau": lambda: S.ReduceLROnPlateau(sgd),
            "OneCycleLR": lambda: S.OneCycleLR(sgd, 0.1, total_steps=10),
            "CosineAnnealingWarmRestarts": lambda: S.CosineAnnealingWarmRestarts(sgd, 5), "LinearLR": lambda: S.LinearLR(sgd),
            "ConstantLR": lambda: S.ConstantLR(sgd), "PolynomialLR": lambda: S.PolynomialLR(sgd),
            "LambdaLR": lambda: S.LambdaLR(sgd, lambda e: 0.9 ** e),
            "SequentialLR": lambda: S.SequentialLR(sgd, [S.LinearLR(sgd), S.ExponentialLR(sgd, 0.9)], milestones=[2]),
        }
        for name, build in scheds.items():
            def one(name=name, build=build):
                s = build()
                save_torch(s.state_dict(), os.path.join("torch", "sched_state", name))
            guarded(f"torch sched {name}", one)
        # trainer-style checkpoints
        adam = optimizers["Adam"]
        sched = S.StepLR(adam, 2)
        ckpts = {
            "plain_train_loop": {"epoch": 3, "model_state_dict": m.state_dict(), "optimizer_state_dict": adam.state_dict(), "loss": 0.25,
                                 "scheduler": sched.state_dict(), "best_acc": torch.tensor(0.9)},
            "lightning_style": {"epoch": 1, "global_step": 10, "pytorch-lightning_version": "1.9.0", "state_dict": {f"model.{k}": v for k, v in m.state_dict().items()},
                                "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"total": {"ready": 1, "completed": 1}}}},
                                "callbacks": {"ModelCheckpoint{'monitor': 'val_loss'}": {"best_model_score": torch.tensor(0.1), "best_model_path": "x.ckpt"}},
                                "optimizer_states": [adam.state_dict()], "lr_schedulers": [sched.state_dict()], "hparams_name": "kwargs",
                                "hyper_parameters": {"lr": 0.1, "hidden": 8}},
            "hf_trainer_optimizer": adam.state_dict(),
            "hf_trainer_rng_state": {"python": __import__("random").getstate(), "numpy": __import__("numpy").random.get_state(), "cpu": torch.random.get_rng_state()},
            "fairseq_style": {"args": __import__("argparse").Namespace(lr=[0.1], arch="transformer"), "model": m.state_dict(),
                              "optimizer_history": [{"criterion_name": "CrossEntropyCriterion", "optimizer_name": "Adam", "lr_scheduler_state": {"best": 1.0}, "num_updates": 3}],
                              "extra_state": {"epoch": 1, "val_loss": 1.0}},
            "simple_namespace_cfg": {"cfg": __import__("types").SimpleNamespace(lr=0.1, layers=[1, 2]), "model": m.state_dict()},
            "yolo_style": {"epoch": -1, "best_fitness": None, "model": None, "ema": None, "updates": 0, "optimizer": None, "date": "2024-01-01",
                           "train_args": {"epochs": 3}, "model_sd": m.state_dict()},
        }
        for name, ck in ckpts.items():
            guarded(f"torch ckpt {name}", lambda name=name, ck=ck: save_torch(ck, os.path.join("torch", "checkpoint", name)))
        omegaconf = optional("omegaconf")
        if omegaconf is not None:
            guarded("torch ckpt omegaconf", lambda: save_torch({"cfg": omegaconf.OmegaConf.create({"lr": 0.1, "model": {"depth": 2}, "list": [1, 2]}),
                                                                 "state_dict": m.state_dict()}, os.path.join("torch", "checkpoint", "omegaconf_cfg")))
            guarded("omegaconf pickle", lambda: save_pickles(omegaconf.OmegaConf.create({"a": {"b": [1, 2]}}), os.path.join("misc", "omegaconf", "dictconfig")))
    guarded("torch optim", optim)

    def jit():
        m = nn.Sequential(nn.Linear(4, 4), nn.ReLU())
        torch.jit.save(torch.jit.script(m), path("torch", "jit", "scripted.pt"))
        torch.jit.save(torch.jit.trace(m, torch.ones(1, 4)), path("torch", "jit", "traced.pt"))
        torch.jit.save(torch.jit.freeze(torch.jit.script(m.eval())), path("torch", "jit", "frozen.pt"))
        written[0] += 3
    guarded("torch jit", jit)

    tv = optional("torchvision")
    if tv is not None:
        def vision():
            import torchvision.models as tvm
            import torchvision.transforms as T
            for name in ("resnet18", "mobilenet_v2", "squeezenet1_0", "alexnet"):
                mm = getattr(tvm, name)(weights=None, num_classes=3) if name != "alexnet" else tvm.alexnet(num_classes=3)
                save_torch(mm, os.path.join("torchvision", "module", name))
                save_torch(mm.state_dict(), os.path.join("torchvision", "state_dict", name))
            tf = T.Compose([T.Resize(8), T.CenterCrop(8), T.ToTensor(), T.Normalize([0.5], [0.5])])
            save_pickles(tf, os.path.join("torchvision", "transforms"))
        guarded("torchvision", vision)
    ta = optional("torchaudio")
    if ta is not None:
        def audio():
            import torchaudio.transforms as AT
            mods = nn.ModuleList([AT.MelSpectrogram(sample_rate=8000, n_fft=64, n_mels=8), AT.MFCC(sample_rate=8000, n_mfcc=4, melkwargs={"n_fft": 64, "n_mels": 8}),
                                  AT.Resample(8000, 4000), AT.AmplitudeToDB()])
            save_torch(mods, os.path.join("torchaudio", "transforms"))
            save_torch(mods.state_dict(), os.path.join("torchaudio", "transforms_state"))
        guarded("torchaudio", audio)


# ---------------------------------------------------------------- other libraries
def misc_group():
    import numpy as np
    import argparse
    import types
    import array
    import datetime
    import collections
    import decimal
    import fractions
    import uuid
    import enum
    rng = np.random.RandomState(0)
    X = rng.rand(40, 4)
    y = (X[:, 0] > 0.5).astype(int)
    stdlib = {
        "argparse_namespace": argparse.Namespace(lr=0.1, name="run"),
        "simple_namespace": types.SimpleNamespace(a=1, b=[1, 2]),
        "array": [array.array("d", [1.0, 2.0]), array.array("u", "hi"), array.array("b", [1, 2])],
        "datetime": [datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), datetime.date(2024, 1, 1), datetime.timedelta(3), datetime.time(1, 2)],
        "collections": [collections.OrderedDict(a=1), collections.Counter("abca"), collections.deque([1, 2]), collections.defaultdict(list, {"a": [1]})],
        "numbers": [decimal.Decimal("1.5"), fractions.Fraction(1, 3), complex(1, 2), uuid.UUID(int=5), frozenset([1]), bytearray(b"x"), slice(1, 2), range(3)],
        "enum_stdlib": [__import__("http").HTTPStatus.OK, __import__("re").IGNORECASE, __import__("signal").Signals.SIGINT],
    }
    for name, obj in stdlib.items():
        guarded(f"stdlib {name}", lambda name=name, obj=obj: save_pickles(obj, os.path.join("misc", "stdlib", name)))
    pytz = optional("pytz")
    if pytz is not None:
        guarded("pytz", lambda: save_pickles([pytz.utc, pytz.timezone("Europe/Paris"), pytz.timezone("US/Eastern").localize(datetime.datetime(2024, 1, 1)).tzinfo,
                                             pytz.FixedOffset(120)], os.path.join("misc", "tz", "pytz")))
    dateutil = optional("dateutil.tz")
    if dateutil is not None:
        guarded("dateutil", lambda: save_pickles([dateutil.tzutc(), dateutil.tzoffset("X", 3600), dateutil.gettz("Europe/Paris"), dateutil.tzlocal()],
                                                 os.path.join("misc", "tz", "dateutil")))
    zoneinfo = optional("zoneinfo")
    if zoneinfo is not None:
        guarded("zoneinfo", lambda: save_pickles([zoneinfo.ZoneInfo("Europe/Paris"), zoneinfo.ZoneInfo("UTC")], os.path.join("misc", "tz", "zoneinfo")))

    xgb = optional("xgboost")
    if xgb is not None:
        def xg():
            clf = xgb.XGBClassifier(n_estimators=3, max_depth=2).fit(X, y)
            reg = xgb.XGBRegressor(n_estimators=3).fit(X, X[:, 1])
            booster = clf.get_booster()
            for name, obj in (("classifier", clf), ("regressor", reg), ("booster", booster)):
                save_pickles(obj, os.path.join("misc", "xgboost", name))
                save_joblib(obj, os.path.join("misc", "xgboost", name), ["zlib"])
        guarded("xgboost", xg)
    sm = optional("statsmodels.api")
    if sm is not None:
        def stm():
            res = sm.OLS(X[:, 0], sm.add_constant(X[:, 1:])).fit()
            logit = sm.Logit(y, sm.add_constant(X[:, 1:])).fit(disp=0)
            res.save(path("misc", "statsmodels", "ols_results.pickle"))
            res.save(path("misc", "statsmodels", "ols_results_removed.pickle"), remove_data=True)
            written[0] += 2
            save_pickles(logit, os.path.join("misc", "statsmodels", "logit"))
            from statsmodels.tsa.arima.model import ARIMA
            ar = ARIMA(np.cumsum(rng.randn(60)), order=(1, 0, 0)).fit()
            save_pickles(ar, os.path.join("misc", "statsmodels", "arima"))
        guarded("statsmodels", stm)
    gensim = optional("gensim")
    if gensim is not None:
        def gs():
            from gensim.models import Word2Vec, FastText
            from gensim.corpora import Dictionary
            sents = [["cat", "sat", "mat"], ["dog", "ran", "far"], ["cat", "dog"]] * 5
            w2v = Word2Vec(sents, vector_size=8, min_count=1, epochs=2, workers=1)
            w2v.save(path("misc", "gensim", "word2vec.model"))
            w2v.wv.save(path("misc", "gensim", "word2vec.kv"))
            FastText(sents, vector_size=8, min_count=1, epochs=1, workers=1).save(path("misc", "gensim", "fasttext.model"))
            Dictionary(sents).save(path("misc", "gensim", "dictionary.dict"))
            written[0] += 4
            save_pickles(w2v, os.path.join("misc", "gensim", "word2vec_pickle"), (4,))
        guarded("gensim", gs)
    nx = optional("networkx")
    if nx is not None:
        guarded("networkx", lambda: save_pickles([nx.karate_club_graph(), nx.DiGraph([(1, 2)]), nx.MultiGraph([(1, 2), (1, 2)])], os.path.join("misc", "networkx", "graphs")))
    skimage = optional("skimage")
    if skimage is not None:
        def ski():
            from skimage import transform, measure, feature
            objs = [transform.AffineTransform(scale=(2, 2)), transform.SimilarityTransform(rotation=0.1), transform.ProjectiveTransform(),
                    transform.EuclideanTransform(translation=(1, 2)), measure.CircleModel(), measure.LineModelND()]
            save_pickles(objs, os.path.join("misc", "skimage", "transforms"))
        guarded("skimage", ski)


# ---------------------------------------------------------------- more real library artifacts
def extras_group():
    """Objects the other groups leave out (soundness2): richer scikit-learn compositions (GP kernels,
    feature selectors, multi-output wrappers, experimental imputers and halving searches, column
    selectors), torch objects that training code pickles beside weights (distributions, SWA,
    GradScaler state, return_types, sparse/complex tensors, datasets, packed sequences), and
    scipy/numpy odds and ends."""
    np = optional("numpy")
    if np is None:
        return
    rng = np.random.RandomState(1)
    X = rng.rand(60, 5)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    yr = X @ np.arange(5.0)
    sk = optional("sklearn")
    if sk is not None:
        from sklearn.experimental import enable_iterative_imputer, enable_halving_search_cv  # noqa: F401
        from sklearn import gaussian_process as gp, feature_selection as fs, multioutput as mo, impute, preprocessing as pp
        from sklearn import ensemble, linear_model as lm, kernel_approximation as ka, neural_network as nnet, compose, model_selection as ms
        from sklearn.pipeline import make_pipeline, make_union
        import pandas as pd
        K = gp.kernels
        df = pd.DataFrame({"a": rng.rand(60), "b": rng.rand(60), "c": np.array(["x", "y", "z"])[rng.randint(0, 3, 60)]})
        objs = {
            "gp_composite_kernel": lambda: gp.GaussianProcessRegressor(K.ConstantKernel() * K.RBF() + K.WhiteKernel() + K.Matern(nu=2.5) ** 2).fit(X[:20], yr[:20]),
            "gp_classifier": lambda: gp.GaussianProcessClassifier(K.RationalQuadratic() + K.DotProduct()).fit(X[:30], y[:30]),
            "gp_kernels": lambda: [K.ExpSineSquared(), K.PairwiseKernel(metric="laplacian"), K.CompoundKernel([K.RBF(), K.RBF(2.0)])],
            "hist_gb_pipeline": lambda: make_pipeline(impute.SimpleImputer(), pp.KBinsDiscretizer(3, encode="ordinal"), ensemble.HistGradientBoostingClassifier(max_iter=5)).fit(X, y),
            "transformers_pipeline": lambda: make_pipeline(pp.QuantileTransformer(n_quantiles=20), pp.PowerTransformer(), pp.SplineTransformer(), ka.Nystroem(n_components=5),
                                                            lm.SGDClassifier(max_iter=5)).fit(X, y),
            "union_rbf": lambda: make_pipeline(make_union(ka.RBFSampler(n_components=4), pp.MaxAbsScaler()), lm.RidgeClassifier()).fit(X, y),
            "selectors": lambda: [fs.SelectFromModel(lm.Lasso(alpha=0.01)).fit(X, yr), fs.RFE(lm.LinearRegression(), n_features_to_select=2).fit(X, yr),
                                  fs.RFECV(lm.LogisticRegression(), cv=3).fit(X, y), fs.SequentialFeatureSelector(lm.LinearRegression(), n_features_to_select=2, cv=2).fit(X, yr),
                                  fs.VarianceThreshold().fit(X), fs.GenericUnivariateSelect(fs.mutual_info_classif, mode="k_best", param=2).fit(X, y)],
            "multioutput": lambda: [mo.MultiOutputRegressor(lm.Ridge()).fit(X, np.c_[yr, yr]), mo.ClassifierChain(lm.LogisticRegression()).fit(X, np.c_[y, 1 - y]),
                                    mo.RegressorChain(lm.Ridge()).fit(X, np.c_[yr, yr])],
            "imputers": lambda: [impute.IterativeImputer(max_iter=2).fit(X), impute.KNNImputer().fit(X), impute.MissingIndicator(features="all").fit(X)],
            "halving_search": lambda: ms.HalvingGridSearchCV(lm.LogisticRegression(), {"C": [0.1, 1, 10]}, cv=2, factor=2).fit(X, y),
            "column_selector": lambda: make_pipeline(compose.ColumnTransformer([("num", pp.StandardScaler(), compose.make_column_selector(dtype_include=np.number)),
                                                                             ("cat", pp.OrdinalEncoder(), compose.make_column_selector(dtype_include=object))]),
                                                     ensemble.RandomForestClassifier(n_estimators=3)).fit(df, y[:60]),
            "isolation_mlp": lambda: [ensemble.IsolationForest(n_estimators=5).fit(X), nnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, early_stopping=True).fit(X, y),
                                      ensemble.AdaBoostClassifier(n_estimators=3).fit(X, y), ensemble.GradientBoostingRegressor(n_estimators=3, loss="huber").fit(X, yr)],
            "cv_results_bunch": lambda: ms.cross_validate(lm.Ridge(), X, yr, cv=3, return_estimator=True),
            "dataset_bunch": lambda: __import__("sklearn.datasets", fromlist=["load_iris"]).load_iris(),
        }
        for name, build in objs.items():
            def one(name=name, build=build):
                obj = build()
                stem = os.path.join("extras", "sklearn", name)
                save_pickles(obj, stem, (2, 4, 5))
                save_joblib(obj, stem, ["zlib", "xz"])
            guarded(f"extras sklearn {name}", one)
    torch = optional("torch")
    if torch is not None:
        D = torch.distributions
        def save_t(obj, stem):
            for legacy in (False, True):
                target = path(f"{stem}{'.legacy' if legacy else ''}.pt")
                def w(legacy=legacy, target=target):
                    torch.save(obj, target, _use_new_zipfile_serialization=not legacy)
                    written[0] += 1
                guarded(f"{stem} torch.save legacy={legacy}", w, target)
        lin = torch.nn.Linear(3, 2)
        opt = torch.optim.SGD(lin.parameters(), lr=0.1)
        tobjs = {
            "distributions": lambda: [D.Normal(torch.zeros(2), torch.ones(2)), D.Categorical(logits=torch.zeros(3)), D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
                                      D.Independent(D.Normal(torch.zeros(2), torch.ones(2)), 1), D.Bernoulli(probs=torch.tensor(0.3)), D.Beta(torch.tensor(1.0), torch.tensor(2.0))],
            "swa": lambda: {"averaged": torch.optim.swa_utils.AveragedModel(lin).state_dict(), "swalr": torch.optim.swa_utils.SWALR(opt, swa_lr=0.05).state_dict()},
            "grad_scaler_state": lambda: {"scaler": {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000, "_growth_tracker": 0}},
            "return_types": lambda: [torch.max(torch.rand(2, 3), 0), torch.sort(torch.rand(3)), torch.topk(torch.rand(5), 2)],
            "special_tensors": lambda: {"coo": torch.eye(3).to_sparse(), "csr": torch.eye(3).to_sparse_csr(), "complex": torch.rand(2, dtype=torch.cfloat),
                                        "bool": torch.ones(2, dtype=torch.bool), "bf16": torch.ones(2, dtype=torch.bfloat16), "int8": torch.ones(2, dtype=torch.int8),
                                        "noncontig": torch.rand(4, 4).t(), "view": torch.arange(10.0)[2:6]},
            "meta_objects": lambda: [torch.Size([2, 3]), torch.float16, torch.device("cpu"), torch.strided, torch.contiguous_format, torch.random.get_rng_state()],
            "datasets": lambda: [torch.utils.data.TensorDataset(torch.rand(4, 2), torch.arange(4)),
                                 torch.utils.data.Subset(torch.utils.data.TensorDataset(torch.rand(4, 2)), [0, 2])],
            "packed_sequence": lambda: torch.nn.utils.rnn.pack_padded_sequence(torch.rand(3, 2, 4), torch.tensor([3, 2]), enforce_sorted=True),
            "modules_more": lambda: torch.nn.ModuleDict({"attn": torch.nn.MultiheadAttention(4, 2), "emb": torch.nn.EmbeddingBag(10, 4), "tr": torch.nn.TransformerEncoderLayer(4, 2, 8),
                                                         "gn": torch.nn.GroupNorm(2, 4), "prelu": torch.nn.PReLU(), "up": torch.nn.Upsample(scale_factor=2), "pl": torch.nn.ParameterList([torch.nn.Parameter(torch.rand(2))])}),
        }
        for name, build in tobjs.items():
            def tone(name=name, build=build):
                obj = build()
                stem = os.path.join("extras", "torch", name)
                save_t(obj, stem)
                save_pickles(obj, stem, (2, 4))
            guarded(f"extras torch {name}", tone)
    scipy = optional("scipy")
    if scipy is not None:
        from scipy import stats, interpolate, spatial, sparse
        sobjs = {
            "frozen_distributions": lambda: [stats.norm(0, 1), stats.beta(2, 3), stats.gamma(2), stats.poisson(3), stats.binom(5, 0.3), stats.multivariate_normal([0, 0])],
            "interpolators_nd": lambda: [interpolate.LinearNDInterpolator(rng.rand(10, 2), rng.rand(10)), interpolate.NearestNDInterpolator(rng.rand(10, 2), rng.rand(10)),
                                         interpolate.CloughTocher2DInterpolator(rng.rand(10, 2), rng.rand(10)), interpolate.RBFInterpolator(rng.rand(10, 2), rng.rand(10))],
            "sparse_more": lambda: [sparse.random(5, 5, density=0.3, format=f, random_state=0) for f in ("csr", "csc", "coo", "lil", "dok", "bsr", "dia")],
            "distance_tree": lambda: spatial.cKDTree(rng.rand(50, 3), leafsize=4, balanced_tree=False),
        }
        for name, build in sobjs.items():
            def sone(name=name, build=build):
                obj = build()
                stem = os.path.join("extras", "scipy", name)
                save_pickles(obj, stem, (2, 4, 5))
                save_joblib(obj, stem, ["zlib"])
            guarded(f"extras scipy {name}", sone)
    pd = optional("pandas")
    if pd is not None:
        pobjs = {
            "categorical_frame": lambda: pd.DataFrame({"c": pd.Categorical(["a", "b", None], categories=["b", "a"], ordered=True),
                                                       "p": pd.period_range("2024Q1", periods=3, freq="Q"), "i": pd.IntervalIndex.from_tuples([(0, 1), (1, 3), (3, 4)], closed="both"),
                                                       "td": pd.timedelta_range("1h", periods=3), "dtz": pd.date_range("2024-03-30", periods=3, freq="D", tz="Europe/London")}),
            "grouped_and_pivot": lambda: pd.DataFrame({"k": list("aabb"), "v": range(4)}).groupby("k").agg(["sum", "mean"]),
            "structured_numpy_in_frame": lambda: pd.DataFrame.from_records(np.zeros(3, dtype=[("a", "i4"), ("b", "f8"), ("n", "U3")])),
        }
        for name, build in pobjs.items():
            def pone(name=name, build=build):
                obj = build()
                stem = os.path.join("extras", "pandas", name)
                save_pickles(obj, stem, (2, 4, 5))
                save_joblib(obj, stem, ["zlib", "gzip"])
            guarded(f"extras pandas {name}", pone)


# ---------------------------------------------------------------- HF-style folder archives
def hf_group():
    torch = optional("torch")
    if torch is None:
        return
    import json
    import tarfile
    import argparse
    def folder():
        root = path("hf", "checkpoint-500", "config.json")
        d = os.path.dirname(root)
        m = torch.nn.Linear(4, 4)
        json.dump({"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 4}, open(root, "w"))
        torch.save(m.state_dict(), os.path.join(d, "pytorch_model.bin"))
        opt = torch.optim.AdamW(m.parameters())
        torch.save(opt.state_dict(), os.path.join(d, "optimizer.pt"))
        torch.save(torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0).state_dict(), os.path.join(d, "scheduler.pt"))
        torch.save({"python": __import__("random").getstate(), "numpy": __import__("numpy").random.get_state(), "cpu": torch.random.get_rng_state()},
                   os.path.join(d, "rng_state.pth"))
        torch.save(argparse.Namespace(output_dir="out", learning_rate=5e-5), os.path.join(d, "training_args.bin"))
        json.dump({"global_step": 500, "log_history": []}, open(os.path.join(d, "trainer_state.json"), "w"))
        written[0] += 7
        with tarfile.open(path("hf", "archives", "checkpoint-500.tar.gz"), "w:gz") as tf:
            tf.add(d, arcname="checkpoint-500")
        with tarfile.open(path("hf", "archives", "checkpoint-500.tar"), "w") as tf:
            tf.add(d, arcname="checkpoint-500")
        with zipfile.ZipFile(path("hf", "archives", "checkpoint-500.zip"), "w", zipfile.ZIP_DEFLATED) as zf:
            for f in os.listdir(d):
                zf.write(os.path.join(d, f), f"checkpoint-500/{f}")
        written[0] += 3
    guarded("hf folder", folder)


def versions():
    lines = [f"python {sys.version.split()[0]}"]
    for mod in ("numpy", "scipy", "pandas", "sklearn", "joblib", "torch", "torchvision", "torchaudio", "xgboost", "statsmodels", "gensim",
                "networkx", "skimage", "omegaconf", "pytz", "dateutil", "lz4"):
        m = optional(mod)
        lines.append(f"{mod} {getattr(m, '__version__', 'present') if m else 'MISSING'}")
    return "\n".join(lines) + "\n"


groups = {"sklearn": sklearn_group, "numpy": numpy_group, "pandas": pandas_group, "scipy": scipy_group, "torch": torch_group, "misc": misc_group, "extras": extras_group, "hf": hf_group}
for name, fn in groups.items():
    if want(name):
        try:
            fn()
        except Exception:
            failures.append(f"group {name}: {traceback.format_exc(limit=3)}")
        print(f"{name}: {written[0]} files so far, {len(failures)} failures", file=sys.stderr)
with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write(versions())
with open(os.path.join(OUT, "FAILURES.txt"), "w") as f:
    f.write("\n".join(failures) + "\n")
print(f"wrote {written[0]} files to {OUT}; {len(failures)} objects failed (FAILURES.txt)")
