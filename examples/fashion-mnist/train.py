#!/usr/bin/python3
"""Train the Fashion-MNIST example CNN and export it for quant-opt.

Runs with Debian's /usr/bin/python3 (python3-torch, python3-onnx,
python3-numpy) on the dataset of Debian's dataset-fashion-mnist:

  1. trains a float CNN (conv-bn-relu-pool x2, fc-relu, fc);
  2. fine-tunes it with quantization-aware training (PyTorch FX with
     torch.ao.quantization.FakeQuantize: u8 activations [0, 255] with
     moving-average min/max observers, s8 per-channel symmetric weights
     [-128, 127]; the non-fused FakeQuantize, because the fused default of
     torch 1.13 cannot be exported to ONNX);
  3. exports fashion_mnist_float.onnx and fashion_mnist_qat.onnx (QDQ:
     QuantizeLinear/DequantizeLinear pairs, conv+BN as PyTorch exports it);
  4. converts the QAT model with convert_fx and measures PyTorch's own float
     and int8 accuracy on the 10,000 test images;
  5. saves what the C++ tests compare against, so they need no Python:
     pytorch_int8_predictions.npy (10000 labels), pytorch_float_logits.npy
     (logits of the first 1000 test images), reference.json (accuracies,
     latencies, settings), and the PyTorch models themselves for side-by-side
     timing (fashion_mnist_float.pt: state dict; fashion_mnist_int8.pt:
     TorchScript of the convert_fx model).

  /usr/bin/python3 examples/fashion-mnist/train.py [--epochs 3 --qat-epochs 2]
"""
import argparse
import copy
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))


def load_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        if magic == 2051:
            rows, cols = struct.unpack(">II", f.read(8))
            return np.frombuffer(f.read(), np.uint8).reshape(n, 1, rows, cols)
        return np.frombuffer(f.read(), np.uint8).reshape(n)


def to_input(images):
    # The model's input is the image scaled to [0, 1].
    return torch.from_numpy(images.astype(np.float32) / 255.0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def train(model, images, labels, epochs, lr, batch=128, log=""):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(images)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n)
        start, total = time.time(), 0.0
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            x = to_input(images[idx.numpy()])
            y = torch.from_numpy(labels[idx.numpy()].astype(np.int64))
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"{log} epoch {epoch + 1}/{epochs}: loss {total / n:.4f} "
              f"({time.time() - start:.0f} s)", flush=True)


@torch.no_grad()
def predict(model, images, batch=500):
    model.eval()
    out = [model(to_input(images[i:i + batch])) for i in range(0, len(images), batch)]
    return torch.cat(out)


@torch.no_grad()
def latency_ms(model, batch, runs=50):
    x = to_input(np.zeros((batch, 1, 28, 28), np.uint8))
    model.eval()
    for _ in range(5):
        model(x)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times))


def export(model, path):
    model.eval()
    torch.onnx.export(model, to_input(np.zeros((1, 1, 28, 28), np.uint8)), path,
                      opset_version=13, input_names=["image"],
                      output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    print("wrote", path, flush=True)


def qat_qconfig():
    """u8 activations [0, 255] with moving-average min/max observers, s8
    per-channel symmetric weights [-128, 127]; the non-fused FakeQuantize,
    because the fused default of torch 1.13 cannot be exported to ONNX."""
    from torch.ao.quantization import (FakeQuantize, MovingAverageMinMaxObserver,
                                       MovingAveragePerChannelMinMaxObserver, QConfig)
    return QConfig(
        activation=FakeQuantize.with_args(
            observer=MovingAverageMinMaxObserver, quant_min=0, quant_max=255,
            dtype=torch.quint8, qscheme=torch.per_tensor_affine),
        weight=FakeQuantize.with_args(
            observer=MovingAveragePerChannelMinMaxObserver, quant_min=-128,
            quant_max=127, dtype=torch.qint8,
            qscheme=torch.per_channel_symmetric, ch_axis=0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--qat-epochs", type=int, default=2)
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    torch.backends.quantized.engine = "onednn"
    train_x, train_y = load_idx("train-images-idx3-ubyte.gz"), load_idx("train-labels-idx1-ubyte.gz")
    test_x, test_y = load_idx("t10k-images-idx3-ubyte.gz"), load_idx("t10k-labels-idx1-ubyte.gz")

    model = Net()
    train(model, train_x, train_y, args.epochs, 1e-3, log="float")
    float_logits = predict(model, test_x)
    float_acc = (float_logits.argmax(1).numpy() == test_y).mean() * 100
    print(f"float accuracy {float_acc:.2f}%", flush=True)
    export(model, os.path.join(args.out, "fashion_mnist_float.onnx"))

    from torch.ao.quantization import QConfigMapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_qat_fx
    qconfig = qat_qconfig()
    example = (to_input(np.zeros((1, 1, 28, 28), np.uint8)),)
    qat = prepare_qat_fx(copy.deepcopy(model).train(),
                         QConfigMapping().set_global(qconfig), example)
    train(qat, train_x, train_y, args.qat_epochs, 1e-4, log="qat")
    # Freeze the quantization parameters: observers would otherwise keep
    # adapting (also to the test data) and their updates cannot be exported.
    from torch.ao.quantization import disable_observer
    qat.apply(disable_observer)
    qat_logits = predict(qat, test_x)
    qat_acc = (qat_logits.argmax(1).numpy() == test_y).mean() * 100
    print(f"QAT fake-quant accuracy {qat_acc:.2f}%", flush=True)
    export(qat, os.path.join(args.out, "fashion_mnist_qat.onnx"))

    int8 = convert_fx(copy.deepcopy(qat).eval())
    int8_pred = predict(int8, test_x).argmax(1).numpy()
    int8_acc = (int8_pred == test_y).mean() * 100
    print(f"PyTorch int8 (convert_fx, onednn) accuracy {int8_acc:.2f}%", flush=True)

    torch.set_num_threads(1)
    lat = {f"{name}_batch{b}_ms": latency_ms(m, b)
           for name, m in (("float", model), ("int8", int8)) for b in (1, 64)}
    print("PyTorch latency, one thread:", lat, flush=True)

    torch.save(model.state_dict(), os.path.join(args.out, "fashion_mnist_float.pt"))
    torch.jit.save(torch.jit.trace(int8, example),
                   os.path.join(args.out, "fashion_mnist_int8.pt"))
    np.save(os.path.join(args.out, "pytorch_int8_predictions.npy"), int8_pred.astype(np.int32))
    np.save(os.path.join(args.out, "pytorch_float_logits.npy"), float_logits[:1000].numpy())
    with open(os.path.join(args.out, "reference.json"), "w") as f:
        json.dump({"torch": torch.__version__, "engine": "onednn",
                   "epochs": args.epochs, "qat_epochs": args.qat_epochs,
                   "float_accuracy": float_acc, "qat_fake_quant_accuracy": qat_acc,
                   "pytorch_int8_accuracy": int8_acc, "latency_one_thread": lat},
                  f, indent=2)
    print("wrote reference.json", flush=True)


if __name__ == "__main__":
    main()
