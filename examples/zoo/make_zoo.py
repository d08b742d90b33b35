#!/usr/bin/python3
"""Build the model zoo: standard torchvision architectures, exported for quant-opt.

Runs with Debian's /usr/bin/python3 (python3-torch, python3-torchvision,
python3-onnx, python3-numpy). For each architecture it

  1. builds the torchvision model (reduced widths by default, the size the
     test suite uses; torchvision's own widths with --full) and trains it
     briefly on Fashion-MNIST (Debian's dataset-fashion-mnist, padded to
     32x32 and repeated to 3 channels; 224x224 with --full): a trained
     network, unlike a random one, does not turn rounding differences into
     different predictions;
  2. exports NAME_float.onnx and PyTorch's outputs on the test inputs
     (NAME_float_out.npy);
  3. quantizes it with PyTorch FX (prepare_qat_fx: u8 activations with
     moving-average min/max observers, s8 per-channel symmetric weights;
     PyTorch's fixed parameters for hardsigmoid, sigmoid and tanh),
     calibrates on the calibration inputs, exports the fake-quant model as
     QDQ ONNX (NAME_qdq.onnx) and saves the outputs of PyTorch's converted
     int8 model (convert_fx, onednn) as NAME_int8_out.npy.

The inputs are shared: calib.npy (training images) and test.npy, with
test_labels.npy (test images).

  /usr/bin/python3 examples/zoo/make_zoo.py [--full] [--out DIR] [MODEL...]
"""
import argparse
import copy
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models import resnet

HERE = os.path.dirname(os.path.abspath(__file__))


def small_resnet(block, layers, width):
    """torchvision's ResNet with its widths divided: width instead of 64."""
    m = resnet.ResNet.__new__(resnet.ResNet)
    nn.Module.__init__(m)
    m._norm_layer = nn.BatchNorm2d
    m.inplanes, m.dilation, m.groups, m.base_width = width, 1, 1, 64
    m.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
    m.bn1 = nn.BatchNorm2d(width)
    m.relu = nn.ReLU(inplace=True)
    m.maxpool = nn.MaxPool2d(3, 2, 1)
    m.layer1 = m._make_layer(block, width, layers[0])
    m.layer2 = m._make_layer(block, 2 * width, layers[1], stride=2)
    m.layer3 = m._make_layer(block, 4 * width, layers[2], stride=2)
    m.layer4 = m._make_layer(block, 8 * width, layers[3], stride=2)
    m.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    m.fc = nn.Linear(8 * width * block.expansion, 10)
    return m


def small_vgg11(width):
    cfg = [width, "M", 2 * width, "M", 4 * width, 4 * width, "M",
           8 * width, 8 * width, "M", 8 * width, 8 * width, "M"]
    m = torchvision.models.VGG(torchvision.models.vgg.make_layers(cfg), num_classes=10)
    m.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    m.classifier = nn.Sequential(nn.Linear(8 * width, 64), nn.ReLU(True),
                                 nn.Dropout(), nn.Linear(64, 10))
    return m


def small_efficientnet_b0():
    from torchvision.models import efficientnet
    setting, last = efficientnet._efficientnet_conf(
        "efficientnet_b0", width_mult=0.125, depth_mult=0.5)
    # No stochastic depth: torch.fx traces its training branch.
    return efficientnet.EfficientNet(setting, 0.2, stochastic_depth_prob=0.0,
                                     num_classes=10, last_channel=last)


def small_mobilenet_v2():
    from torchvision.ops.misc import Conv2dNormActivation
    m = torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10)
    # The last 1x1 conv keeps 1280 channels at any width: 128 here.
    inputs = m.features[-1][0].in_channels
    m.features[-1] = Conv2dNormActivation(inputs, 128, kernel_size=1,
                                          activation_layer=nn.ReLU6)
    m.classifier[1] = nn.Linear(128, 10)
    return m


def small_mobilenet_v3_small():
    m = torchvision.models.mobilenet_v3_small(width_mult=0.25, num_classes=10)
    # The classifier keeps 1024 hidden units at any width: 64 here.
    m.classifier[0] = nn.Linear(m.classifier[0].in_features, 64)
    m.classifier[3] = nn.Linear(64, 10)
    return m


