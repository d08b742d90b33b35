#!/usr/bin/python3
# Generates test/Import/Inputs/edge-*.{onnx,npy}: small ONNX models built
# with onnx.helper (no exporter in between) that exercise ONNX semantics an
# exporter may or may not produce, each with an input and the expected
# output computed here with numpy. Run from the repository root with
# Debian's /usr/bin/python3 (python3-onnx, python3-numpy); the generated
# files are committed.
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = "test/Import/Inputs/"
rng = np.random.default_rng(7)


def save(model, name, inputs, expected):
    onnx.checker.check_model(model)
    onnx.save(model, OUT + name + ".onnx")
    np.save(OUT + name + "-input.npy", inputs)
    np.save(OUT + name + "-expected.npy", expected.astype(np.float32))


def qdq(x, scale, zp, lo, hi):
    q = np.clip(np.round(x / scale) + zp, lo, hi)  # np.round: ties to even
    return ((q - zp) * scale).astype(np.float32)


# Negative integer constants: Reshape with -1 (PyTorch's flatten), negative
# Unsqueeze/Squeeze axes, and an int8 zero point of -3.
x = rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
w = rng.standard_normal((24, 5)).astype(np.float32)
nodes = [
    helper.make_node("Reshape", ["x", "shape"], ["flat"], name="flatten"),
    helper.make_node("QuantizeLinear", ["flat", "s", "zp"], ["q"], name="q"),
    helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["dq"], name="dq"),
    helper.make_node("MatMul", ["dq", "w"], ["mm"], name="mm"),
    helper.make_node("Unsqueeze", ["mm", "axes_u"], ["u"], name="unsqueeze"),
    helper.make_node("Squeeze", ["u", "axes_s"], ["y"], name="squeeze"),
]
inits = [
    numpy_helper.from_array(np.array([1, -1], np.int64), "shape"),
    numpy_helper.from_array(np.array(0.02, np.float32), "s"),
    numpy_helper.from_array(np.array(-3, np.int8), "zp"),
    numpy_helper.from_array(w, "w"),
    numpy_helper.from_array(np.array([-1], np.int64), "axes_u"),
    numpy_helper.from_array(np.array([-1], np.int64), "axes_s"),
]
graph = helper.make_graph(
    nodes, "negative_ints",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
y = qdq(x.reshape(1, -1), 0.02, -3, -128, 127) @ w
save(model, "edge-negative-ints", x, y)

# Gemm biases of shape [M, N] and [M, 1] (rows differ) on a 3-row input.
x = rng.standard_normal((3, 4)).astype(np.float32)
b1 = rng.standard_normal((4, 2)).astype(np.float32)
c1 = rng.standard_normal((3, 2)).astype(np.float32)
b2 = rng.standard_normal((4, 2)).astype(np.float32)
c2 = rng.standard_normal((3, 1)).astype(np.float32)
nodes = [
    helper.make_node("Gemm", ["x", "b1", "c1"], ["h"], name="gemm_mn"),
    helper.make_node("Gemm", ["h", "b2", "c2"], ["y"], name="gemm_m1",
                     transB=1),
]
inits = [numpy_helper.from_array(a, n) for a, n in
         [(b1, "b1"), (c1, "c1"), (b2, "b2"), (c2, "c2")]]
graph = helper.make_graph(
    nodes, "gemm_bias",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
y = (x @ b1 + c1) @ b2.T + c2
save(model, "edge-gemm-bias", x, y)
