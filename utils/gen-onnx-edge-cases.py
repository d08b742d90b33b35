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


# Windows (Conv, MaxPool, AveragePool) where ONNX's floor or ceil rule and
# TOSA's exact division disagree: the stride-2 3x3 downsampling on an even
# size, windows that leave rows unread, auto_pad SAME_UPPER/SAME_LOWER/VALID,
# asymmetric pads with dilation, ceil_mode, count_include_pad. Each branch
# is flattened and all are concatenated into one output. References from
# PyTorch (torch.nn.functional), which follows the same rules as ONNX
# Runtime.
import torch
import torch.nn.functional as F


def same_pads(size, k, s, lower):
    out = -(-size // s)
    total = max(0, (out - 1) * s + k - size)
    small = total // 2
    before = total - small if lower else small
    return before, total - before


def window_model(name, shape, branches):
    """branches: (onnx node kwargs, torch function of x) pairs."""
    x = rng.standard_normal(shape).astype(np.float32)
    xt = torch.from_numpy(x)
    nodes, inits, flats, expected = [], [], [], []
    for i, (op, attrs, weight, fn) in enumerate(branches):
        inputs = ["x"]
        if weight is not None:
            inits.append(numpy_helper.from_array(weight, "w%d" % i))
            inputs.append("w%d" % i)
        nodes.append(helper.make_node(op, inputs, ["b%d" % i],
                                      name="%s_%d" % (op.lower(), i), **attrs))
        nodes.append(helper.make_node("Flatten", ["b%d" % i], ["f%d" % i],
                                      name="flatten_%d" % i))
        flats.append("f%d" % i)
        expected.append(fn(xt).reshape(1, -1))
    nodes.append(helper.make_node("Concat", flats, ["y"], name="concat",
                                  axis=1))
    y = torch.cat(expected, 1).numpy()
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    save(model, name, x, y)


def conv_weight(o, c, k):
    return (rng.standard_normal((o, c, k, k)) * 0.3).astype(np.float32)


w3 = conv_weight(4, 3, 3)
w2 = conv_weight(2, 3, 2)
w3d = conv_weight(2, 3, 3)
wt = lambda w: torch.from_numpy(w)
window_model("edge-windows-even", (1, 3, 8, 8), [
    # ResNet's downsampling: 3x3, stride 2, pad 1 on 8x8 -> 4x4.
    ("Conv", dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), w3,
     lambda x: F.conv2d(x, wt(w3), stride=2, padding=1)),
    # No pad: the last row and column are never read.
    ("Conv", dict(kernel_shape=[3, 3], strides=[2, 2]), w3,
     lambda x: F.conv2d(x, wt(w3), stride=2)),
    # ResNet's stem pool.
    ("MaxPool", dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
     None, lambda x: F.max_pool2d(x, 3, 2, 1)),
    ("MaxPool", dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1), None,
     lambda x: F.max_pool2d(x, 3, 2, ceil_mode=True)),
    ("AveragePool", dict(kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1), None,
     lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=True)),
    ("AveragePool", dict(kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]), None,
     lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)),
])

def padded(x, k, s, lower, value=0.0):
    top, bottom = same_pads(x.shape[2], k, s, lower)
    left, right = same_pads(x.shape[3], k, s, lower)
    return F.pad(x, (left, right, top, bottom), value=value)


window_model("edge-windows-odd", (1, 3, 7, 9), [
    ("Conv", dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
     w3, lambda x: F.conv2d(padded(x, 3, 2, False), wt(w3), stride=2)),
    ("Conv", dict(kernel_shape=[2, 2], auto_pad="SAME_LOWER"), w2,
     lambda x: F.conv2d(padded(x, 2, 1, True), wt(w2))),
    ("Conv", dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="VALID"), w3,
     lambda x: F.conv2d(x, wt(w3), stride=2)),
    # Asymmetric pads (top 1, left 0, bottom 2, right 1), dilation 2.
    ("Conv", dict(kernel_shape=[3, 3], strides=[2, 2], dilations=[2, 2],
                  pads=[1, 0, 2, 1]), w3d,
     lambda x: F.conv2d(F.pad(x, (0, 1, 1, 2)), wt(w3d), stride=2,
                        dilation=2)),
    ("MaxPool", dict(kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1), None,
     lambda x: F.max_pool2d(x, 2, 2, ceil_mode=True)),
    ("MaxPool", dict(kernel_shape=[3, 3], strides=[2, 2],
                     auto_pad="SAME_UPPER"), None,
     lambda x: F.max_pool2d(padded(x, 3, 2, False, -np.inf), 3, 2)),
    ("AveragePool", dict(kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], ceil_mode=1,
                         count_include_pad=1), None,
     lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True,
                            count_include_pad=True)),
    ("AveragePool", dict(kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
     None, lambda x: F.avg_pool2d(x, 2, 2, ceil_mode=True,
                                  count_include_pad=False)),
])


# Windows that cannot be imported: each must be a clear error naming the
# node (test/Import/onnx-errors.test). Not checked by onnx.checker.
def bad_window(name, op, attrs, in_shape, out_shape, weight=None):
    inputs, inits = ["x"], []
    if weight is not None:
        inputs.append("w")
        inits.append(numpy_helper.from_array(weight, "w"))
    outputs = ["y"] + (["indices"] if op == "MaxPoolWithIndices" else [])
    op = "MaxPool" if op == "MaxPoolWithIndices" else op
    node = helper.make_node(op, inputs, outputs, name="bad_" + op.lower(),
                            **attrs)
    graph_outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                                   out_shape)]
    if len(outputs) > 1:
        graph_outputs.append(helper.make_tensor_value_info(
            "indices", TensorProto.INT64, out_shape))
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
        graph_outputs, inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, OUT + name + ".onnx")


