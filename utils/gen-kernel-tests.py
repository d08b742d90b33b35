#!/usr/bin/env python3
"""Generates the CPU kernels' execution tests:
 - test/Integration/int8-kernels.mlir: integer TOSA conv2d/matmul chains
   with random constant filters, biases and requantize parameters;
 - test/Integration/f32-kernels.mlir: f32 conv2d/matmul/depthwise_conv2d
   chains with random constant filters and biases, with and without a clamp;
 - test/Integration/pool-kernels.mlir: i8 and f32 max pools, f32 average
   pools;
 - test/Integration/winograd.mlir: f32 3x3 convs that the CPU pipeline
   computes by Winograd's algorithm;
in the odd shapes the kernels must get right (channels not a multiple of 4,
output channels not a multiple of 16, widths below and above the register
tile, padding, strides, dilation, batch > 1). One-off generator, run with
/usr/bin/python3 (numpy); the committed output is what the tests use."""

import numpy as np

rng = np.random.default_rng(20261122)


def dense(values, shape, etype):
    dtype = {"i8": "<i1", "i32": "<i4", "f32": "<f4"}[etype]
    raw = np.asarray(values).astype(dtype).reshape(-1).tobytes().hex().upper()
    return f'dense<"0x{raw}"> : tensor<{"x".join(map(str, shape))}x{etype}>'


def const(name, values, shape, etype):
    return f'    %{name} = "tosa.const"() <{{values = {dense(values, shape, etype)}}}> : () -> tensor<{"x".join(map(str, shape))}x{etype}>'


def t(shape, etype):
    return f"tensor<{'x'.join(map(str, shape))}x{etype}>"


def requant_params(k, channels, per_channel):
    # acc std ~ sqrt(k) * 74 * 73; aim the outputs at std ~60.
    scale = 60.0 / (np.sqrt(k) * 74 * 73)
    n = channels if per_channel else 1
    scales = scale * rng.uniform(0.5, 2.0, n)
    shifts = np.ceil(-np.log2(scales)).astype(np.int64) + 30
    mults = np.round(scales * 2.0 ** shifts).astype(np.int64)
    mults = np.minimum(mults, 2**31 - 1)
    return mults, shifts


def epilogue(lines, acc, acc_shape, channels, k, per_channel, rounding,
             out_zp, clamp):
    mults, shifts = requant_params(k, channels, per_channel)
    n = len(mults)
    lines.append(const("mult", mults, [n], "i32"))
    lines.append(const("shift", shifts, [n], "i8"))
    lines.append(const("izp32", [0], [1], "i32"))
    lines.append(const("ozp", [out_zp], [1], "i8"))
    pc = "true" if per_channel else "false"
    lines.append(
        f"    %q = tosa.rescale %{acc}, %mult, %shift, %izp32, %ozp "
        f"{{input_unsigned = false, output_unsigned = false, per_channel = {pc}, "
        f"rounding_mode = {rounding}, scale32 = true}} : ({t(acc_shape, 'i32')}, "
        f"{t([n], 'i32')}, {t([n], 'i8')}, {t([1], 'i32')}, {t([1], 'i8')}) -> "
        f"{t(acc_shape, 'i8')}")
    result = "q"
    if clamp:
        lines.append(
            f"    %c = tosa.clamp %q {{min_val = {clamp[0]} : i8, max_val = "
            f"{clamp[1]} : i8}} : ({t(acc_shape, 'i8')}) -> {t(acc_shape, 'i8')}")
        result = "c"
    lines.append(f"    return %{result} : {t(acc_shape, 'i8')}")


