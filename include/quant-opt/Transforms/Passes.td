//===- Passes.td - quant-opt transforms on float graphs ----*- tablegen -*-===//
//
// Part of quant-opt. Rewrites of the float / fake-quant graph that prepare it
// for the integer lowering.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TRANSFORMS_PASSES_TD
#define QUANTOPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantSimFoldAffineChainsPass
    : Pass<"quantsim-fold-affine-chains", "::mlir::func::FuncOp"> {
  let summary = "Fold BatchNorm and per-channel mul/add/sub chains into "
                "conv/matmul weights, bias and weight scales";
  let description = [{
    A BatchNormalization in TOSA is a per-channel `tosa.mul` and `tosa.add`
    by constants; PyTorch's QAT export of conv+BN adds a multiplication by
    the reciprocal of the BN factor before it. This pass folds such chains
    into the producing `tosa.conv2d`, `tosa.depthwise_conv2d` (channel
    multiplier 1) or `tosa.matmul`, so that the QAT lowering sees one op with
    a bias and a fused activation:

    * `mul(op(x, W, b), m)` with per-channel constant `m`: the weights become
      `W * m` and the bias `b * m`. When `W` is `fake_quant(C, T)` of a
      constant, the new weight is `fake_quant(dequant(C) * m, T')` with
      per-channel scales `s_c * |m_c|`: the integer levels stay `+-q`, so the
      fold is exact in integers and the quantized weights are not perturbed.
      Negative `m_c` negates the channel's levels (zero point 0 only, and not
      when a level sits at an asymmetric range's minimum).
    * `add(op(x, W, b), c)` / `sub(...)`: conv biases absorb `c`; after a
      matmul (no bias operand) the constant add stays and the QAT lowering
      quantizes it as the bias.
    * `mul(add(y, c), m)` becomes `add(mul(y, m), c * m)` and
      `add(add(y, c1), c2)` becomes `add(y, c1 + c2)`, so whole chains
      collapse.

    Constants must broadcast along the output channel only (shape
    `[1, ..., 1, C]` or a single value). Anything else is left as it is, as
    are functions with the unit attribute `quantsim.keep_float`.

    Before (conv + BN, as PyTorch's QAT exports it):

    ```mlir
    %wq = quantsim.fake_quant %w_scaled, !quant.uniform<i8<-127:127>:f32:0, {...}> : tensor<8x3x3x3xf32>
    %c = tosa.conv2d %xq, %wq, %zero_bias, %zp, %zp {...} : ... -> tensor<1x16x16x8xf32>
    %d = tosa.mul %c, %inv_bn_factor, %shift : ... // 1 / (gamma / sqrt(var + eps))
    %a = tosa.add %d, %conv_bias : ...
    %n = tosa.mul %a, %bn_scale, %shift : ...     // gamma / sqrt(var + eps)
    %b = tosa.add %n, %bn_shift : ...             // beta - mean * bn_scale
    %r = tosa.clamp %b {min_val = 0.0 : f32, ...}
    ```

    After:

    ```mlir
    %wq = quantsim.fake_quant %w_folded, !quant.uniform<i8<-127:127>:f32:0, {...}> : tensor<8x3x3x3xf32>
    %c = tosa.conv2d %xq, %wq, %folded_bias, %zp, %zp {...} : ... -> tensor<1x16x16x8xf32>
    %r = tosa.clamp %c {min_val = 0.0 : f32, ...}
    ```
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect",
                           "::mlir::quantsim::QuantSimDialect"];
}

def QuantSimInsertObserversPass
    : Pass<"quantsim-insert-observers", "::mlir::func::FuncOp"> {
  let summary = "Instrument a float TOSA graph with quantsim.observe for "
                "post-training quantization";
  let description = [{
    Chooses what gets quantized and how, and records it on
    `quantsim.observe` ops: the first step of post-training quantization
    (insert observers, calibrate, `--quantsim-fold-calibration`,
    `--quantsim-propagate-ranges`; `quant-calibrate` runs them all).

    For every op of a kind named in `ops` (conv2d, depthwise_conv2d, matmul,
    add, mul, avg_pool2d, concat, sigmoid, tanh):

    * each float activation operand is observed at its *source*: walking
      back through ops that keep the scale (reshape, transpose, max_pool2d,
      pad, slice, reverse, tile, identity), so that one observer serves a
      value and every layout change of it;
    * its result is observed at the end of its epilogue: through a constant
      bias `tosa.add`, `tosa.reshape` and `tosa.clamp` (ReLU/ReLU6), each the
      single user of the last, which is where the integer lowering expects
      the output's fake-quant. Sigmoid and tanh outputs are not observed:
      their range is fixed (`--quantsim-propagate-ranges` sets it);
    * a constant weight (conv filters, the constant operand of a matmul) is
      observed per output channel (`per-channel-weights`) or per tensor,
      signed, symmetric, narrow range ([-127, 127] at 8 bits): weights are
      folded from the constant itself, with no calibration.

    Activations are u8 asymmetric (`activations=u8`, the default) or s8
    symmetric (`activations=s8`), of `bits` bits. An op whose location name
    (the ONNX node name after import) is in `keep-float` is left float and
    gets the unit attribute `quantsim.keep_float`, which the integer
    lowering respects. Observers are named after the op's location name
    (`<name>` for its output, `<name>.weight`, `input<N>` for arguments),
    made unique.

    Run `--quantsim-fold-affine-chains` first, so that BatchNorm chains are
    already part of the conv weights.

    Before:

    ```mlir
    %c = tosa.conv2d %x, %w, %b, %zp, %zp {...} loc("conv1")
    %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.4e38 : f32}
    ```

    After:

    ```mlir
    %xo = quantsim.observe %x as "input0" using histogram {bins = 2048 : i64}
    %wo = quantsim.observe %w as "conv1.weight" using min_max axis 0
            {is_signed, narrow_range, symmetric}
    %c = tosa.conv2d %xo, %wo, %b, %zp, %zp {...} loc("conv1")
    %r = tosa.clamp %c {...}
    %ro = quantsim.observe %r as "conv1" using histogram {bins = 2048 : i64}
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "TOSA op kinds to quantize (without the tosa. prefix; "
               "default: all that the integer lowering takes)">,
    Option<"activations", "activations", "std::string", "\"u8\"",
           "activation storage: u8 (asymmetric) or s8 (symmetric)">,
    Option<"bits", "bits", "unsigned", "8",
           "storage width of activations and weights (2 to 16)">,
    Option<"perChannelWeights", "per-channel-weights", "bool", "true",
           "one weight scale per output channel (else one per tensor)">,
    Option<"observer", "observer", "std::string", "\"histogram\"",
           "activation observer: histogram, min_max or "
           "moving_average_min_max">,
    Option<"bins", "bins", "int64_t", "2048",
           "histogram bins (histogram observers)">,
    Option<"momentum", "momentum", "double", "0.01",
           "moving-average momentum (moving_average_min_max observers)">,
    ListOption<"keepFloat", "keep-float", "std::string",
               "location names of ops to leave in float">
  ];
  let dependentDialects = ["::mlir::quantsim::QuantSimDialect"];
}

def QuantSimFoldCalibrationPass
    : Pass<"quantsim-fold-calibration", "::mlir::func::FuncOp"> {
  let summary = "Turn calibrated observers into fake_quant ops";
  let description = [{
    Replaces every `quantsim.observe` by a `quantsim.fake_quant` whose
    parameters come from its statistics and its scheme (`bits`,
    `is_signed`, `symmetric`, `narrow_range`), by one of four rules
    (`method`), each defined exactly in docs/Calibration.md:

    * `minmax`: the observed [min, max];
    * `percentile`: the range holding `percentile` percent of the values of
      the histogram (the tails split evenly for two-sided data);
    * `mse`: the range, among 200 proportional shrinkings of [min, max],
      that minimizes the squared quantization error over the histogram;
    * `entropy`: TensorRT's KL-divergence threshold on the histogram of |x|.

    The range always contains 0 and the zero point is an integer, so 0.0 is
    exact. Observers of constants (weights) are folded from the constant's
    own min/max, per channel where the observer is per axis. Methods other
    than `minmax` need histogram statistics; an observer without
    statistics, or whose statistics saw no finite value, is an error naming
    it. The fake_quant keeps the observer's name in the attribute
    `quantsim.observer`.

    Before:

    ```mlir
    %0 = quantsim.observe %x as "act" using min_max
           stats <min = [-1.0], max = [1.0], count = 4> : tensor<4xf32>
    ```

    After (u8, asymmetric):

    ```mlir
    %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0078431372549019607:128>
           {quantsim.observer = "act"} : tensor<4xf32>
    ```
  }];
  let options = [
    Option<"method", "method", "::mlir::quantsim::CalibrationMethod",
           "::mlir::quantsim::CalibrationMethod::MinMax",
           "range rule", [{::llvm::cl::values(
             clEnumValN(::mlir::quantsim::CalibrationMethod::MinMax, "minmax",
                        "observed min and max"),
             clEnumValN(::mlir::quantsim::CalibrationMethod::Percentile,
                        "percentile", "keep a percentile of the histogram"),
             clEnumValN(::mlir::quantsim::CalibrationMethod::MSE, "mse",
                        "minimize the squared error over the histogram"),
             clEnumValN(::mlir::quantsim::CalibrationMethod::Entropy,
                        "entropy", "minimize the KL divergence (TensorRT)"))}]>,
    Option<"percentile", "percentile", "double", "99.99",
           "with method=percentile: the percentage of values kept, in "
           "(0, 100]">
  ];
  let dependentDialects = ["::mlir::quantsim::QuantSimDialect",
                           "::mlir::quant::QuantDialect"];
}

def QuantSimPropagateRangesPass
    : Pass<"quantsim-propagate-ranges", "::mlir::func::FuncOp"> {
  let summary = "Propagate ranges and quantization parameters through the "
                "fake-quant graph; prove accumulators cannot overflow";
  let description = [{
    A sparse forward dataflow analysis (MLIR's dataflow framework) computes,
    for every float value, an interval that contains it and, where known,
    the quantization parameters it carries:

    * `fake_quant` gives its parameters and the interval of its levels,
      intersected with its input's;
    * ops that keep the scale (reshape, transpose, max_pool2d, pad, slice,
      reverse, tile, identity, concat of one parameter set) pass both on;
      `pad` adds its pad value to the interval;
    * `clamp` narrows the interval (ReLU, ReLU6);
    * `sigmoid` is in [0, 1], `tanh` in [-1, 1];
    * `add`/`sub` of two values add their intervals.

    The pass then materializes what the analysis found:

    * a value produced by a scale-keeping op from a quantized input gets a
      `fake_quant` with its input's parameters (exact: max-pool and data
      movement only select quantized values);
    * a sigmoid or tanh of a quantized input gets the fixed parameters of
      its range at the storage of its input's type (u8: scale 1/256 and
      zero point 0 for sigmoid, scale 1/128 and zero point 128 for tanh);
    * an `add`/`sub` of two quantized values with no fake_quant after it
      gets parameters for the sum of their intervals;
    * for every conv/depthwise conv/matmul whose input and weights are
      quantized, the i32 accumulator bound
      `sum_k |w_q[c,k] - z_w| * max |x_q - z_x| + |bias_q[c]|`
      (bias at scale `s_x * s_w[c]`) is checked against 2^31 - 1: an overflow
      is an error naming the op, or a warning with `overflow=warn`.

    With `report`, each quantized conv/matmul gets a remark with its input
    interval, the bias scale and the accumulator bound.

    Before:

    ```mlir
    %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.1> : tensor<1x4x4x8xf32>
    %p = tosa.max_pool2d %a {...} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
    %s = tosa.sigmoid %a : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
    ```

    After:

    ```mlir
    %p = tosa.max_pool2d %a {...}
    %pq = quantsim.fake_quant %p, !quant.uniform<u8:f32, 0.1> : tensor<1x2x2x8xf32>
    %s = tosa.sigmoid %a
    %sq = quantsim.fake_quant %s, !quant.uniform<u8:f32, 3.906250e-03> : tensor<1x4x4x8xf32>
    ```
  }];
  let options = [
    Option<"overflow", "overflow", "std::string", "\"error\"",
           "an accumulator that can overflow i32: error or warn">,
    Option<"report", "report", "bool", "false",
           "emit a remark per quantized conv/matmul with its ranges and "
           "accumulator bound">
  ];
  let dependentDialects = ["::mlir::quantsim::QuantSimDialect",
                           "::mlir::quant::QuantDialect"];
}

#endif // QUANTOPT_TRANSFORMS_PASSES_TD