bad_window("bad-window-dilated-pool", "MaxPool",
           dict(kernel_shape=[2, 2], dilations=[2, 2]), [1, 1, 6, 6],
           [1, 1, 4, 4])
bad_window("bad-window-indices", "MaxPoolWithIndices",
           dict(kernel_shape=[2, 2], strides=[2, 2]), [1, 1, 6, 6],
           [1, 1, 3, 3])
bad_window("bad-window-too-large", "Conv", dict(kernel_shape=[5, 5]),
           [1, 1, 3, 3], [1, 1, 1, 1],
           np.ones((1, 1, 5, 5), np.float32))
bad_window("bad-window-stride-0", "Conv",
           dict(kernel_shape=[1, 1], strides=[0, 1]), [1, 1, 3, 3],
           [1, 1, 3, 3], np.ones((1, 1, 1, 1), np.float32))


# Broadcasting (numpy rules) in Add/Sub/Mul/Div/Sum with activations held
# NHWC: a squeeze-and-excitation Mul of [1,C,H,W] by [1,C,1,1] (both
# computed), a constant of lower rank ([C,1,1], DenseNet's exported
# BatchNorm) and of higher rank ([2,1,1,1,1]: the result is 5-D), a
# constant left operand, Div by a computed value, Sum of three inputs.
x = rng.standard_normal((1, 3, 4, 5)).astype(np.float32)
k_low = rng.standard_normal((3, 1, 1)).astype(np.float32)
k_high = rng.standard_normal((2, 1, 1, 1, 1)).astype(np.float32)
k_left = rng.standard_normal((1, 5)).astype(np.float32)
nodes = [
    helper.make_node("GlobalAveragePool", ["x"], ["gap"], name="gap"),
    helper.make_node("Sigmoid", ["gap"], ["gate"], name="gate"),
    helper.make_node("Mul", ["x", "gate"], ["se"], name="se_mul"),
    helper.make_node("Mul", ["se", "k_low"], ["bn"], name="bn_mul"),
    helper.make_node("Sub", ["k_left", "bn"], ["left"], name="left_sub"),
    helper.make_node("Add", ["gate", "one"], ["denom"], name="denom_add"),
    helper.make_node("Div", ["left", "denom"], ["div"], name="div"),
    helper.make_node("Sum", ["div", "x", "se"], ["sum"], name="sum3"),
    helper.make_node("Add", ["sum", "k_high"], ["y"], name="high_add"),
]
inits = [numpy_helper.from_array(a, n) for a, n in
         [(k_low, "k_low"), (k_high, "k_high"), (k_left, "k_left"),
          (np.array([1.0], np.float32), "one")]]
gate = 1 / (1 + np.exp(-x.mean(axis=(2, 3), keepdims=True)))
se = x * gate
div = (k_left - se * k_low) / (gate + 1)
y = (div + x + se) + k_high
graph = helper.make_graph(
    nodes, "broadcast",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 5])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))],
    inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
save(model, "edge-broadcast", x, y)


# Exported by PyTorch (opset 14): ShuffleNet's channel shuffle (x.size()
# becomes Shape -> Gather -> Div -> Reshape, folded at import), chunk
# (Slice with computed ends), MobileNetV3's hardswish and hardsigmoid,
# a global mean (ReduceMean, keepdims 0 and 1), F.pad (a shape subgraph with
# ConstantOfShape) and Dropout in eval mode.
class Blocks(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8, 5)
        self.drop = torch.nn.Dropout(0.5)

    def forward(self, x):
        x = self.conv(x)
        b, c, h, w = x.size()
        x = x.view(b, 2, c // 2, h, w).transpose(1, 2).reshape(b, c, h, w)
        left, right = x.chunk(2, dim=1)
        x = torch.cat([F.hardswish(left), F.hardsigmoid(right)], 1)
        x = F.pad(x, (1, 0, 0, 1))
        scale = x.mean(dim=(2, 3), keepdim=True)
        x = x * scale
        return self.fc(self.drop(x.mean(dim=(2, 3))))


torch.manual_seed(3)
blocks = Blocks().eval()
x = torch.randn(1, 4, 6, 6)
with torch.no_grad():
    y = blocks(x)
torch.onnx.export(blocks, x, OUT + "edge-pytorch-blocks.onnx", opset_version=14,
                  input_names=["x"], output_names=["y"])
np.save(OUT + "edge-pytorch-blocks-input.npy", x.numpy())
np.save(OUT + "edge-pytorch-blocks-expected.npy", y.numpy())


# Shape arithmetic that cannot fold: an integer division by zero.
nodes = [
    helper.make_node("Shape", ["x"], ["shape"], name="shape"),
    helper.make_node("Div", ["shape", "zero"], ["bad"], name="div_by_zero"),
    helper.make_node("Reshape", ["x", "bad"], ["y"], name="reshape"),
]
graph = helper.make_graph(
    nodes, "bad_fold",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
    [numpy_helper.from_array(np.array([1, 0], np.int64), "zero")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          OUT + "bad-fold-div-zero.onnx")


# Older opsets, as most published models are: PyTorch exports at opsets 9
# and 11 (Clip with attributes or inputs, Unsqueeze and Squeeze with axes
# attributes, Pad before opset 11), which the importer first converts to
# opset 13 with ONNX's version converter.
class OldOps(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.fc = torch.nn.Linear(4 * 2 * 2, 5)

    def forward(self, x):
        x = F.relu6(self.conv(F.pad(x, (1, 1, 1, 1))))
        x = F.max_pool2d(x, 3, 3)
        x = x.unsqueeze(1).squeeze(1)
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)


torch.manual_seed(4)
old = OldOps().eval()
x = torch.randn(1, 3, 6, 6)
with torch.no_grad():
    y = old(x)
for opset in (9, 11):
    torch.onnx.export(old, x, OUT + "edge-opset%d.onnx" % opset,
                      opset_version=opset, input_names=["x"],
                      output_names=["y"])
np.save(OUT + "edge-opset-input.npy", x.numpy())
np.save(OUT + "edge-opset-expected.npy", y.numpy())

# An opset newer than the ONNX library knows.
graph = helper.make_graph(
    [helper.make_node("Relu", ["x"], ["y"], name="relu")], "future",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 99)]),
          OUT + "bad-opset99.onnx")


