"""Writes the Keras 2 HDF5 fixtures of src/fixtures/h5/ with Debian's h5py (run with /usr/bin/python3).

Layouts follow keras/src/legacy/saving/legacy_h5_format.py (save_model_to_hdf5): root attributes
model_config / training_config (JSON) / keras_version / backend, a model_weights group with
layer_names and per-layer weight_names + datasets. Lambda code is compiled, never executed.
Payloads only echo.
"""
import base64, json, marshal, os, pickle, types
import h5py, numpy as np

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "src", "fixtures", "h5")
os.makedirs(out, exist_ok=True)

def lambda_code(source):
    module = compile(source, "<fixture>", "eval")
    return base64.encodebytes(marshal.dumps(next(c for c in module.co_consts if isinstance(c, types.CodeType)))).decode("ascii")

def dense(name, units, activation="relu"):
    return {"class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}}, "bias_initializer": {"class_name": "Zeros", "config": {}}}}

def model(layers):
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "input_1"}}] + layers}}

TRAINING = {"loss": "mse", "metrics": ["mae"], "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001}}}

def write(name, config, fixed=False, extra=None, training=TRAINING):
    with h5py.File(os.path.join(out, name), "w") as f:
        text = json.dumps(config)
        f.attrs["model_config"] = np.bytes_(text.encode()) if fixed else text
        if training is not None:
            f.attrs["training_config"] = json.dumps(training)
        f.attrs["keras_version"] = "2.13.1"
        f.attrs["backend"] = "tensorflow"
        g = f.create_group("model_weights")
        names = [l["config"]["name"] for l in config["config"]["layers"][1:]]
        g.attrs["layer_names"] = np.array([n.encode() for n in names])
        for n in names:
            lg = g.create_group(n)
            lg.attrs["weight_names"] = np.array([f"{n}/kernel:0".encode(), f"{n}/bias:0".encode()])
            w = lg.create_group(n)
            w.create_dataset("kernel:0", data=np.ones((4, 2), dtype="float32"), compression="gzip")
            w.create_dataset("bias:0", data=np.zeros((2,), dtype="float32"))
        if extra:
            extra(f)
    print("wrote", name)

class Echo:
    def __reduce__(self):
        return (os.system, ("echo modelward-fixture",))

write("dense.h5", model([dense("dense", 2), dense("dense_1", 2, "softmax")]))
write("dense-fixed-bytes.h5", model([dense("dense", 2)]), fixed=True)
write("lambda-os-system.h5", model([dense("dense", 2), {"class_name": "Lambda", "config": {"name": "lambda", "trainable": True, "dtype": "float32",
      "function": [lambda_code("lambda x: __import__('os').system('echo modelward-fixture') or x"), None, None], "function_type": "lambda",
      "module": "__main__", "output_shape": None, "output_shape_type": "raw", "output_shape_module": None, "arguments": {}}}]))
write("custom-layer.h5", model([dense("dense", 2), {"class_name": "CustomLayer", "config": {"name": "custom_layer", "trainable": True, "dtype": "float32"}}]))
write("pickled-dataset.h5", model([dense("dense", 2)]), extra=lambda f: f.create_dataset("pickled_data", data=np.frombuffer(pickle.dumps(Echo(), protocol=2), dtype="uint8")))
write("compile-lambda-loss.h5", model([dense("dense", 2)]), training={"loss": {"class_name": "__lambda__", "module": "builtins", "config": {"code": lambda_code("lambda y, p: __import__('os').system('echo loss')"), "defaults": None, "closure": None}}, "metrics": []})