def conv(name, n, h, w, c, f, kh, kw, pad, stride, dil, izp, per_channel,
         rounding, out_zp, clamp):
    oh = (h - 1 + pad[0] + pad[1] - (kh - 1) * dil[0]) // stride[0] + 1
    ow = (w - 1 + pad[2] + pad[3] - (kw - 1) * dil[1]) // stride[1] + 1
    lines = [f"  func.func @{name}(%x: {t([n, h, w, c], 'i8')}) -> {t([n, oh, ow, f], 'i8')} {{"]
    lines.append(const("w", rng.integers(-127, 128, (f, kh, kw, c)), [f, kh, kw, c], "i8"))
    lines.append(const("b", rng.integers(-20000, 20000, f), [f], "i32"))
    lines.append(const("xzp", [izp], [1], "i8"))
    lines.append(const("wzp", [0], [1], "i8"))
    lines.append(
        f"    %acc = tosa.conv2d %x, %w, %b, %xzp, %wzp {{acc_type = i32, "
        f"dilation = array<i64: {dil[0]}, {dil[1]}>, pad = array<i64: "
        f"{', '.join(map(str, pad))}>, stride = array<i64: {stride[0]}, "
        f"{stride[1]}>}} : ({t([n, h, w, c], 'i8')}, {t([f, kh, kw, c], 'i8')}, "
        f"{t([f], 'i32')}, {t([1], 'i8')}, {t([1], 'i8')}) -> {t([n, oh, ow, f], 'i32')}")
    epilogue(lines, "acc", [n, oh, ow, f], f, kh * kw * c, per_channel,
             rounding, out_zp, clamp)
    lines.append("  }")
    return lines, n * oh * ow * f


def matmul(name, m, k, nn, izp, bias, per_channel, rounding, out_zp, clamp,
           requant=True):
    out_type = "i8" if requant else "i32"
    lines = [f"  func.func @{name}(%a: {t([1, m, k], 'i8')}) -> {t([1, m, nn], out_type)} {{"]
    lines.append(const("w", rng.integers(-127, 128, (1, k, nn)), [1, k, nn], "i8"))
    lines.append(const("azp", [izp], [1], "i8"))
    lines.append(const("bzp", [0], [1], "i8"))
    lines.append(
        f"    %mm = tosa.matmul %a, %w, %azp, %bzp : ({t([1, m, k], 'i8')}, "
        f"{t([1, k, nn], 'i8')}, {t([1], 'i8')}, {t([1], 'i8')}) -> {t([1, m, nn], 'i32')}")
    acc = "mm"
    if bias:
        lines.append(const("b", rng.integers(-20000, 20000, nn), [1, 1, nn], "i32"))
        lines.append(
            f"    %acc = tosa.add %mm, %b : ({t([1, m, nn], 'i32')}, "
            f"{t([1, 1, nn], 'i32')}) -> {t([1, m, nn], 'i32')}")
        acc = "acc"
    if requant:
        epilogue(lines, acc, [1, m, nn], nn, k, per_channel, rounding,
                 out_zp, clamp)
    else:
        lines.append(f"    return %{acc} : {t([1, m, nn], 'i32')}")
    lines.append("  }")
    return lines, m * nn


