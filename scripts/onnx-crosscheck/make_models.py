"""Builds ONNX models with the real `onnx` library (Debian python3-onnx) for
scripts/onnx-crosscheck/run.mjs: each model's file name says which Modelward
rule it must raise (or `clean`). Optional, never used by tests or CI: it checks
the analyzer against bytes written by onnx itself, not by our own builder.
Nothing here is loaded or run; the PyOp module name is a placeholder.

    python3 scripts/onnx-crosscheck/make_models.py OUT_DIR
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
expected = {}


def graph(nodes, inits=(), name="g"):
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 4])
    return helper.make_graph(nodes, name, [x], [y], list(inits))


def save(name, model, rules):
    onnx.save(model, os.path.join(out, name))
    expected[name] = rules


w = numpy_helper.from_array(np.zeros((4, 4), dtype=np.float32), "W")
dense = [helper.make_node("MatMul", ["X", "W"], ["Y"])]
save("clean-dense.onnx", helper.make_model(graph(dense, [w]), opset_imports=[helper.make_opsetid("", 13)]), [])

pyop = helper.make_node("PyOp", ["X"], ["Y"], domain="ai.onnx.contrib", module="placeholder_module", class_name="Placeholder", compute="compute")
save("python-op.onnx", helper.make_model(graph([pyop]), opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.contrib", 1)]), ["onnx/python-op"])

custom = helper.make_node("FastThing", ["X"], ["Y"], domain="com.acme")
save("custom-domain.onnx", helper.make_model(graph([custom]), opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.acme", 1)]), ["onnx/custom-domain"])

ext = TensorProto()
ext.CopyFrom(w)
ext.ClearField("raw_data")
ext.data_location = TensorProto.EXTERNAL
for k, v in (("location", "../../etc/passwd"), ("offset", "0"), ("length", "64")):
    e = ext.external_data.add()
    e.key, e.value = k, v
save("external-escape.onnx", helper.make_model(graph(dense, [ext]), opset_imports=[helper.make_opsetid("", 13)]), ["onnx/external-data-escape"])

meta = helper.make_model(graph(dense, [w]), opset_imports=[helper.make_opsetid("", 13)])
helper.set_model_props(meta, {"postprocess": "__import__('os').system('echo pwned')"})
save("metadata-code.onnx", meta, ["onnx/code-in-metadata"])

then_g = helper.make_graph([pyop], "then", [], [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 4])])
iff = helper.make_node("If", ["c"], ["Y"], then_branch=then_g, else_branch=then_g)
save("python-op-in-if.onnx", helper.make_model(graph([iff]), opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.contrib", 1)]), ["onnx/python-op"])

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(f"{len(expected)} models in {out}")
