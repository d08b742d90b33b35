#!/usr/bin/python3
"""PyTorch's figures for the demo table, measured now on this machine.

Loads the models train.py saved (float state dict, int8 TorchScript), makes
PyTorch's own post-training quantization of the float model (FX graph mode,
onednn qconfig, calibrated on the first 1,000 training images like
quant-calibrate in the demo), and runs each the fastest way PyTorch runs it:
traced and frozen TorchScript (torch.jit.freeze), not eager mode. Runs the 10,000
Fashion-MNIST test images and times batch 1 and 64 with one thread, onednn
engine. Prints one line per model:
  pytorch <float|QAT-int8|PTQ-int8> accuracy <pct> batch1_ms <t> batch64_ms <t>
"""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import Net, load_idx, to_input  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


@torch.no_grad()
def measure(model, name, x, y):
    model.eval()
    pred = torch.cat([model(to_input(x[i:i + 500])) for i in range(0, len(x), 500)]).argmax(1)
    acc = (pred.numpy() == y).mean() * 100
    ms = {}
    for batch in (1, 64):
        inp = to_input(x[:batch])
        for _ in range(5):
            model(inp)
        times = []
        for _ in range(50):
            t = time.perf_counter()
            model(inp)
            times.append((time.perf_counter() - t) * 1e3)
        ms[batch] = float(np.median(times)) / batch
    print(f"pytorch {name} accuracy {acc:.2f} batch1_ms {ms[1]:.4f} batch64_ms {ms[64]:.4f}", flush=True)


def main():
    torch.set_num_threads(1)
    torch.backends.quantized.engine = "onednn"
    x = load_idx("t10k-images-idx3-ubyte.gz")
    y = load_idx("t10k-labels-idx1-ubyte.gz")
    model = Net()
    model.load_state_dict(torch.load(os.path.join(HERE, "fashion_mnist_float.pt")))
    model.eval()
    example = to_input(x[:1])
    measure(frozen(torch.jit.trace(model, example)), "float", x, y)
    measure(frozen(torch.jit.load(os.path.join(HERE, "fashion_mnist_int8.pt"))), "QAT-int8", x, y)
    measure(post_training_quantized(model), "PTQ-int8", x, y)


def frozen(script):
    """A TorchScript module frozen for inference (constants folded, the
    onednn int8 weights prepacked once)."""
    return torch.jit.freeze(script.eval())


@torch.no_grad()
def post_training_quantized(model):
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    model.eval()
    calibration = load_idx("train-images-idx3-ubyte.gz")[:1000]
    example = to_input(calibration[:1])
    prepared = prepare_fx(model, get_default_qconfig_mapping("onednn"), (example,))
    for i in range(0, len(calibration), 100):
        prepared(to_input(calibration[i:i + 100]))
    quantized = convert_fx(prepared)
    return frozen(torch.jit.trace(quantized, example))


if __name__ == "__main__":
    main()