# ONNX Runtime's QDQ format: int8 weight initializers behind
# DequantizeLinear (per channel for the conv, per tensor for the MatMul),
# an int32 bias at scale s_x * s_w, u8 activations into the conv and s8
# (symmetric) ones into the MatMul. The expected output follows the QDQ
# semantics in numpy (round half to even, as QuantizeLinear).
def quantize(v, s, z, lo, hi):
    return np.clip(np.round(v / s) + z, lo, hi)


x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
s_x, z_x = np.float32(0.02), 128
w = (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
s_w = (np.abs(w).reshape(4, -1).max(1) / 127).astype(np.float32)
w_q = np.clip(np.round(w / s_w[:, None, None, None]), -127, 127).astype(np.int8)
b = rng.standard_normal(4).astype(np.float32) * 0.1
s_b = (s_x * s_w).astype(np.float32)
b_q = np.round(b / s_b).astype(np.int32)
s_y, z_y = np.float32(0.015), 0
s_a = np.float32(0.017)
w2 = (rng.standard_normal((64, 5)) * 0.2).astype(np.float32)
s_w2 = np.float32(np.abs(w2).max() / 127)
w2_q = np.clip(np.round(w2 / s_w2), -127, 127).astype(np.int8)

x_fq = ((quantize(x, s_x, z_x, 0, 255) - z_x) * s_x).astype(np.float32)
w_dq = (w_q.astype(np.float32) * s_w[:, None, None, None]).astype(np.float32)
b_dq = (b_q.astype(np.float32) * s_b).astype(np.float32)
conv = F.conv2d(torch.from_numpy(x_fq), torch.from_numpy(w_dq),
                torch.from_numpy(b_dq), padding=1).numpy()
y = np.maximum(conv, 0)
y_fq = ((quantize(y, s_y, z_y, 0, 255) - z_y) * s_y).astype(np.float32)
flat = y_fq.reshape(1, 4, 8, 8)[:, :, ::2, ::2].reshape(1, 64)
flat_fq = (quantize(flat, s_a, 0, -128, 127) * s_a).astype(np.float32)
out = flat_fq @ (w2_q.astype(np.float32) * s_w2)

nodes = [
    helper.make_node("QuantizeLinear", ["x", "s_x", "z_x"], ["x_q"], name="x_q"),
    helper.make_node("DequantizeLinear", ["x_q", "s_x", "z_x"], ["x_dq"], name="x_dq"),
    helper.make_node("DequantizeLinear", ["w_q", "s_w", "z_w"], ["w_dq"], name="w_dq", axis=0),
    helper.make_node("DequantizeLinear", ["b_q", "s_b"], ["b_dq"], name="b_dq", axis=0),
    helper.make_node("Conv", ["x_dq", "w_dq", "b_dq"], ["conv"], name="conv",
                     kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
    helper.make_node("QuantizeLinear", ["relu", "s_y", "z_y"], ["y_q"], name="y_q"),
    helper.make_node("DequantizeLinear", ["y_q", "s_y", "z_y"], ["y_dq"], name="y_dq"),
    helper.make_node("Slice", ["y_dq", "starts", "ends", "axes", "steps"], ["sub"],
                     name="subsample"),
    helper.make_node("Reshape", ["sub", "flat_shape"], ["flat"], name="flatten"),
    helper.make_node("QuantizeLinear", ["flat", "s_a", "z_a"], ["a_q"], name="a_q"),
    helper.make_node("DequantizeLinear", ["a_q", "s_a", "z_a"], ["a_dq"], name="a_dq"),
    helper.make_node("DequantizeLinear", ["w2_q", "s_w2", "z_w2"], ["w2_dq"], name="w2_dq"),
    helper.make_node("MatMul", ["a_dq", "w2_dq"], ["y"], name="matmul"),
]
inits = [
    numpy_helper.from_array(s_x, "s_x"), numpy_helper.from_array(np.uint8(z_x), "z_x"),
    numpy_helper.from_array(w_q, "w_q"), numpy_helper.from_array(s_w, "s_w"),
    numpy_helper.from_array(np.zeros(4, np.int8), "z_w"),
    numpy_helper.from_array(b_q, "b_q"), numpy_helper.from_array(s_b, "s_b"),
    numpy_helper.from_array(s_y, "s_y"), numpy_helper.from_array(np.uint8(z_y), "z_y"),
    numpy_helper.from_array(np.array([0, 0], np.int64), "starts"),
    numpy_helper.from_array(np.array([8, 8], np.int64), "ends"),
    numpy_helper.from_array(np.array([2, 3], np.int64), "axes"),
    numpy_helper.from_array(np.array([2, 2], np.int64), "steps"),
    numpy_helper.from_array(np.array([1, 64], np.int64), "flat_shape"),
    numpy_helper.from_array(s_a, "s_a"), numpy_helper.from_array(np.int8(0), "z_a"),
    numpy_helper.from_array(w2_q, "w2_q"), numpy_helper.from_array(s_w2, "s_w2"),
    numpy_helper.from_array(np.int8(0), "z_w2"),
]
graph = helper.make_graph(
    nodes, "ort_qdq",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
save(model, "edge-ort-qdq", x, out)


# ONNX Runtime's QOperator format: QuantizeLinear, QLinearConv (int8
# per-channel weights, int32 bias), DequantizeLinear, Flatten,
# QuantizeLinear, QLinearMatMul, DequantizeLinear. The expected values
# follow the integer semantics: y = saturate(round(acc * s_x s_w / s_y) +
# z_y) with acc the int32 sum (ties to even, as ONNX Runtime).
x = rng.standard_normal((1, 3, 6, 6)).astype(np.float32)
s_x, z_x = np.float32(0.021), 120
w = (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
s_w = (np.abs(w).reshape(4, -1).max(1) / 127).astype(np.float32)
w_q = np.clip(np.round(w / s_w[:, None, None, None]), -127, 127).astype(np.int8)
b_q = np.round(rng.standard_normal(4) * 0.1 / (s_x * s_w)).astype(np.int32)
s_y, z_y = np.float32(0.031), 100
s_m, z_m = np.float32(0.019), 128
w2 = (rng.standard_normal((64, 5)) * 0.2).astype(np.float32)
s_w2 = np.float32(np.abs(w2).max() / 127)
w2_q = np.clip(np.round(w2 / s_w2), -127, 127).astype(np.int8)
s_o, z_o = np.float32(0.05), 128

x_q = quantize(x, s_x, z_x, 0, 255)
acc = F.conv2d(torch.from_numpy((x_q - z_x).astype(np.float64)),
               torch.from_numpy(w_q.astype(np.float64)), stride=1).numpy()
acc += b_q[None, :, None, None]
y_q = np.clip(np.round(acc * (s_x * s_w.astype(np.float64))[None, :, None, None] / s_y) + z_y, 0, 255)
y = ((y_q - z_y) * s_y).astype(np.float32).reshape(1, 64)
m_q = quantize(y, s_m, z_m, 0, 255)
acc2 = (m_q - z_m).astype(np.float64) @ w2_q.astype(np.float64)
o_q = np.clip(np.round(acc2 * (np.float64(s_m) * s_w2) / s_o) + z_o, 0, 255)
out = ((o_q - z_o) * s_o).astype(np.float32)

nodes = [
    helper.make_node("QuantizeLinear", ["x", "s_x", "z_x"], ["x_q"], name="x_q"),
    helper.make_node("QLinearConv", ["x_q", "s_x", "z_x", "w_q", "s_w", "z_w",
                                     "s_y", "z_y", "b_q"], ["y_q"], name="qconv",
                     kernel_shape=[3, 3]),
    helper.make_node("DequantizeLinear", ["y_q", "s_y", "z_y"], ["y"], name="y_dq"),
    helper.make_node("Flatten", ["y"], ["flat"], name="flatten"),
    helper.make_node("QuantizeLinear", ["flat", "s_m", "z_m"], ["m_q"], name="m_q"),
    helper.make_node("QLinearMatMul", ["m_q", "s_m", "z_m", "w2_q", "s_w2", "z_w2",
                                       "s_o", "z_o"], ["o_q"], name="qmatmul"),
    helper.make_node("DequantizeLinear", ["o_q", "s_o", "z_o"], ["out"], name="out_dq"),
]
inits = [
    numpy_helper.from_array(s_x, "s_x"), numpy_helper.from_array(np.uint8(z_x), "z_x"),
    numpy_helper.from_array(w_q, "w_q"), numpy_helper.from_array(s_w, "s_w"),
    numpy_helper.from_array(np.zeros(4, np.int8), "z_w"),
    numpy_helper.from_array(b_q, "b_q"),
    numpy_helper.from_array(s_y, "s_y"), numpy_helper.from_array(np.uint8(z_y), "z_y"),
    numpy_helper.from_array(s_m, "s_m"), numpy_helper.from_array(np.uint8(z_m), "z_m"),
    numpy_helper.from_array(w2_q, "w2_q"), numpy_helper.from_array(s_w2, "s_w2"),
    numpy_helper.from_array(np.int8(0), "z_w2"),
    numpy_helper.from_array(s_o, "s_o"), numpy_helper.from_array(np.uint8(z_o), "z_o"),
]
graph = helper.make_graph(
    nodes, "qoperator",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 6, 6])],
    [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 5])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
save(model, "edge-qoperator", x, out)


# Grouped convolution (ResNeXt, ShuffleNet v1: groups other than the
# channel count) and Split, exported by PyTorch.
class Grouped(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 6, 3, padding=1, groups=2)
        self.conv2 = torch.nn.Conv2d(6, 6, 1, groups=3, bias=False)

    def forward(self, x):
        a, b = torch.split(self.conv2(self.conv(x)), [2, 4], dim=1)
        return torch.cat([b, a * 2], 1)


torch.manual_seed(5)
grouped = Grouped().eval()
x = torch.randn(1, 4, 5, 5)
with torch.no_grad():
    y = grouped(x)
torch.onnx.export(grouped, x, OUT + "edge-grouped.onnx", opset_version=13,
                  input_names=["x"], output_names=["y"])
np.save(OUT + "edge-grouped-input.npy", x.numpy())
np.save(OUT + "edge-grouped-expected.npy", y.numpy())

# The same grouped conv quantized (QDQ, per-channel weights): the groups
# share the per-channel scales of the whole weight.
x = rng.standard_normal((1, 4, 5, 5)).astype(np.float32)
w = (rng.standard_normal((6, 2, 3, 3)) * 0.3).astype(np.float32)
s_w = (np.abs(w).reshape(6, -1).max(1) / 127).astype(np.float32)
s_x, s_y = np.float32(0.02), np.float32(0.03)
x_fq = (quantize(x, s_x, 128, 0, 255) - 128) * s_x
w_fq = quantize(w, s_w[:, None, None, None], 0, -127, 127) * s_w[:, None, None, None]
conv = F.conv2d(torch.from_numpy(x_fq.astype(np.float32)),
                torch.from_numpy(w_fq.astype(np.float32)), padding=1, groups=2).numpy()
y = ((quantize(conv, s_y, 128, 0, 255) - 128) * s_y).astype(np.float32)
nodes = [
    helper.make_node("QuantizeLinear", ["x", "s_x", "z"], ["x_q"], name="x_q"),
    helper.make_node("DequantizeLinear", ["x_q", "s_x", "z"], ["x_dq"], name="x_dq"),
    helper.make_node("QuantizeLinear", ["w", "s_w", "z_w"], ["w_q"], name="w_q", axis=0),
    helper.make_node("DequantizeLinear", ["w_q", "s_w", "z_w"], ["w_dq"], name="w_dq", axis=0),
    helper.make_node("Conv", ["x_dq", "w_dq"], ["conv"], name="grouped_conv",
                     kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=2),
    helper.make_node("QuantizeLinear", ["conv", "s_y", "z"], ["y_q"], name="y_q"),
    helper.make_node("DequantizeLinear", ["y_q", "s_y", "z"], ["y"], name="y_dq"),
]
inits = [numpy_helper.from_array(s_x, "s_x"), numpy_helper.from_array(np.uint8(128), "z"),
         numpy_helper.from_array(w, "w"), numpy_helper.from_array(s_w, "s_w"),
         numpy_helper.from_array(np.zeros(6, np.int8), "z_w"),
         numpy_helper.from_array(s_y, "s_y")]
graph = helper.make_graph(
    nodes, "grouped_qdq",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 5, 5])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 5, 5])], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-grouped-qdq", x, y)