def small_squeezenet():
    """SqueezeNet 1.1 with a quarter of its widths."""
    from torchvision.models.squeezenet import Fire
    m = torchvision.models.squeezenet1_1(num_classes=10)
    m.features = nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(3, 2, ceil_mode=True),
        Fire(16, 4, 16, 16), Fire(32, 4, 16, 16),
        nn.MaxPool2d(3, 2, ceil_mode=True),
        Fire(32, 8, 32, 32), Fire(64, 8, 32, 32),
        nn.MaxPool2d(3, 2, ceil_mode=True),
        Fire(64, 12, 48, 48), Fire(96, 12, 48, 48),
        Fire(96, 16, 64, 64), Fire(128, 16, 64, 64))
    m.classifier[1] = nn.Conv2d(128, 10, 1)
    # He initialization, as torchvision's own SqueezeNet (without it, and
    # without BatchNorm, the signal vanishes and nothing is learnt).
    for conv in m.modules():
        if isinstance(conv, nn.Conv2d):
            nn.init.kaiming_uniform_(conv.weight, nonlinearity="relu")
            nn.init.constant_(conv.bias, 0.01)
    return m


# name -> (small builder, full builder, input size small, input size full)
MODELS = {
    "resnet18": (lambda: small_resnet(resnet.BasicBlock, [2, 2, 2, 2], 4),
                 lambda: torchvision.models.resnet18()),
    "resnet50": (lambda: small_resnet(resnet.Bottleneck, [3, 4, 6, 3], 2),
                 lambda: torchvision.models.resnet50()),
    "mobilenet_v2": (small_mobilenet_v2,
                     lambda: torchvision.models.mobilenet_v2()),
    "mobilenet_v3_small": (
        small_mobilenet_v3_small,
        lambda: torchvision.models.mobilenet_v3_small()),
    "shufflenet_v2": (
        lambda: torchvision.models.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 128], num_classes=10),
        lambda: torchvision.models.shufflenet_v2_x1_0()),
    "squeezenet": (small_squeezenet,
                   lambda: torchvision.models.squeezenet1_1()),
    "densenet121": (
        lambda: torchvision.models.DenseNet(2, (6, 12, 24, 16), 8, bn_size=2, num_classes=10),
        lambda: torchvision.models.densenet121()),
    "googlenet": (None, lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True)),
    "vgg11": (lambda: small_vgg11(4), lambda: torchvision.models.vgg11()),
    "efficientnet_b0": (small_efficientnet_b0, lambda: torchvision.models.efficientnet_b0()),
}