cases = [
    conv("conv3x3_c3_f20", 1, 5, 7, 3, 20, 3, 3, (1, 1, 1, 1), (1, 1), (1, 1),
         -7, True, "SINGLE_ROUND", 4, (-128, 100)),
    conv("conv3x3_s2_batch2", 2, 9, 11, 16, 64, 3, 3, (1, 1, 1, 1), (2, 2),
         (1, 1), 5, False, "DOUBLE_ROUND", -3, None),
    conv("conv2x2_dilated_f33", 1, 6, 13, 8, 33, 2, 2, (0, 0, 0, 0), (1, 1),
         (2, 2), -128, True, "DOUBLE_ROUND", -20, (-20, 127)),
    conv("conv1x1_w3_f70", 1, 2, 3, 5, 70, 1, 1, (0, 0, 0, 0), (1, 1), (1, 1),
         0, True, "SINGLE_ROUND", 0, None),
    conv("conv3x1_asym_pad", 1, 4, 6, 4, 16, 3, 1, (2, 0, 0, 1), (1, 1),
         (1, 1), 11, True, "SINGLE_ROUND", -128, None),
    matmul("matmul_7x30x33", 7, 30, 33, 3, True, True, "SINGLE_ROUND", 2,
           (-100, 90)),
    matmul("matmul_1x64x10", 1, 64, 10, -128, True, True, "SINGLE_ROUND", -11,
           None),
    matmul("matmul_64x256x96", 64, 256, 96, 0, False, False, "DOUBLE_ROUND", 0,
           None),
    # i32 results (no requantize): the kernel stores its sums.
    matmul("matmul_i32_5x20x40", 5, 20, 40, -128, True, False, "", 0, None,
           requant=False),
    matmul("matmul_i32_3x64x16", 3, 64, 16, 17, False, False, "", 0, None,
           requant=False),
    # Fewer than 4 input channels: the window unfolded into channels.
    conv("conv3x3_c1_s2_batch2", 2, 9, 11, 1, 16, 3, 3, (1, 1, 1, 1), (2, 2),
         (1, 1), -100, True, "SINGLE_ROUND", 7, (-128, 127)),
    conv("conv5x3_c2_dilated", 1, 12, 10, 2, 20, 5, 3, (2, 1, 0, 3), (1, 2),
         (2, 1), 9, True, "DOUBLE_ROUND", -5, None),
    # An input over half of L2 (the others are smaller): tiled in bands of
    # 15 output rows, each band's pixels one row of tiles.
    conv("conv3x3_bands_90x100", 1, 90, 100, 64, 20, 3, 3, (1, 1, 1, 1),
         (1, 1), (1, 1), 3, True, "SINGLE_ROUND", 1, None),
]

def exact_runs(targets):
    """One quant-run comparison with the reference per target, exact."""
    def runs(i, name, count):
        return [f"// RUN: quant-run %s --entry={name} --random-inputs={i + 1}"
                f"{flags} --compare=%s --compare-pipeline=reference | "
                f"FileCheck %s --check-prefix=EXACT{count}" for flags in targets]
    return runs


def write(path, cases, targets, header, runs=None, checks=()):
    """Writes the cases with their RUN lines (by default one quant-run
    comparison per target each), `checks` and the EXACT check lines."""
    runs = runs or exact_runs(targets)
    out = ["// Generated by utils/gen-kernel-tests.py; do not edit."] + header + ["//"]
    for i, (lines, count) in enumerate(cases):
        name = lines[0].split("@")[1].split("(")[0]
        out.extend(runs(i, name, count))
    out.append("//")
    out.extend(checks)
    for count in sorted({count for _, count in cases}):
        out.append(f"// EXACT{count}: max_abs_err 0.000000e+00 mean_abs_err "
                   f"0.000000e+00 exact {count}/{count} (100.00%)")
    out.append("")
    out.append("module {")
    for lines, count in cases:
        out.extend(lines)
    out.append("}")
    open(path, "w").write("\n".join(out) + "\n")


# Each entry runs through --quantsim-cpu-codegen three ways (the host's
# kernels, VNNI turned off, and a CPU without AVX-512) and must match the
# reference lowering bit for bit on random inputs.
write("test/Integration/int8-kernels.mlir", cases,
      ["", " --target-features=-avx512vnni", " --target-cpu=x86-64-v3"],
      ["// Integer TOSA conv2d/matmul + rescale (+ clamp) chains for the CPU",
       "// kernels, each compared with the reference lowering on random inputs",
       "// for three targets."])


# f32: the kernel adds the same products in the same order as the reference
# lowering, so its results are bit-identical too.
frng = np.random.default_rng(20261123)


def fconst(name, shape, std):
    return const(name, frng.normal(0.0, std, shape).astype(np.float32), shape, "f32")


def fclamp(lines, value, shape, clamp):
    """Appends the activation after `value`: None, a clamp's (lo, hi), or
    one of FACTIVATIONS' names; returns the result's name."""
    if not clamp:
        return value
    if isinstance(clamp, str):
        return FACTIVATIONS[clamp](lines, value, t(shape, "f32"))
    lines.append(
        f"    %c = tosa.clamp %{value} {{min_val = {clamp[0]:.1f} : f32, max_val = "
        f"{clamp[1]:.1f} : f32}} : ({t(shape, 'f32')}) -> {t(shape, 'f32')}")
    return "c"