# LocalResponseNorm (AlexNet, GoogLeNet v1 as the ONNX zoo has them), with
# an odd and an even window. The reference follows ONNX's definition
# (window floor((size-1)/2) channels before, ceil after; PyTorch's
# local_response_norm puts the extra channel before instead).
x = (rng.standard_normal((1, 6, 3, 4)) * 3).astype(np.float32)
nodes = [
    helper.make_node("LRN", ["x"], ["a"], name="lrn5", size=5, alpha=1e-3,
                     beta=0.75, bias=2.0),
    helper.make_node("LRN", ["x"], ["b"], name="lrn4", size=4, alpha=0.5,
                     beta=0.5, bias=1.0),
    helper.make_node("Concat", ["a", "b"], ["y"], name="concat", axis=1),
]
def lrn(x, size, alpha, beta, bias):
    c = x.shape[1]
    out = np.empty_like(x)
    for i in range(c):
        lo, hi = max(0, i - (size - 1) // 2), min(c - 1, i + size // 2)
        sq = (x[:, lo:hi + 1] ** 2).sum(axis=1)
        out[:, i] = x[:, i] / (bias + alpha / size * sq) ** beta
    return out


y = np.concatenate([lrn(x, 5, 1e-3, 0.75, 2.0), lrn(x, 4, 0.5, 0.5, 1.0)], 1)
graph = helper.make_graph(
    nodes, "lrn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 12, 3, 4])])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-lrn", x, y)


# Nearest upsampling as PyTorch exports it (Resize, asymmetric
# coordinates, floor) by 2 and by (3, 2), and a half_pixel Resize built
# from sizes.
class Upsample(torch.nn.Module):
    def forward(self, x):
        a = F.interpolate(x, scale_factor=2, mode="nearest")
        b = F.interpolate(x, scale_factor=(3, 2), mode="nearest")
        return torch.cat([a.flatten(1), b.flatten(1)], 1)


x = torch.randn(1, 2, 3, 4)
with torch.no_grad():
    y = Upsample()(x)
torch.onnx.export(Upsample(), x, OUT + "edge-resize.onnx", opset_version=13,
                  input_names=["x"], output_names=["y"])
np.save(OUT + "edge-resize-input.npy", x.numpy())
np.save(OUT + "edge-resize-expected.npy", y.numpy())

x = rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
nodes = [helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], name="resize",
                          mode="nearest", coordinate_transformation_mode="half_pixel")]