# torchvision's ShuffleNetV2 unpacks x.size() and x.chunk(), which torch.fx
# cannot iterate, so it had no QAT export; these are the same ops written
# with indexing instead.
def fx_channel_shuffle(x, groups):
    batch, channels, height, width = x.size(0), x.size(1), x.size(2), x.size(3)
    x = x.view(batch, groups, channels // groups, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batch, -1, height, width)


def fx_inverted_residual_forward(self, x):
    if self.stride == 1:
        halves = x.chunk(2, dim=1)
        out = torch.cat((halves[0], self.branch2(halves[1])), dim=1)
    else:
        out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
    return fx_channel_shuffle(out, 2)


torchvision.models.shufflenetv2.InvertedResidual.forward = fx_inverted_residual_forward


# The Fashion-MNIST example's reader of Debian's dataset-fashion-mnist and
# its QAT configuration.
sys.path.insert(0, os.path.join(HERE, "..", "fashion-mnist"))
from train import load_idx, qat_qconfig  # noqa: E402


def images(raw, size):
    """uint8 28x28 -> float 3 x size x size in [-1, 1]."""
    x = torch.from_numpy(raw.astype(np.float32) / 127.5 - 1.0)
    if size == 32:
        x = nn.functional.pad(x, (2, 2, 2, 2), value=-1.0)
    else:
        x = nn.functional.interpolate(x, size=(size, size), mode="bilinear",
                                      align_corners=False)
    return x.repeat(1, 3, 1, 1)


def train(model, x, y, steps, size):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    batch = 64
    loss = float("nan")  # --steps 0: untrained weights (for latency only)
    for step in range(steps):
        i = (step * batch) % (len(x) - batch)
        loss = nn.functional.cross_entropy(model(images(x[i:i + batch], size)),
                                           torch.from_numpy(y[i:i + batch]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    # BatchNorm statistics of the trained weights (MobileNetV3's momentum of
    # 0.01 would still hold the initial ones).
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    with torch.no_grad():
        for i in range(0, 16 * batch, batch):
            model(images(x[i:i + batch], size))
    model.eval()
    return float(loss)


def qconfig_mapping():
    """PyTorch's QAT mapping for onednn with qat_qconfig() everywhere but the
    fixed-parameter ops (the fused fake-quant of its default cannot be
    exported to ONNX)."""
    from torch.ao.quantization import get_default_qat_qconfig_mapping
    mapping = get_default_qat_qconfig_mapping("onednn").set_global(qat_qconfig())
    for op, q in list(mapping.object_type_qconfigs.items()):
        if q is not None and "FixedQParams" not in str(q.activation):
            mapping.set_object_type(op, qat_qconfig())
    return mapping


def run(model, x):
    with torch.no_grad():
        return torch.cat([model(x[i:i + 1]) for i in range(len(x))]).numpy()


def export(model, size, path):
    torch.onnx.export(model, torch.zeros(1, 3, size, size), path,
                      opset_version=13, input_names=["x"], output_names=["y"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true",
                        help="torchvision's own widths at 224x224")
    parser.add_argument("--out", default=None)
    parser.add_argument("--calib", type=int, default=32)
    parser.add_argument("--test", type=int, default=32)
    parser.add_argument("--steps", type=int, default=400,
                        help="training steps (0: untrained weights, BatchNorm "
                             "statistics still set on the data; for latency only)")
    parser.add_argument("models", nargs="*")
    args = parser.parse_args()
    out = args.out or (os.path.join(HERE, "full") if args.full else os.path.join(HERE, "small"))
    os.makedirs(out, exist_ok=True)
    size = 224 if args.full else 32
    torch.backends.quantized.engine = "onednn"
    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    train_x = load_idx("train-images-idx3-ubyte.gz")
    train_y = load_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    test_x = load_idx("t10k-images-idx3-ubyte.gz")
    test_y = load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)
    # Calibration images come after the ones used for training.
    calib = images(train_x[-args.calib:], size)
    test = images(test_x[:args.test], size)
    np.save(os.path.join(out, "calib.npy"), calib.numpy())
    np.save(os.path.join(out, "test.npy"), test.numpy())
    np.save(os.path.join(out, "test_labels.npy"), test_y[:args.test].astype(np.int32))

    from torch.ao.quantization import disable_observer
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_qat_fx
    summary = {}
    for name in args.models or MODELS:
        small, full = MODELS[name]
        build = full if args.full else small
        if build is None:
            print(f"{name}: no reduced version", flush=True)
            continue
        torch.manual_seed(1)
        model = build()
        loss = train(model, train_x, train_y, args.steps, size)
        params = sum(p.numel() for p in model.parameters())
        export(model, size, os.path.join(out, name + "_float.onnx"))

        float_out = run(model, test)
        summary[name] = {"parameters": params, "input": [1, 3, size, size],
                         "train_loss": loss,
                         "float_test_accuracy": float((float_out.argmax(1) == test_y[:args.test]).mean())}
        np.save(os.path.join(out, name + "_float_out.npy"), float_out)
        example = (torch.zeros(1, 3, size, size),)
        qat_model = copy.deepcopy(model).train()
        # torch.fx traces in training mode, where stochastic depth
        # (EfficientNet) draws random numbers, which ONNX cannot export; at
        # inference it is the identity, which p = 0 gives in both modes.
        for m in qat_model.modules():
            if isinstance(m, torchvision.ops.StochasticDepth):
                m.p = 0.0
        try:
            qat = prepare_qat_fx(qat_model, qconfig_mapping(), example)
        except Exception as e:  # torch.fx cannot trace it
            summary[name]["qdq"] = "not traceable by torch.fx: " + str(e).split("\n")[0]
            print(f"{name}: {params} parameters; no QDQ export ({summary[name]['qdq']})",
                  flush=True)
            write_summary(out, summary)
            continue
        qat.eval()  # BatchNorm uses its statistics; observers still observe
        run(qat, calib)
        qat.apply(disable_observer)
        try:
            export(qat, size, os.path.join(out, name + "_qdq.onnx"))
        except Exception as e:  # an op torch.onnx cannot export
            summary[name]["qdq"] = "ONNX export failed: " + str(e).split("\n")[0][:200]
            print(f"{name}: {params} parameters; no QDQ export ({summary[name]['qdq']})",
                  flush=True)
            write_summary(out, summary)
            continue
        np.save(os.path.join(out, name + "_qdq_out.npy"), run(qat, test))
        int8 = convert_fx(copy.deepcopy(qat))
        np.save(os.path.join(out, name + "_int8_out.npy"), run(int8, test))
        summary[name]["qdq"] = "exported"
        print(f"{name}: {params} parameters", flush=True)
        write_summary(out, summary)


def write_summary(out, summary):
    """models.json, after each model: the models of an earlier run that this
    one did not rebuild are kept."""
    path = os.path.join(out, "models.json")
    models = json.load(open(path))["models"] if os.path.exists(path) else {}
    models.update(summary)
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__,
                   "engine": "onednn", "models": models}, f, indent=2)


if __name__ == "__main__":
    main()