def fscalar(lines, name, value, rank):
    shape = "x".join(["1"] * rank)
    lines.append(f'    %{name} = "tosa.const"() <{{values = dense<{value!r}> : '
                 f'tensor<{shape}xf32>}}> : () -> tensor<{shape}xf32>')
    return f"tensor<{shape}xf32>"


def silu(lines, x, tt, swapped=False):
    """x * sigmoid(x), as PyTorch exports SiLU (Sigmoid, then Mul)."""
    lines.append(f"    %sig = tosa.sigmoid %{x} : ({tt}) -> {tt}")
    lines.append('    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
                 '() -> tensor<1xi8>')
    a, b = ("sig", x) if swapped else (x, "sig")
    lines.append(f"    %silu = tosa.mul %{a}, %{b}, %shift : ({tt}, {tt}, "
                 f"tensor<1xi8>) -> {tt}")
    return "silu"


def hardswish(lines, x, tt):
    """x * clamp(x * 1/6 + 1/2, 0, 1), as the ONNX importer writes HardSwish."""
    rank = tt.count("x")
    st = fscalar(lines, "sixth", float(np.float32(1.0 / 6.0)), rank)
    fscalar(lines, "half", 0.5, rank)
    lines.append('    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
                 '() -> tensor<1xi8>')
    lines.append(f"    %hs0 = tosa.mul %{x}, %sixth, %shift : ({tt}, {st}, "
                 f"tensor<1xi8>) -> {tt}")
    lines.append(f"    %hs1 = tosa.add %hs0, %half : ({tt}, {st}) -> {tt}")
    lines.append(f"    %hs2 = tosa.clamp %hs1 {{min_val = 0.0 : f32, max_val = 1.0 : f32}}"
                 f" : ({tt}) -> {tt}")
    lines.append(f"    %hswish = tosa.mul %{x}, %hs2, %shift : ({tt}, {tt}, "
                 f"tensor<1xi8>) -> {tt}")
    return "hswish"


def relu6_silu(lines, x, tt):
    """A clamp, then SiLU with its multiply's operands the other way round."""
    lines.append(f"    %r6 = tosa.clamp %{x} {{min_val = 0.0 : f32, max_val = 6.0 : f32}}"
                 f" : ({tt}) -> {tt}")
    return silu(lines, "r6", tt, swapped=True)


def scale_sigmoid(lines, x, tt):
    """2 * x - 1 (the constant first in the add), then a plain sigmoid."""
    rank = tt.count("x")
    st = fscalar(lines, "two", 2.0, rank)
    fscalar(lines, "minus1", -1.0, rank)
    lines.append('    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
                 '() -> tensor<1xi8>')
    lines.append(f"    %s0 = tosa.mul %two, %{x}, %shift : ({st}, {tt}, "
                 f"tensor<1xi8>) -> {tt}")
    lines.append(f"    %s1 = tosa.add %minus1, %s0 : ({st}, {tt}) -> {tt}")
    lines.append(f"    %s2 = tosa.sigmoid %s1 : ({tt}) -> {tt}")
    return "s2"


FACTIVATIONS = {"silu": silu, "hardswish": hardswish, "relu6_silu": relu6_silu,
                "scale_sigmoid": scale_sigmoid}