graph = helper.make_graph(
    nodes, "resize_sizes",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 9, 8])],
    [numpy_helper.from_array(np.array([1, 2, 9, 8], np.int64), "sizes")])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-resize-sizes", x, x.repeat(3, axis=2).repeat(2, axis=3))

# Bilinear resizing is refused, naming the node.
nodes = [helper.make_node("Resize", ["x", "", "scales"], ["y"], name="bilinear",
                          mode="linear")]
graph = helper.make_graph(
    nodes, "resize_linear",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 6, 8])],
    [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          OUT + "bad-resize-linear.onnx")


# Gather on an activation with constant indices: a scalar index (x[:, 1],
# the axis goes) and a list with a negative index.
x = rng.standard_normal((2, 3, 4)).astype(np.float32)
nodes = [
    helper.make_node("Gather", ["x", "i0"], ["a"], name="pick", axis=1),
    helper.make_node("Gather", ["x", "i1"], ["b"], name="select", axis=2),
    helper.make_node("Flatten", ["a"], ["fa"], name="fa"),
    helper.make_node("Flatten", ["b"], ["fb"], name="fb"),
    helper.make_node("Concat", ["fa", "fb"], ["y"], name="concat", axis=1),
]
inits = [numpy_helper.from_array(np.array(1, np.int64), "i0"),
         numpy_helper.from_array(np.array([3, -4, 1], np.int64), "i1")]
y = np.concatenate([x[:, 1].reshape(2, -1), x[:, :, [3, 0, 1]].reshape(2, -1)], 1)
graph = helper.make_graph(
    nodes, "gather",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-gather", x, y)


# A Softmax between QuantizeLinear/DequantizeLinear pairs: imported (as
# reduce_max, sub, exp, reduce_sum, reciprocal, mul), but with no integer
# lowering, so the QAT lowering refuses it and names the node.
qp = [numpy_helper.from_array(np.array(0.01, np.float32), "s"),
      numpy_helper.from_array(np.array(0, np.int8), "z")]
nodes = [
    helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"], name="quant_in"),
    helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["xd"], name="dequant_in"),
    helper.make_node("Softmax", ["xd"], ["p"], name="head/softmax", axis=1),
    helper.make_node("QuantizeLinear", ["p", "s", "z"], ["pq"], name="quant_out"),
    helper.make_node("DequantizeLinear", ["pq", "s", "z"], ["y"], name="dequant_out"),
]
graph = helper.make_graph(
    nodes, "qdq_softmax",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])], qp)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          OUT + "bad-qdq-softmax.onnx")


