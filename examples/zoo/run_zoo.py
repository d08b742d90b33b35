#!/usr/bin/python3
"""Runs the model zoo through quant-opt and prints one row per model.

Columns: ONNX nodes, import + JIT compile time of the float model, float
error against PyTorch (relative to the largest logit), int8 (PyTorch's QDQ
export through --quantsim-qat-to-int) agreement with PyTorch's int8 model
and with ONNX Runtime's int8 run of the same QDQ file, and the two
references' agreement with each other (each as top-1 agreement / fraction
of logits within one output step), each int8 implementation's mean distance
from PyTorch's fake-quant (QAT) model in output steps (ours / PyTorch's
int8 / ONNX Runtime's int8: how closely each computes the model that was
trained), quant-calibrate PTQ top-1 agreement with the float model, and
batch-1 latency (median, one thread) of quant-opt
float / int8 next to ONNX Runtime's on the same ONNX files.

  /usr/bin/python3 examples/zoo/run_zoo.py [--dir examples/zoo/full] [MODEL...]

ONNX Runtime comes from npm (`npm install --ignore-scripts onnxruntime-node`
in build/ort, done here when npm is available); without it those columns
say n/a. A QDQ model the integer lowering refuses is lowered again with
allow-float-fallback (its row says so). Needs python3-numpy and python3-onnx.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ort as onnxruntime  # noqa: E402  examples/zoo/ort.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.join(ROOT, "build", "bin")


class StepFailed(Exception):
    pass


def sh(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        lines = (r.stderr or r.stdout).strip().splitlines()
        raise StepFailed("%s: %s" % (os.path.basename(args[0]), lines[0] if lines else
                                     "exit status %d" % r.returncode))
    return r.stdout


def latency(module, image):
    """Batch-1 median in ms on IMAGE (the one ONNX Runtime is timed on:
    uniform noise can send activations into slow subnormal numbers)."""
    out = sh(os.path.join(BIN, "quant-run"), module, "-i", image, "--benchmark=50")
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.join(HERE, "small"))
    parser.add_argument("models", nargs="*")
    args = parser.parse_args()
    info = json.load(open(os.path.join(args.dir, "models.json")))["models"]
    ort = onnxruntime.module()
    d = args.dir
    test, calib = os.path.join(d, "test.npy"), os.path.join(d, "calib.npy")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        image = os.path.join(tmp, "image.npy")
        np.save(image, np.load(test)[:1])
        for name in args.models or info:
            try:
                t = lambda suffix: os.path.join(tmp, name + suffix)
                f_onnx = os.path.join(d, name + "_float.onnx")
                q_onnx = os.path.join(d, name + "_qdq.onnx")
                nodes = len(onnx.load(f_onnx).graph.node)
                start = time.time()
                sh(os.path.join(BIN, "quant-translate"), "--import-onnx", f_onnx, "-o", t(".f.mlir"))
                sh(os.path.join(BIN, "quant-run"), t(".f.mlir"), "-i", test, "-o", t(".f.npy"))
                compile_s = time.time() - start
                ref = np.load(os.path.join(d, name + "_float_out.npy"))
                ours = np.load(t(".f.npy"))
                float_err = float(np.abs(ours - ref).max() / np.abs(ref).max())
                row = {"model": name, "nodes": nodes, "compile_s": compile_s,
                       "float_rel_err": float_err, "lat_float": latency(t(".f.mlir"), image),
                       "ort_float": onnxruntime.run(ort, f_onnx, test, t(".of.npy"))}
                if os.path.exists(q_onnx):
                    sh(os.path.join(BIN, "quant-translate"), "--import-onnx", q_onnx, "-o", t(".q.mlir"))
                    try:
                        sh(os.path.join(BIN, "quant-opt"), t(".q.mlir"), "--quantsim-qat-to-int",
                           "-o", t(".i.mlir"))
                    except StepFailed:
                        # Ops whose quantization the export leaves without
                        # an integer form (ShuffleNetV2's concats) stay
                        # float; the row says so.
                        sh(os.path.join(BIN, "quant-opt"), t(".q.mlir"),
                           "--quantsim-qat-to-int=allow-float-fallback=true", "-o", t(".i.mlir"))
                        row["model"] += " (float fallback)"
                    sh(os.path.join(BIN, "quant-run"), t(".i.mlir"), "-i", test, "-o", t(".i.npy"))
                    pt = np.load(os.path.join(d, name + "_int8_out.npy"))
                    ours = np.load(t(".i.npy"))
                    step = float(re.findall(r"quantsim\.dequantize [^\n]*!quant\.uniform<[iu]8:f32, ([0-9.eE+-]+)",
                                            open(t(".i.mlir")).read())[-1])
                    agree = lambda a, b: "%.3f / %.3f" % ((a.argmax(1) == b.argmax(1)).mean(),
                                                          (np.abs(a - b) <= step * 1.0001).mean())
                    row["int8_vs_torch"] = agree(ours, pt)
                    fq = np.load(os.path.join(d, name + "_qdq_out.npy"))
                    steps = lambda a: float(np.abs(a - fq).mean() / step)
                    row["qat_steps"] = [steps(ours), steps(pt)]
                    row["lat_int8"] = latency(t(".i.mlir"), image)
                    onnxruntime.scalar_qdq(q_onnx, t(".qs.onnx"))
                    row["ort_int8"] = onnxruntime.run(ort, t(".qs.onnx"), test, t(".oi.npy"))
                    if row["ort_int8"] is not None:
                        ort_out = np.load(t(".oi.npy"))
                        row["int8_vs_ort"] = agree(ours, ort_out)
                        row["ort_vs_torch"] = agree(ort_out, pt)
                        row["qat_steps"].append(steps(ort_out))
                sh(os.path.join(BIN, "quant-calibrate"), t(".f.mlir"), "-i", calib, "--quiet", "-o", t(".p.mlir"))
                sh(os.path.join(BIN, "quant-opt"), t(".p.mlir"), "--quantsim-qat-to-int", "-o", t(".pi.mlir"))
                sh(os.path.join(BIN, "quant-run"), t(".pi.mlir"), "-i", test, "-o", t(".p.npy"))
                row["ptq_top1"] = float((np.load(t(".p.npy")).argmax(1) == ref.argmax(1)).mean())
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            except StepFailed as e:
                rows.append({"model": name, "failed": str(e)})
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)

    fmt = lambda v, f: "n/a" if v is None else f % v
    print("| model | ONNX nodes | import+compile+run s | float rel. err | int8 vs PyTorch int8 "
          "| int8 vs ORT int8 | ORT vs PyTorch int8 | steps from QAT model "
          "| PTQ top-1 vs float | float ms (ORT) | int8 ms (ORT) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if "failed" in r:
            print("| %s | failed: %s |" % (r["model"], r["failed"][:200]))
            continue
        print("| %s | %d | %.1f | %.1e | %s | %s | %s | %s | %s | %s (%s) | %s (%s) |" % (
            r["model"], r["nodes"], r["compile_s"], r["float_rel_err"],
            fmt(r.get("int8_vs_torch"), "%s"), fmt(r.get("int8_vs_ort"), "%s"),
            fmt(r.get("ort_vs_torch"), "%s"),
            " / ".join("%.2f" % v for v in r["qat_steps"]) if "qat_steps" in r else "n/a",
            fmt(r["ptq_top1"], "%.3f"), fmt(r["lat_float"], "%.3f"), fmt(r["ort_float"], "%.3f"),
            fmt(r.get("lat_int8"), "%.3f"), fmt(r.get("ort_int8"), "%.3f")))


if __name__ == "__main__":
    main()
