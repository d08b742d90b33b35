"""Writes a module of convolutions whose weights (over 512 KB) outweigh
their input image, which the CPU kernels run block of output channels by
block (each block's weights kept in cache over the whole image): f32 and
int8, with pseudo-random weights, for comparison with the reference
lowering. Usage: weights-outer.py OUT.mlir"""
import random
import struct
import sys

rng = random.Random(7)
# 3x3 filters of 1.5 MB (f32) and 0.6 MB (int8) over 5x5 images; both
# output channel counts end in a partial vector of 8.
H, W = 5, 5


def hex_floats(count):
    return "".join(struct.pack("<f", rng.uniform(-0.1, 0.1)).hex()
                   for _ in range(count))


def hex_bytes(count):
    return "".join("%02x" % rng.randrange(256) for _ in range(count))


def module(C, F, c8, f8):
    return f"""
func.func @f32(%x: tensor<1x{H}x{W}x{C}xf32>) -> tensor<1x{H}x{W}x{F}xf32> {{
  %w = "tosa.const"() <{{values = dense<"0x{hex_floats(F * 9 * C)}"> : tensor<{F}x3x3x{C}xf32>}}> : () -> tensor<{F}x3x3x{C}xf32>
  %b = "tosa.const"() <{{values = dense<"0x{hex_floats(F)}"> : tensor<{F}xf32>}}> : () -> tensor<{F}xf32>
  %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<1x{H}x{W}x{C}xf32>, tensor<{F}x3x3x{C}xf32>, tensor<{F}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x{H}x{W}x{F}xf32>
  return %y : tensor<1x{H}x{W}x{F}xf32>
}}

func.func @int8(%x: tensor<2x{H}x{W}x{c8}xi8>) -> tensor<2x{H}x{W}x{f8}xi32> {{
  %w = "tosa.const"() <{{values = dense<"0x{hex_bytes(f8 * 9 * c8)}"> : tensor<{f8}x3x3x{c8}xi8>}}> : () -> tensor<{f8}x3x3x{c8}xi8>
  %b = "tosa.const"() <{{values = dense<0> : tensor<{f8}xi32>}}> : () -> tensor<{f8}xi32>
  %xzp = "tosa.const"() <{{values = dense<-5> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{{values = dense<0> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %y = tosa.conv2d %x, %w, %b, %xzp, %wzp {{acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<2x{H}x{W}x{c8}xi8>, tensor<{f8}x3x3x{c8}xi8>, tensor<{f8}xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<2x{H}x{W}x{f8}xi32>
  return %y : tensor<2x{H}x{W}x{f8}xi32>
}}
"""


with open(sys.argv[1], "w") as out:
    out.write(module(C=128, F=328, c8=256, f8=264))