# Dynamic quantization as ONNX Runtime's quantize_dynamic writes it:
# DynamicQuantizeLinear computes each call's u8 scale and zero point from
# the input's range, MatMulInteger multiplies the levels by int8 (and, in a
# second layer, uint8 with a zero point) weights in int32, and the result is
# cast to float and scaled by x_scale * w_scale. Eight items, one call each
# (the range, so the scale, differs per item); the expected values follow
# the ONNX specification in float32 arithmetic.
def dynamic_quantize(v):
    lo = np.float32(min(np.float32(0), v.min()))
    hi = np.float32(max(np.float32(0), v.max()))
    scale = np.float32((hi - lo) / np.float32(255)) if hi != lo else np.float32(1)
    zp = np.float32(np.clip(np.round(np.float32(0) - lo / scale), 0, 255))
    q = np.clip(np.round(v / scale) + zp, 0, 255).astype(np.float32)
    return q, scale, zp


rng = np.random.default_rng(11)
w1 = rng.standard_normal((16, 8)).astype(np.float32)
s1 = np.float32(np.abs(w1).max() / 127)
w1_q = np.clip(np.round(w1 / s1), -127, 127).astype(np.int8)
b1 = (rng.standard_normal(8) * 0.1).astype(np.float32)
w2 = rng.standard_normal((8, 5)).astype(np.float32)
s2 = np.float32((w2.max() - w2.min()) / 255)
z2 = np.uint8(np.clip(np.round(-w2.min() / s2), 0, 255))
w2_q = np.clip(np.round(w2 / s2) + z2, 0, 255).astype(np.uint8)

x = (rng.standard_normal((8, 16)) * np.linspace(0.2, 3.0, 8)[:, None]).astype(np.float32)
out = []
for row in x:
    q, sc, zp = dynamic_quantize(row[None, :])
    acc = ((q - zp).astype(np.int64) @ w1_q.astype(np.int64)).astype(np.int32)
    h = acc.astype(np.float32) * np.float32(sc * s1) + b1
    h = np.maximum(h, np.float32(0))
    q2, sc2, zp2 = dynamic_quantize(h)
    acc2 = ((q2 - zp2).astype(np.int64) @ (w2_q.astype(np.int64) - int(z2))).astype(np.int32)
    out.append(acc2.astype(np.float32) * np.float32(sc2 * s2))
out = np.concatenate(out).astype(np.float32)

nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["x_q", "x_s", "x_z"], name="x_dq"),
    helper.make_node("MatMulInteger", ["x_q", "w1_q", "x_z"], ["acc1"], name="fc1"),
    helper.make_node("Cast", ["acc1"], ["acc1_f"], name="fc1_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["x_s", "s1"], ["scale1"], name="fc1_scale"),
    helper.make_node("Mul", ["acc1_f", "scale1"], ["h0"], name="fc1_mul"),
    helper.make_node("Add", ["h0", "b1"], ["h1"], name="fc1_bias"),
    helper.make_node("Relu", ["h1"], ["h"], name="relu"),
    helper.make_node("DynamicQuantizeLinear", ["h"], ["h_q", "h_s", "h_z"], name="h_dq"),
    helper.make_node("MatMulInteger", ["h_q", "w2_q", "h_z", "z2"], ["acc2"], name="fc2"),
    helper.make_node("Cast", ["acc2"], ["acc2_f"], name="fc2_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["h_s", "s2"], ["scale2"], name="fc2_scale"),
    helper.make_node("Mul", ["acc2_f", "scale2"], ["y"], name="fc2_mul"),
]
inits = [numpy_helper.from_array(w1_q, "w1_q"), numpy_helper.from_array(s1, "s1"),
         numpy_helper.from_array(b1, "b1"), numpy_helper.from_array(w2_q, "w2_q"),
         numpy_helper.from_array(z2, "z2"), numpy_helper.from_array(s2, "s2")]
graph = helper.make_graph(
    nodes, "dynamic_quantization",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-dynamic-quant", x, out)


# Dynamic quantization of convolutions: ConvInteger on the levels of a
# DynamicQuantizeLinear, padded (ONNX pads with the input's zero point),
# then a second one with uint8 weights, a zero point, stride 2 and
# asymmetric pads.
rng = np.random.default_rng(12)


def conv_integer(q, zq, w, zw, pads, stride):
    # q: NCHW levels, padded with zq; pads (top, left, bottom, right).
    top, left, bottom, right = pads
    p = np.pad(q, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=zq)
    p = p.astype(np.int64) - int(zq)
    wc = w.astype(np.int64) - np.asarray(zw, np.int64)
    o, c, kh, kw = w.shape
    oh = (p.shape[2] - kh) // stride + 1
    ow = (p.shape[3] - kw) // stride + 1
    out = np.zeros((1, o, oh, ow), np.int64)
    for y in range(oh):
        for x in range(ow):
            patch = p[0, :, y * stride:y * stride + kh, x * stride:x * stride + kw]
            out[0, :, y, x] = (wc * patch[None]).sum(axis=(1, 2, 3))
    return out.astype(np.int32)


cw1 = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
cs1 = np.float32(np.abs(cw1).max() / 127)
cw1_q = np.clip(np.round(cw1 / cs1), -127, 127).astype(np.int8)
cw2 = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
cs2 = np.float32((cw2.max() - cw2.min()) / 255)
cz2 = np.uint8(np.clip(np.round(-cw2.min() / cs2), 0, 255))
cw2_q = np.clip(np.round(cw2 / cs2) + cz2, 0, 255).astype(np.uint8)

x = (rng.standard_normal((4, 3, 6, 6)) + np.linspace(-1, 2, 4)[:, None, None, None]).astype(np.float32)
out = []
for item in x:
    q, sc, zp = dynamic_quantize(item[None])
    acc = conv_integer(q, zp, cw1_q, 0, (1, 1, 1, 1), 1)
    h = acc.astype(np.float32) * np.float32(sc * cs1)
    q2, sc2, zp2 = dynamic_quantize(h)
    acc2 = conv_integer(q2, zp2, cw2_q, cz2, (0, 0, 1, 1), 2)
    out.append(acc2.astype(np.float32) * np.float32(sc2 * cs2))
out = np.concatenate(out).astype(np.float32)

nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["x_q", "x_s", "x_z"], name="x_dq"),
    helper.make_node("ConvInteger", ["x_q", "w1", "x_z"], ["acc1"], name="conv1",
                     pads=[1, 1, 1, 1]),
    helper.make_node("Cast", ["acc1"], ["acc1_f"], name="conv1_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["x_s", "s1"], ["scale1"], name="conv1_scale"),
    helper.make_node("Mul", ["acc1_f", "scale1"], ["h"], name="conv1_mul"),
    helper.make_node("DynamicQuantizeLinear", ["h"], ["h_q", "h_s", "h_z"], name="h_dq"),
    helper.make_node("ConvInteger", ["h_q", "w2", "h_z", "z2"], ["acc2"], name="conv2",
                     strides=[2, 2], pads=[0, 0, 1, 1]),
    helper.make_node("Cast", ["acc2"], ["acc2_f"], name="conv2_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["h_s", "s2"], ["scale2"], name="conv2_scale"),
    helper.make_node("Mul", ["acc2_f", "scale2"], ["y"], name="conv2_mul"),
]
inits = [numpy_helper.from_array(cw1_q, "w1"), numpy_helper.from_array(cs1, "s1"),
         numpy_helper.from_array(cw2_q, "w2"), numpy_helper.from_array(cz2, "z2"),
         numpy_helper.from_array(cs2, "s2")]
graph = helper.make_graph(
    nodes, "dynamic_conv",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 6, 6])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out[:1].shape))], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-dynamic-conv", x, out)