def fconv(name, n, h, w, c, f, kh, kw, pad, stride, dil, clamp):
    oh = (h - 1 + pad[0] + pad[1] - (kh - 1) * dil[0]) // stride[0] + 1
    ow = (w - 1 + pad[2] + pad[3] - (kw - 1) * dil[1]) // stride[1] + 1
    shape = [n, oh, ow, f]
    lines = [f"  func.func @{name}(%x: {t([n, h, w, c], 'f32')}) -> {t(shape, 'f32')} {{"]
    lines.append(fconst("w", [f, kh, kw, c], 1.0 / np.sqrt(kh * kw * c)))
    lines.append(fconst("b", [f], 0.5))
    lines.append(const("zp", np.zeros(1, np.float32), [1], "f32"))
    lines.append(
        f"    %y = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, "
        f"dilation = array<i64: {dil[0]}, {dil[1]}>, pad = array<i64: "
        f"{', '.join(map(str, pad))}>, stride = array<i64: {stride[0]}, "
        f"{stride[1]}>}} : ({t([n, h, w, c], 'f32')}, {t([f, kh, kw, c], 'f32')}, "
        f"{t([f], 'f32')}, {t([1], 'f32')}, {t([1], 'f32')}) -> {t(shape, 'f32')}")
    lines.append(f"    return %{fclamp(lines, 'y', shape, clamp)} : {t(shape, 'f32')}")
    lines.append("  }")
    return lines, n * oh * ow * f


def fmatmul(name, m, k, nn, bias_shape, clamp):
    shape = [1, m, nn]
    lines = [f"  func.func @{name}(%a: {t([1, m, k], 'f32')}) -> {t(shape, 'f32')} {{"]
    lines.append(fconst("w", [1, k, nn], 1.0 / np.sqrt(k)))
    lines.append(const("zp", np.zeros(1, np.float32), [1], "f32"))
    lines.append(
        f"    %mm = tosa.matmul %a, %w, %zp, %zp : ({t([1, m, k], 'f32')}, "
        f"{t([1, k, nn], 'f32')}, {t([1], 'f32')}, {t([1], 'f32')}) -> {t(shape, 'f32')}")
    value = "mm"
    if bias_shape:
        lines.append(fconst("b", bias_shape, 0.5))
        lines.append(
            f"    %acc = tosa.add %mm, %b : ({t(shape, 'f32')}, "
            f"{t(bias_shape, 'f32')}) -> {t(shape, 'f32')}")
        value = "acc"
    lines.append(f"    return %{fclamp(lines, value, shape, clamp)} : {t(shape, 'f32')}")
    lines.append("  }")
    return lines, m * nn


fcases = [
    fconv("fconv3x3_c3_f20_relu", 1, 5, 7, 3, 20, 3, 3, (1, 1, 1, 1), (1, 1),
          (1, 1), (0.0, 3.4e38)),
    fconv("fconv3x3_s2_batch2", 2, 9, 11, 16, 64, 3, 3, (1, 1, 1, 1), (2, 2),
          (1, 1), None),
    fconv("fconv2x2_dilated_f33_relu6", 1, 6, 13, 8, 33, 2, 2, (0, 0, 0, 0),
          (1, 1), (2, 2), (0.0, 6.0)),
    fconv("fconv1x1_w3_f70", 1, 2, 3, 5, 70, 1, 1, (0, 0, 0, 0), (1, 1),
          (1, 1), None),
    fconv("fconv3x1_asym_pad", 1, 4, 6, 4, 16, 3, 1, (2, 0, 0, 1), (1, 1),
          (1, 1), (-1.0, 1.0)),
    fconv("fconv5x5_c1_f8", 2, 12, 12, 1, 8, 5, 5, (2, 2, 2, 2), (1, 1),
          (1, 1), None),
    # An input over half of L2: tiled in two bands of 30 output rows (the
    # others, smaller, as one band of all the image's pixels).
    fconv("fconv3x3_bands_60x70", 1, 60, 70, 32, 20, 3, 3, (1, 1, 1, 1), (1, 1),
          (1, 1), (0.0, 6.0)),
    fmatmul("fmatmul_7x30x33_bias_clamp", 7, 30, 33, [1, 1, 33], (-0.5, 0.5)),
    fmatmul("fmatmul_1x64x10_bias", 1, 64, 10, [1, 1, 10], None),
    fmatmul("fmatmul_64x256x96", 64, 256, 96, None, None),
    # A bias per row and column: the add stays a separate op.
    fmatmul("fmatmul_3x20x40_bias_rows", 3, 20, 40, [1, 3, 40], (0.0, 3.4e38)),
]


