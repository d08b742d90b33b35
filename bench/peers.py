#!/usr/bin/python3
"""The peers' latencies on the bundled Fashion-MNIST CNN, for bench/run.sh.

One thread, medians, microseconds per image at batch 1 and 64, on the same
inputs (the first 64 test images):
  - PyTorch (python3-torch), the fastest way it runs each model: traced and
    frozen TorchScript (torch.jit.freeze), onednn engine;
  - ONNX Runtime (npm's onnxruntime-node, through ../shared/tools/ort-bench.js)
    on the same ONNX files quant-opt imports, and on an Identity model of
    the same input: its per-call overhead, to read beside batch-1 figures.
Prints one line per figure, `peer <name> batch <n> <us per image>`; a peer
that is not installed is left out with a note on stderr.

  /usr/bin/python3 bench/peers.py [REPS]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EX = os.path.join(ROOT, "examples", "fashion-mnist")
sys.path.insert(0, EX)
sys.path.insert(0, os.path.join(ROOT, "examples", "zoo"))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def images():
    from train import load_idx  # examples/fashion-mnist/train.py
    x = load_idx("t10k-images-idx3-ubyte.gz")[:64]
    return (x.astype(np.float32) / 255.0).reshape(64, 1, 28, 28)


def pytorch(x):
    import torch
    from train import Net
    torch.set_num_threads(1)
    torch.backends.quantized.engine = "onednn"
    model = Net()
    model.load_state_dict(torch.load(os.path.join(EX, "fashion_mnist_float.pt")))
    example = torch.from_numpy(x[:1])
    models = {
        "pytorch-float": torch.jit.freeze(torch.jit.trace(model.eval(), example).eval()),
        "pytorch-int8": torch.jit.freeze(
            torch.jit.load(os.path.join(EX, "fashion_mnist_int8.pt")).eval()),
    }
    with torch.no_grad():
        for name, m in models.items():
            for batch in (1, 64):
                inp = torch.from_numpy(x[:batch])
                for _ in range(20):
                    m(inp)
                times = []
                for _ in range(REPS):
                    t = time.perf_counter()
                    m(inp)
                    times.append(time.perf_counter() - t)
                print("peer %s batch %d %.2f" % (name, batch, np.median(times) * 1e6 / batch),
                      flush=True)


def onnxruntime(x, tmp):
    import onnx
    from onnx import TensorProto, helper
    import ort  # examples/zoo/ort.py
    module = ort.module()
    if not module or not os.path.exists(ort.ORT_BENCH):
        print("peers.py: ONNX Runtime (npm's onnxruntime-node) not found", file=sys.stderr)
        return
    identity = os.path.join(tmp, "identity.onnx")
    shape = ["N", 1, 28, 28]
    graph = helper.make_graph(
        [helper.make_node("Identity", ["image"], ["logits"])], "identity",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, shape)])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), identity)
    qdq = os.path.join(tmp, "qat.onnx")
    ort.scalar_qdq(os.path.join(EX, "fashion_mnist_qat.onnx"), qdq)
    inputs = os.path.join(tmp, "x.npy")
    np.save(inputs, x)
    for name, model in (("ort-float", os.path.join(EX, "fashion_mnist_float.onnx")),
                        ("ort-int8", qdq), ("ort-identity", identity)):
        r = subprocess.run(["node", ort.ORT_BENCH, model, inputs, os.path.join(tmp, "out.npy"),
                            "1,64", str(REPS)], capture_output=True, text=True,
                           env=dict(os.environ, ORT_NODE=module))
        try:
            figures = json.loads(r.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            print("peers.py: ONNX Runtime failed on %s: %s" % (model, r.stderr.strip()[:200]),
                  file=sys.stderr)
            continue
        for batch in (1, 64):
            value = figures.get("b%d_us_per_img" % batch)
            if value is not None:
                print("peer %s batch %d %.2f" % (name, batch, value), flush=True)


def main():
    x = images()
    try:
        pytorch(x)
    except ImportError:
        print("peers.py: PyTorch (python3-torch) not installed", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        onnxruntime(x, tmp)


if __name__ == "__main__":
    main()
