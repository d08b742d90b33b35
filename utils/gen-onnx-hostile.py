#!/usr/bin/python3
# Generates test/Import/Inputs/hostile-*.onnx: small malformed or unsupported
# ONNX models (built with onnx.helper, no checker) that the importer must
# refuse with a message naming the node or value, never crash on or import
# wrongly. test/Import/hostile.test asserts each message. Run from the
# repository root with Debian's /usr/bin/python3 (python3-onnx,
# python3-numpy); the generated files are committed.
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = "test/Import/Inputs/hostile-"
F = TensorProto.FLOAT
vi = helper.make_tensor_value_info
init = numpy_helper.from_array


def save(name, nodes, inputs, outputs, inits=(), opset=13, extra_opsets=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + list(extra_opsets)
    onnx.save(helper.make_model(graph, opset_imports=opsets),
              OUT + name + ".onnx")


ones = lambda *s: np.ones(s, np.float32)

# Operands missing: the ONNX checker's arity check.
save("add-one-input", [helper.make_node("Add", ["x"], ["y"], name="add")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])])
save("conv-no-weight", [helper.make_node("Conv", ["x"], ["y"], name="conv")],
     [vi("x", F, [1, 1, 3, 3])], [vi("y", F, [1, 1, 3, 3])])
save("bn-three-inputs",
     [helper.make_node("BatchNormalization", ["x", "s", "b"], ["y"], name="bn")],
     [vi("x", F, [1, 3, 2, 2])], [vi("y", F, [1, 3, 2, 2])],
     [init(ones(3), "s"), init(ones(3), "b")])
# An operand nobody defines.
save("undefined-input", [helper.make_node("Gemm", ["x", "w"], ["y"], name="gemm")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])])
# A rank-3 input with a rank-4 weight (ONNX's own inference would index
# past the kernel's end).
save("conv-rank-mismatch", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")],
     [vi("x", F, [1, 2, 4])], [vi("y", F, [1, 3, 4])], [init(ones(3, 2, 1, 1), "w")])
# Parameters of the wrong length or empty: read past their end before.
save("conv-bias-length",
     [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv")],
     [vi("x", F, [1, 2, 4, 4])], [vi("y", F, [1, 3, 4, 4])],
     [init(ones(3, 2, 1, 1), "w"), init(ones(2), "b")])
save("clip-empty-min", [helper.make_node("Clip", ["x", "lo"], ["y"], name="clip")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])], [init(np.zeros(0, np.float32), "lo")])
save("clip-min-above-max",
     [helper.make_node("Clip", ["x", "lo", "hi"], ["y"], name="clip")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])],
     [init(np.array(2.0, np.float32), "lo"), init(np.array(1.0, np.float32), "hi")])
save("pad-empty-value",
     [helper.make_node("Pad", ["x", "p", "v"], ["y"], name="pad")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 5])],
     [init(np.array([0, 1, 0, 1], np.int64), "p"), init(np.zeros(0, np.float32), "v")])
# Axes out of range: silently wrapped (2^32 + 1 became 1) or an
# out-of-bounds write before.
save("qdq-axis-huge",
     [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant", axis=2**32 + 1),
      helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant", axis=2**32 + 1)],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])],
     [init(ones(3), "s"), init(np.zeros(3, np.int8), "z")])
save("qdq-axis-length",
     [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant", axis=1),
      helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant", axis=1)],
     [vi("x", F, [1, 4])], [vi("y", F, [1, 4])],
     [init(ones(3), "s"), init(np.zeros(3, np.int8), "z")])
save("softmax-axis", [helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=2**40)],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])])
# What ONNX Runtime refuses: a custom domain, an output listed twice.
save("custom-domain",
     [helper.make_node("Relu", ["x"], ["y"], name="relu", domain="com.example")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])],
     extra_opsets=[helper.make_opsetid("com.example", 1)])
save("duplicate-output", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3]), vi("y", F, [1, 3])])
# Zero-size tensors.
save("zero-batch", [helper.make_node("Flatten", ["x"], ["y"], name="flatten")],
     [vi("x", F, [0, 3, 2])], [vi("y", F, [0, 6])])