def fdepthwise(name, n, h, w, c, kh, kw, pad, stride, dil, clamp):
    oh = (h - 1 + pad[0] + pad[1] - (kh - 1) * dil[0]) // stride[0] + 1
    ow = (w - 1 + pad[2] + pad[3] - (kw - 1) * dil[1]) // stride[1] + 1
    shape = [n, oh, ow, c]
    lines = [f"  func.func @{name}(%x: {t([n, h, w, c], 'f32')}) -> {t(shape, 'f32')} {{"]
    lines.append(fconst("w", [kh, kw, c, 1], 1.0 / np.sqrt(kh * kw)))
    lines.append(fconst("b", [c], 0.5))
    lines.append(const("zp", np.zeros(1, np.float32), [1], "f32"))
    lines.append(
        f"    %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, "
        f"dilation = array<i64: {dil[0]}, {dil[1]}>, pad = array<i64: "
        f"{', '.join(map(str, pad))}>, stride = array<i64: {stride[0]}, "
        f"{stride[1]}>}} : ({t([n, h, w, c], 'f32')}, {t([kh, kw, c, 1], 'f32')}, "
        f"{t([c], 'f32')}, {t([1], 'f32')}, {t([1], 'f32')}) -> {t(shape, 'f32')}")
    lines.append(f"    return %{fclamp(lines, 'y', shape, clamp)} : {t(shape, 'f32')}")
    lines.append("  }")
    return lines, n * oh * ow * c


fcases += [
    fdepthwise("fdepthwise3x3_c40_relu6", 1, 9, 7, 40, 3, 3, (1, 1, 1, 1),
               (1, 1), (1, 1), (0.0, 6.0)),
    fdepthwise("fdepthwise3x3_s2_batch2_c16", 2, 9, 11, 16, 3, 3, (1, 1, 1, 1),
               (2, 2), (1, 1), None),
    fdepthwise("fdepthwise5x5_c7_asym", 1, 8, 6, 7, 5, 5, (2, 2, 1, 3), (1, 1),
               (1, 1), None),
    fdepthwise("fdepthwise7x7_c20_dilated", 1, 14, 13, 20, 7, 7, (3, 3, 6, 6),
               (1, 1), (1, 2), (-1.0, 1.0)),
]
write("test/Integration/f32-kernels.mlir", fcases, ["", " --target-cpu=x86-64-v3"],
      ["// f32 TOSA conv2d/matmul (+ bias, + clamp) chains for the CPU kernels,",
       "// each compared with the reference lowering on random inputs for a",
       "// CPU with AVX-512 (the host's tiling where it has it) and one without."])


# The elementwise ops the f32 kernels apply before storing (SiLU, HardSwish,
# clamps, sigmoid, multiplies and adds by a scalar), through the CPU
# pipeline with libm's expf, which the reference lowering calls: then the
# fused results are bit-identical to the separate ops'.
write("test/Integration/f32-activations.mlir", [
    fconv("fconv3x3_c5_f40_silu", 1, 6, 9, 5, 40, 3, 3, (1, 1, 1, 1), (1, 1),
          (1, 1), "silu"),
    fconv("fconv1x1_f24_batch2_hardswish", 2, 5, 7, 16, 24, 1, 1, (0, 0, 0, 0),
          (1, 1), (1, 1), "hardswish"),
    fconv("fconv3x3_s2_f17_relu6_silu", 1, 9, 9, 3, 17, 3, 3, (1, 1, 1, 1),
          (2, 2), (1, 1), "relu6_silu"),
    fmatmul("fmatmul_5x40x33_bias_silu", 5, 40, 33, [1, 1, 33], "silu"),
    fmatmul("fmatmul_3x16x20_scale_sigmoid", 3, 16, 20, None, "scale_sigmoid"),
    fdepthwise("fdepthwise3x3_c40_silu", 1, 9, 7, 40, 3, 3, (1, 1, 1, 1),
               (1, 1), (1, 1), "silu"),
    fdepthwise("fdepthwise5x5_s2_c20_hardswish", 1, 11, 11, 20, 5, 5,
               (2, 2, 2, 2), (2, 2), (1, 1), "hardswish"),
], [" --pipeline=cpu-exact-math", " --pipeline=cpu-exact-math --target-cpu=x86-64-v3"],
      ["// f32 conv2d/matmul/depthwise chains with the activations their kernels",
       "// apply in registers (SiLU, HardSwish, clamp then SiLU, scale and",
       "// sigmoid), through the CPU pipeline with libm's expf, each compared",
       "// with the reference lowering on random inputs for a CPU with AVX-512",
       "// (the host's tiling where it has it) and one without."])


