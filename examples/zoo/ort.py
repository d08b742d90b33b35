#!/usr/bin/python3
"""ONNX Runtime as the zoo's second reference.

Runs each model of a zoo directory with ONNX Runtime (npm's
onnxruntime-node, one thread, through ../shared/tools/ort-bench.js) and
writes its outputs on test.npy next to PyTorch's:

  NAME_ort_float_out.npy   the float export
  NAME_ort_int8_out.npy    PyTorch's QDQ export, run by ONNX Runtime's int8
                           kernels (its graph optimizer fuses the QDQ pairs
                           into QLinearConv, QLinearAdd, ...)

PyTorch 1.13 writes per-tensor scales and zero points as 1-element 1-D
tensors. The ONNX standard reads them as per-tensor, but ONNX Runtime's
QLinearAdd fusion refuses them ("Scale and Zero-point must be a scalar"),
so the QDQ model is given to it with those reshaped to scalars (same
values, same meaning).

  /usr/bin/python3 examples/zoo/ort.py [--dir examples/zoo/small] [MODEL...]

Needs node and npm (onnxruntime-node is installed into build/ort when
missing), python3-onnx and python3-numpy.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ORT_BENCH = os.path.join(ROOT, "..", "shared", "tools", "ort-bench.js")


def module():
    """The onnxruntime-node package directory, installed from npm if need be; None without npm."""
    path = os.environ.get("ORT_NODE") or os.path.join(ROOT, "build", "ort", "node_modules",
                                                      "onnxruntime-node")
    if os.path.isdir(path):
        return path
    try:
        os.makedirs(os.path.dirname(os.path.dirname(path)), exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--ignore-scripts", "onnxruntime-node"],
                       cwd=os.path.dirname(os.path.dirname(path)), check=True,
                       capture_output=True)
        return path if os.path.isdir(path) else None
    except (OSError, subprocess.CalledProcessError):
        return None


def scalar_qdq(src, dst):
    """Copies the QDQ model SRC to DST with 1-element scale/zero-point initializers as scalars."""
    model = onnx.load(src)
    inits = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type not in ("QuantizeLinear", "DequantizeLinear"):
            continue
        for name in node.input[1:]:
            t = inits.get(name)
            if t is not None and list(t.dims) == [1]:
                t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).reshape(()), name))
    onnx.save(model, dst)


def run(ort, model, x, out, reps=100):
    """Runs MODEL on every image of X (batch 1), writes OUT; returns the batch-1 median in ms."""
    if not ort or not os.path.exists(ORT_BENCH):
        return None
    r = subprocess.run(["node", ORT_BENCH, model, x, out, "1", str(reps)],
                       capture_output=True, text=True, env=dict(os.environ, ORT_NODE=ort))
    m = re.search(r'"b1_us_per_img":([0-9.]+)', r.stdout)
    if r.returncode != 0 or not m:
        print("ONNX Runtime failed on %s: %s" % (model, (r.stderr or r.stdout).strip()[:200]),
              file=sys.stderr)
        return None
    return float(m.group(1)) / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.join(HERE, "small"))
    parser.add_argument("models", nargs="*")
    args = parser.parse_args()
    ort = module()
    if not ort or not os.path.exists(ORT_BENCH):
        sys.exit("ort.py: needs npm's onnxruntime-node and %s" % ORT_BENCH)
    info = json.load(open(os.path.join(args.dir, "models.json")))["models"]
    test = os.path.join(args.dir, "test.npy")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models or info:
            path = lambda suffix: os.path.join(args.dir, name + suffix)
            run(ort, path("_float.onnx"), test, path("_ort_float_out.npy"), reps=1)
            if os.path.exists(path("_qdq.onnx")):
                scalar = os.path.join(tmp, name + "_qdq.onnx")
                scalar_qdq(path("_qdq.onnx"), scalar)
                run(ort, scalar, test, path("_ort_int8_out.npy"), reps=1)
            print(name, flush=True)


if __name__ == "__main__":
    main()
