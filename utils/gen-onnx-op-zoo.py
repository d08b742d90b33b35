#!/usr/bin/python3
# Generates test/Import/Inputs/op-zoo*.{onnx,npy} and depthwise*: a PyTorch module using
# many ONNX ops (Clip, LeakyRelu, Sigmoid, Tanh, Add, Pad, AveragePool,
# GlobalAveragePool, Mul, Concat, Transpose, Reshape, MatMul, Unsqueeze,
# Squeeze, Softmax), exported at opset 13, with an input and PyTorch's output.
# Run from the repository root with Debian's /usr/bin/python3 (python3-torch);
# the generated files are committed.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Zoo(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(6, 4))

    def forward(self, x):
        a = torch.clamp(x, -0.5, 0.7)
        b = F.leaky_relu(x, 0.1)
        c = torch.sigmoid(a) + torch.tanh(b)
        d = F.avg_pool2d(c, 2)
        e = F.adaptive_avg_pool2d(c, 1)
        f = d * e
        h = torch.cat([f, f * 2], dim=1)
        i = h.permute(0, 2, 3, 1)
        j = i.reshape(1, 16, 6)
        k = torch.matmul(j, self.w)
        l = k.unsqueeze(0).squeeze(0)
        return torch.softmax(l, dim=-1)


model = Zoo().eval()
x = torch.randn(1, 3, 8, 8)
out = "test/Import/Inputs/"
torch.onnx.export(model, x, out + "op-zoo.onnx", opset_version=13,
                  input_names=["x"], output_names=["y"])
np.save(out + "op-zoo-input.npy", x.numpy())
np.save(out + "op-zoo-pytorch-output.npy", model(x).detach().numpy())


# Depthwise + pointwise convolution (test/Import/depthwise.test).
class Depthwise(nn.Module):
    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.pw = nn.Conv2d(4, 6, 1)

    def forward(self, x):
        return self.pw(torch.relu(self.dw(x)))


torch.manual_seed(1)
dw = Depthwise().eval()
x = torch.randn(2, 4, 5, 5)
torch.onnx.export(dw, x, out + "depthwise.onnx", opset_version=13,
                  input_names=["x"], output_names=["y"])
np.save(out + "depthwise-input.npy", x.numpy())
np.save(out + "depthwise-pytorch-output.npy", dw(x).detach().numpy())
