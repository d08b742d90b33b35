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

#endif // QUANTOPT_TRANSFORMS_PASSES_TD