# An output no node computes, in an old opset: ONNX's version converter
# dereferenced the missing value (found by fuzz-onnx-import).
save("output-not-computed-opset11", [helper.make_node("Relu", ["x"], ["g"], name="relu")],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])], opset=11)
# Absurd sizes: an initializer of 2^40 elements with a 4-byte payload, and
# one whose element count wraps a 64-bit product (an empty payload matched
# it before).
huge = TensorProto()
huge.name, huge.data_type = "w", F
huge.dims.extend([1 << 20, 1 << 20])
huge.raw_data = b"\0" * 4
save("initializer-2e40", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [vi("x", F, [1, 1])], [vi("y", F, [1 << 20, 1 << 20])], [huge])
wrap = TensorProto()
wrap.name, wrap.data_type = "w", F
wrap.dims.extend([1 << 32, 1 << 32])
wrap.raw_data = b""
save("initializer-wraps", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [vi("x", F, [1, 1])], [vi("y", F, [1 << 32, 1 << 32])], [wrap])
# Bad quantization parameters: NaN and zero scales, a 16-bit zero point.
for name, scale, zp in [("scale-nan", np.array(np.nan, np.float32), np.array(0, np.int8)),
                        ("scale-zero", np.array(0, np.float32), np.array(0, np.int8)),
                        ("zero-point-int16", np.array(0.1, np.float32), np.array(0, np.int16))]:
    save(name, [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant"),
                helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant")],
         [vi("x", F, [1, 3])], [vi("y", F, [1, 3])], [init(scale, "s"), init(zp, "z")])
# Negative pads, a zero dilation.
save("conv-negative-pads",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[-1, -1, -1, -1])],
     [vi("x", F, [1, 1, 4, 4])], [vi("y", F, [1, 1, 2, 2])], [init(ones(1, 1, 1, 1), "w")])
save("conv-zero-dilation",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", dilations=[0, 1])],
     [vi("x", F, [1, 1, 4, 4])], [vi("y", F, [1, 1, 4, 4])], [init(ones(1, 1, 1, 1), "w")])
# An input of 2^34 elements (a division by zero in the importer; found by
# fuzz-onnx-import's structure-aware mutator).
save("input-2e34", [helper.make_node("Flatten", ["x"], ["y"], name="flatten")],
     [vi("x", F, [1 << 32, 4])], [vi("y", F, [1 << 32, 4])], opset=11)
# Negative and infinite scales.
for name, scale in [("scale-negative", np.array(-0.1, np.float32)),
                    ("scale-infinite", np.array(np.inf, np.float32))]:
    save(name, [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant"),
                helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant")],
         [vi("x", F, [1, 3])], [vi("y", F, [1, 3])], [init(scale, "s"), init(np.array(0, np.int8), "z")])
# Dynamic quantization used other than as ONNX Runtime writes it: the u8
# levels of DynamicQuantizeLinear read by another op, and MatMulInteger on
# an input that is not DynamicQuantizeLinear's.
save("dynamic-levels-elsewhere",
     [helper.make_node("DynamicQuantizeLinear", ["x"], ["q", "s", "z"], name="dq"),
      helper.make_node("Cast", ["q"], ["y"], name="cast", to=TensorProto.FLOAT)],
     [vi("x", F, [1, 3])], [vi("y", F, [1, 3])])
save("matmulinteger-static",
     [helper.make_node("MatMulInteger", ["a", "b"], ["y"], name="mmi")],
     [vi("a", TensorProto.UINT8, [1, 3])], [vi("y", TensorProto.INT32, [1, 2])],
     [init(np.ones((3, 2), np.int8), "b")])
# An input of 2^32 x 2^32 elements: its element count wrapped to 0 in a
# 64-bit product before.
save("input-2e64", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [vi("x", F, [1 << 32, 1 << 32])], [vi("y", F, [1 << 32, 1 << 32])])
