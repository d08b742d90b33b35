"""Compares quant-opt's outputs on the model zoo with PyTorch's.

usage:
  check-zoo.py float REFERENCE.npy OURS.npy [--rtol R]
      max |ours - ref| / max |ref| must be at most R (default 1e-4).
  check-zoo.py int8 REFERENCE.npy OURS.npy INT.mlir [--top1 F] [--within1 F]
      top-1 agreement and the fraction of logits within one output
      quantization step (the scale of INT.mlir's last dequantize) must be at
      least F; prints both fractions.
  check-zoo.py accuracy LABELS.npy OURS.npy [--min F]
      top-1 accuracy against the labels.

Standard library only (runs under lit's Python).
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from npyfile import read_npy  # noqa: E402


def rows(shape, values):
    width = shape[-1] if len(shape) > 1 else 1
    return [values[i:i + width] for i in range(0, len(values), width)]


def argmax(row):
    return max(range(len(row)), key=lambda i: row[i])


def option(name, default):
    if name in sys.argv:
        return float(sys.argv[sys.argv.index(name) + 1])
    return default


mode = sys.argv[1]
if mode == "float":
    _, ref = read_npy(sys.argv[2])
    _, ours = read_npy(sys.argv[3])
    rtol = option("--rtol", 1e-4)
    scale = max(abs(v) for v in ref)
    err = max(abs(a - b) for a, b in zip(ref, ours)) / scale
    print("float: max relative error %.2e (%s)" % (err, "ok" if err <= rtol else "FAILED"))
    sys.exit(0 if err <= rtol else 1)

if mode == "int8":
    shape, ref = read_npy(sys.argv[2])
    _, ours = read_npy(sys.argv[3])
    text = open(sys.argv[4]).read()
    scales = re.findall(r"quantsim\.dequantize [^\n]*!quant\.uniform<[iu]8:f32, ([0-9.eE+-]+)", text)
    step = float(scales[-1])
    ref_rows, our_rows = rows(shape, ref), rows(shape, ours)
    agree = sum(argmax(a) == argmax(b) for a, b in zip(ref_rows, our_rows))
    within = sum(abs(a - b) <= step * 1.0001 for a, b in zip(ref, ours))
    top1, within1 = agree / len(ref_rows), within / len(ref)
    ok = top1 >= option("--top1", 1.0) and within1 >= option("--within1", 1.0)
    print("int8: top-1 agreement %d/%d, within one step (%.4g) %d/%d (%s)" % (
        agree, len(ref_rows), step, within, len(ref), "ok" if ok else "FAILED"))
    sys.exit(0 if ok else 1)

if mode == "accuracy":
    _, labels = read_npy(sys.argv[2])
    shape, ours = read_npy(sys.argv[3])
    hits = sum(argmax(r) == l for r, l in zip(rows(shape, ours), labels))
    acc = hits / len(labels)
    ok = acc >= option("--min", 0.0)
    print("accuracy %d/%d (%s)" % (hits, len(labels), "ok" if ok else "FAILED"))
    sys.exit(0 if ok else 1)

sys.exit("unknown mode " + mode)