# Max pools: windows, strides and padding of real networks (2x2/2, ResNet's
# 3x3/2 pad 1, overlapping 3x3/1, a global 7x7 window that takes the loop
# path), channel counts around the vector widths (64 i8, 16 f32).
def pool(name, etype, n, h, w, c, k, stride, pad):
    oh = (h + pad[0] + pad[1] - k[0]) // stride[0] + 1
    ow = (w + pad[2] + pad[3] - k[1]) // stride[1] + 1
    return ([f"  func.func @{name}(%x: {t([n, h, w, c], etype)}) -> {t([n, oh, ow, c], etype)} {{",
             f"    %y = tosa.max_pool2d %x {{kernel = array<i64: {k[0]}, {k[1]}>, "
             f"pad = array<i64: {', '.join(map(str, pad))}>, stride = array<i64: "
             f"{stride[0]}, {stride[1]}>}} : ({t([n, h, w, c], etype)}) -> {t([n, oh, ow, c], etype)}",
             f"    return %y : {t([n, oh, ow, c], etype)}", "  }"], n * oh * ow * c)


pcases = []
for etype in ("i8", "f32"):
    pcases += [
        pool(f"pool2x2_s2_c16_{etype}", etype, 1, 28, 28, 16, (2, 2), (2, 2), (0, 0, 0, 0)),
        pool(f"pool3x3_s2_pad1_c70_{etype}", etype, 2, 9, 11, 70, (3, 3), (2, 2), (1, 1, 1, 1)),
        pool(f"pool3x3_s1_asym_c3_{etype}", etype, 1, 5, 6, 3, (3, 3), (1, 1), (0, 2, 1, 0)),
        pool(f"pool7x7_global_c130_{etype}", etype, 1, 7, 7, 130, (7, 7), (1, 1), (0, 0, 0, 0)),
    ]


# f32 average pools without padding (the window count is constant): a
# global 7x7 (the loop path past 16 taps), a 14x14 one, 2x2/2 and an
# overlapping 3x3/1.
def avgpool(name, n, h, w, c, k, stride):
    oh = (h - k[0]) // stride[0] + 1
    ow = (w - k[1]) // stride[1] + 1
    zp = const("zp", np.zeros(1, np.float32), [1], "f32")
    return ([f"  func.func @{name}(%x: {t([n, h, w, c], 'f32')}) -> {t([n, oh, ow, c], 'f32')} {{",
             zp,
             f"    %y = tosa.avg_pool2d %x, %zp, %zp {{acc_type = f32, kernel = array<i64: "
             f"{k[0]}, {k[1]}>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: "
             f"{stride[0]}, {stride[1]}>}} : ({t([n, h, w, c], 'f32')}, {t([1], 'f32')}, "
             f"{t([1], 'f32')}) -> {t([n, oh, ow, c], 'f32')}",
             f"    return %y : {t([n, oh, ow, c], 'f32')}", "  }"], n * oh * ow * c)


