#!/usr/bin/python3
"""Batch-1 latency of the zoo's models, quant-opt next to ONNX Runtime.

For each model of a zoo directory (examples/zoo/make_zoo.py's output): the
float export and the QDQ export (through --quantsim-qat-to-int, with
allow-float-fallback where the export leaves ops without an integer form),
timed with `quant-run --benchmark` (median, one thread) on the first test
image of the directory, and the same ONNX files timed by ONNX Runtime
(npm's onnxruntime-node through ../shared/tools/ort-bench.js, one thread,
median) on the same image. Prints one row per model: ms and the ratio ours / ONNX Runtime's
(below 1: quant-opt is faster). Used by bench/run.sh; needs python3-numpy
and python3-onnx.

  /usr/bin/python3 bench/zoo_latency.py [--dir examples/zoo/full] [--reps N] [MODEL...]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "zoo"))
import ort as onnxruntime  # noqa: E402  examples/zoo/ort.py

BIN = os.path.join(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")), "bin")


def sh(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        lines = (r.stderr or r.stdout).strip().splitlines()
        raise RuntimeError("%s: %s" % (os.path.basename(args[0]),
                                       lines[0] if lines else "exit status %d" % r.returncode))
    return r.stdout


def ours(module, image, reps):
    out = sh(os.path.join(BIN, "quant-run"), module, "-i", image, "--benchmark=%d" % reps)
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.join(ROOT, "examples", "zoo", "full"))
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("models", nargs="*")
    args = parser.parse_args()
    info = json.load(open(os.path.join(args.dir, "models.json")))["models"]
    names = [n for n in (args.models or info)
             if os.path.exists(os.path.join(args.dir, n + "_float.onnx"))]
    ort = onnxruntime.module()
    if not ort:
        print("(ONNX Runtime columns need npm's onnxruntime-node)", file=sys.stderr)
    test = os.path.join(args.dir, "test.npy")
    ratio = lambda a, b: "%.2f" % (a / b) if a is not None and b is not None else "-"
    ms = lambda t: "%.3f" % t if t is not None else "-"
    print("%-20s %10s %10s %6s %10s %10s %6s" % ("", "float", "ORT", "ratio", "int8", "ORT", "ratio"))
    with tempfile.TemporaryDirectory() as tmp:
        # The image ONNX Runtime times (its first); uniform noise instead
        # sends an untrained model's activations into subnormal numbers,
        # whose arithmetic is slow (EfficientNet-B0 untrained: 6.3 ms
        # against 4.7).
        image = os.path.join(tmp, "image.npy")
        np.save(image, np.load(test)[:1])
        for name in names:
            t = lambda suffix: os.path.join(tmp, name + suffix)
            f_onnx = os.path.join(args.dir, name + "_float.onnx")
            q_onnx = os.path.join(args.dir, name + "_qdq.onnx")
            note = ""
            try:
                sh(os.path.join(BIN, "quant-translate"), "--import-onnx", f_onnx,
                   "--emit-bytecode", "-o", t(".f.mlirbc"))
                ours_f = ours(t(".f.mlirbc"), image, args.reps)
                ort_f = onnxruntime.run(ort, f_onnx, test, t(".of.npy"), reps=args.reps)
                ours_i = ort_i = None
                if os.path.exists(q_onnx):
                    sh(os.path.join(BIN, "quant-translate"), "--import-onnx", q_onnx,
                       "--emit-bytecode", "-o", t(".q.mlirbc"))
                    try:
                        sh(os.path.join(BIN, "quant-opt"), t(".q.mlirbc"), "--quantsim-qat-to-int",
                           "--emit-bytecode", "-o", t(".i.mlirbc"))
                    except RuntimeError:
                        sh(os.path.join(BIN, "quant-opt"), t(".q.mlirbc"),
                           "--quantsim-qat-to-int=allow-float-fallback=true",
                           "--emit-bytecode", "-o", t(".i.mlirbc"))
                        note = " (float fallback)"
                    ours_i = ours(t(".i.mlirbc"), image, args.reps)
                    onnxruntime.scalar_qdq(q_onnx, t(".qs.onnx"))
                    ort_i = onnxruntime.run(ort, t(".qs.onnx"), test, t(".oi.npy"),
                                            reps=args.reps)
            except RuntimeError as e:
                print("%-20s failed: %s" % (name, e), flush=True)
                continue
            print("%-20s %10s %10s %6s %10s %10s %6s%s" % (
                name, ms(ours_f), ms(ort_f), ratio(ours_f, ort_f), ms(ours_i), ms(ort_i),
                ratio(ours_i, ort_i), note), flush=True)


if __name__ == "__main__":
    main()