# Per-column weight zero points (quantize_dynamic with per_channel): uint8
# weights, one zero point and one scale per column of B. Three items.
prng = np.random.default_rng(23)
pw = prng.standard_normal((12, 6)).astype(np.float32) + np.linspace(-1, 1, 6)
ps = ((pw.max(0) - pw.min(0)) / 255).astype(np.float32)
pz = np.clip(np.round(-pw.min(0) / ps), 0, 255).astype(np.uint8)
pw_q = np.clip(np.round(pw / ps) + pz, 0, 255).astype(np.uint8)
x = (prng.standard_normal((3, 12)) * np.array([0.5, 1.0, 4.0])[:, None]).astype(np.float32)
out = []
for row in x:
    q, sc, zp = dynamic_quantize(row[None, :])
    acc = ((q - zp).astype(np.int64) @ (pw_q.astype(np.int64) - pz.astype(np.int64))).astype(np.int32)
    out.append(acc.astype(np.float32) * (np.float32(sc) * ps).astype(np.float32))
out = np.concatenate(out).astype(np.float32)
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["x_q", "x_s", "x_z"], name="x_dq"),
    helper.make_node("MatMulInteger", ["x_q", "w_q", "x_z", "w_z"], ["acc"], name="fc"),
    helper.make_node("Cast", ["acc"], ["acc_f"], name="fc_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["x_s", "w_s"], ["scale"], name="fc_scale"),
    helper.make_node("Mul", ["acc_f", "scale"], ["y"], name="fc_mul"),
]
inits = [numpy_helper.from_array(pw_q, "w_q"), numpy_helper.from_array(pz, "w_z"),
         numpy_helper.from_array(ps, "w_s")]
graph = helper.make_graph(
    nodes, "dynamic_per_column",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 12])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6])], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-dynamic-per-column", x, out)


def grouped_conv_integer(q, zq, w, zw, pads, stride, groups):
    o, c = w.shape[0], w.shape[1]
    zw = np.broadcast_to(np.asarray(zw, np.int64).reshape(-1), (o,))
    og = o // groups
    return np.concatenate([
        conv_integer(q[:, g * c:(g + 1) * c], zq, w[g * og:(g + 1) * og],
                     zw[g * og:(g + 1) * og].reshape(-1, 1, 1, 1), pads, stride)
        for g in range(groups)], axis=1)


def save_dynamic_conv(name, w_q, w_z, w_s, x, pads, groups=1):
    """DynamicQuantizeLinear -> ConvInteger(w_q, zero points w_z; pads as
    (top, left, bottom, right)) -> Cast -> Mul by x_scale * w_s (one scale
    per output channel), with the expected output of each item of x."""
    o = w_q.shape[0]
    out = []
    for item in x:
        q, sc, zp = dynamic_quantize(item[None])
        acc = grouped_conv_integer(q, zp, w_q, w_z, pads, 1, groups)
        out.append(acc.astype(np.float32) * (np.float32(sc) * w_s).astype(np.float32)[None, :, None, None])
    out = np.concatenate(out).astype(np.float32)
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["x_q", "x_s", "x_z"], name="x_dq"),
        helper.make_node("ConvInteger", ["x_q", "w_q", "x_z", "w_z"], ["acc"], name="conv",
                         pads=list(pads), **({"group": groups} if groups > 1 else {})),
        helper.make_node("Cast", ["acc"], ["acc_f"], name="conv_cast", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["x_s", "w_s"], ["scale"], name="conv_scale"),
        helper.make_node("Mul", ["acc_f", "scale"], ["y"], name="conv_mul"),
    ]
    inits = [numpy_helper.from_array(w_q, "w_q"), numpy_helper.from_array(w_z, "w_z"),
             numpy_helper.from_array(w_s.reshape(1, o, 1, 1), "w_s")]
    graph = helper.make_graph(
        nodes, name.replace("edge-", "").replace("-", "_"),
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1] + list(x.shape[1:]))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out[:1].shape))], inits)
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), name, x, out)