pcases += [
    avgpool("avgpool7x7_global_c40", 1, 7, 7, 40, (7, 7), (1, 1)),
    avgpool("avgpool14x14_global_batch2_c16", 2, 14, 14, 16, (14, 14), (1, 1)),
    avgpool("avgpool2x2_s2_c70", 1, 8, 10, 70, (2, 2), (2, 2)),
    avgpool("avgpool3x3_s1_c5", 1, 6, 5, 5, (3, 3), (1, 1)),
]
write("test/Integration/pool-kernels.mlir", pcases, ["", " --target-cpu=x86-64-v3"],
      ["// i8 and f32 max pools for the CPU pipeline's vector pool loops, each",
       "// compared with the reference lowering on random inputs, with AVX-512",
       "// and without."])


# f32 3x3 stride-1 convs with 16-channel multiples and enough tiles: the CPU
# pipeline computes them by Winograd's F(4x4, 3x3), whose sums differ from
# the direct convolution's in the last bits. Each runs five ways: F(4x4)
# with AVX-512 and without, F(2x2) (the kernels pass's option), all within
# a tolerance of the reference lowering and not equal to it (a max_abs_err
# of 1e-8 to under 1e-4: the transform ran); with libm's expf and direct
# convolutions (cpu-exact-math), bit-identical; on two threads, identical
# to one.
frng = np.random.default_rng(20261124)
wcases = [
    # Whole 4x4 tiles, 36 of them.
    fconv("fwino_24x24_c32_f48_relu", 1, 24, 24, 32, 48, 3, 3, (1, 1, 1, 1),
          (1, 1), (1, 1), (0.0, 3.0e38)),
    # Last tile row and column partly outside the output (26 = 6*4 + 2,
    # 21 = 5*4 + 1), two images.
    fconv("fwino_26x21_batch2_c16_f32", 2, 26, 21, 16, 32, 3, 3, (1, 1, 1, 1),
          (1, 1), (1, 1), None),
    # No padding: 24x25 outputs.
    fconv("fwino_valid_26x27_c16_f16_relu6", 1, 26, 27, 16, 16, 3, 3,
          (0, 0, 0, 0), (1, 1), (1, 1), (0.0, 6.0)),
    # Asymmetric padding, SiLU in the output transform.
    fconv("fwino_asym_25x23_c48_f32_silu", 1, 25, 23, 48, 32, 3, 3,
          (0, 2, 2, 1), (1, 1), (1, 1), "silu"),
    # 16 tiles, enough for 128 output channels.
    fconv("fwino_13x13_c16_f128", 1, 13, 13, 16, 128, 3, 3, (1, 1, 1, 1),
          (1, 1), (1, 1), None),
]


def winograd_runs(i, name, count):
    run = f"--entry={name} --random-inputs={i + 1}"
    cmp = "--compare=%s --compare-pipeline=reference"
    lines = [f"// RUN: quant-run %s {run}{flags} --atol=1e-4 {cmp} | "
             f"FileCheck %s --check-prefix=CLOSE"
             for flags in ["", " --target-cpu=x86-64-v3"]]
    return lines + [
        f"// RUN: quant-opt %s --quantsim-cpu-kernels=winograd=2 | quant-run - "
        f"{run} --pipeline=cpu-exact-math --atol=1e-5 {cmp} | "
        f"FileCheck %s --check-prefix=CLOSE",
        f"// RUN: quant-run %s {run} --pipeline=cpu-exact-math {cmp} | "
        f"FileCheck %s --check-prefix=EXACT{count}",
        f"// RUN: quant-run %s {run} -o %t.{name}.1.npy",
        f"// RUN: quant-run %s {run} --num-threads=2 -o %t.{name}.2.npy",
        f"// RUN: cmp %t.{name}.1.npy %t.{name}.2.npy"]


write("test/Integration/winograd.mlir", wcases, [],
      ["// f32 3x3 convolutions that the CPU pipeline computes by Winograd's",
       "// algorithm: F(4x4, 3x3) with AVX-512 and without and F(2x2, 3x3)",
       "// within a tolerance of the reference lowering (and not equal to it);",
       "// cpu-exact-math bit-identical to it; two threads identical to one."],
      runs=winograd_runs,
      checks=["// CLOSE: max_abs_err {{[1-9]\\.[0-9]+e-0[5-8]}} mean_abs_err"])