# ConvInteger with per-channel weight zero points (quantize_dynamic with
# per_channel on a model with convolutions): uint8 weights, one zero point
# and one scale per output channel, asymmetric pads. Three items.
crng = np.random.default_rng(29)
cw = crng.standard_normal((5, 3, 3, 3)).astype(np.float32) + np.linspace(-1, 1, 5)[:, None, None, None]
cmin = np.minimum(cw.min(axis=(1, 2, 3)), 0)
cmax = np.maximum(cw.max(axis=(1, 2, 3)), 0)
cs = ((cmax - cmin) / 255).astype(np.float32)
cz = np.clip(np.round(-cmin / cs), 0, 255).astype(np.uint8)
cw_q = np.clip(np.round(cw / cs[:, None, None, None]) + cz[:, None, None, None], 0, 255).astype(np.uint8)
x = (crng.standard_normal((3, 3, 7, 6)) * np.array([0.5, 1.0, 4.0])[:, None, None, None]).astype(np.float32)
save_dynamic_conv("edge-dynamic-conv-per-channel", cw_q, cz, cs, x, (1, 0, 2, 1))


# Grouped ConvInteger: two groups (uint8 weights, one zero point), then a
# depthwise one (group = channels, int8 weights, a zero point per channel),
# stride 2, as quantize_dynamic leaves a MobileNet's layers. Three items.
grng = np.random.default_rng(31)


gw1 = grng.standard_normal((6, 2, 3, 3)).astype(np.float32)
gs1 = np.float32((gw1.max() - gw1.min()) / 255)
gz1 = np.uint8(np.clip(np.round(-gw1.min() / gs1), 0, 255))
gw1_q = np.clip(np.round(gw1 / gs1) + gz1, 0, 255).astype(np.uint8)
gw2 = grng.standard_normal((6, 1, 3, 3)).astype(np.float32)
gs2 = (np.abs(gw2).max(axis=(1, 2, 3)) / 127).astype(np.float32)
gz2 = np.array([0, 3, -2, 1, 0, -5], np.int8)
gw2_q = np.clip(np.round(gw2 / gs2[:, None, None, None]) + gz2[:, None, None, None],
                -128, 127).astype(np.int8)
x = (grng.standard_normal((3, 4, 7, 7)) * np.array([0.5, 1.0, 3.0])[:, None, None, None]).astype(np.float32)
out = []
for item in x:
    q, sc, zp = dynamic_quantize(item[None])
    acc = grouped_conv_integer(q, zp, gw1_q, gz1, (1, 1, 1, 1), 1, 2)
    h = acc.astype(np.float32) * np.float32(sc * gs1)
    q2, sc2, zp2 = dynamic_quantize(h)
    acc2 = grouped_conv_integer(q2, zp2, gw2_q, gz2, (1, 1, 1, 1), 2, 6)
    out.append(acc2.astype(np.float32) * (np.float32(sc2) * gs2).astype(np.float32)[None, :, None, None])
out = np.concatenate(out).astype(np.float32)
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["x_q", "x_s", "x_z"], name="x_dq"),
    helper.make_node("ConvInteger", ["x_q", "w1", "x_z", "z1"], ["acc1"], name="conv1",
                     pads=[1, 1, 1, 1], group=2),
    helper.make_node("Cast", ["acc1"], ["acc1_f"], name="conv1_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["x_s", "s1"], ["scale1"], name="conv1_scale"),
    helper.make_node("Mul", ["acc1_f", "scale1"], ["h"], name="conv1_mul"),
    helper.make_node("DynamicQuantizeLinear", ["h"], ["h_q", "h_s", "h_z"], name="h_dq"),
    helper.make_node("ConvInteger", ["h_q", "w2", "h_z", "z2"], ["acc2"], name="conv2",
                     pads=[1, 1, 1, 1], strides=[2, 2], group=6),
    helper.make_node("Cast", ["acc2"], ["acc2_f"], name="conv2_cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["h_s", "s2"], ["scale2"], name="conv2_scale"),
    helper.make_node("Mul", ["acc2_f", "scale2"], ["y"], name="conv2_mul"),
]
inits = [numpy_helper.from_array(gw1_q, "w1"), numpy_helper.from_array(gz1, "z1"),
         numpy_helper.from_array(gs1, "s1"), numpy_helper.from_array(gw2_q, "w2"),
         numpy_helper.from_array(gz2, "z2"),
         numpy_helper.from_array(gs2.reshape(1, 6, 1, 1), "s2")]
graph = helper.make_graph(
    nodes, "dynamic_conv_grouped",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 7, 7])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out[:1].shape))], inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     "edge-dynamic-conv-grouped", x, out)


# Depthwise ConvInteger with a channel multiplier of 2 (group = 3 input
# channels, 6 outputs), int8 weights with a zero point per output channel.
mrng = np.random.default_rng(37)
mw = mrng.standard_normal((6, 1, 3, 3)).astype(np.float32)
ms = (np.abs(mw).max(axis=(1, 2, 3)) / 127).astype(np.float32)
mz = np.array([2, 0, -1, 4, -3, 1], np.int8)
mw_q = np.clip(np.round(mw / ms[:, None, None, None]) + mz[:, None, None, None],
               -128, 127).astype(np.int8)
x = (mrng.standard_normal((2, 3, 6, 5)) * np.array([1.0, 2.5])[:, None, None, None]).astype(np.float32)
save_dynamic_conv("edge-dynamic-conv-multiplier", mw_q, mz, ms, x, (0, 1, 2, 1), groups=3)
