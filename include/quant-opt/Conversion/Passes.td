//===- Passes.td - quant-opt conversion passes -------------*- tablegen -*-===//
//
// Part of quant-opt. Lowerings out of the quantsim dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_PASSES_TD
#define QUANTOPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantSimLowerFakeQuantPass : Pass<"quantsim-lower-fake-quant"> {
  let summary = "Lower quantsim.fake_quant/quantize/dequantize to linalg.generic over arith/math";
  let description = [{
    Replaces every `quantsim.fake_quant` by an elementwise `linalg.generic`
    whose body computes, in f32 and bit-exactly as the op defines:

    ```
    q = clamp(roundeven(x / s) + zp, qmin, qmax);  y = (q - zp) * s
    ```

    Per-tensor parameters become scalar constants; per-axis parameters become
    two 1-D constant tensors (scales, zero points) read through the indexing
    map `(d0, ..., dn) -> (d_axis)`. Dynamic shapes are supported. `maximumf`
    and `minimumf` make NaN propagate; the zero point is added even when it is
    0 so that -0.0 never comes out (an integer level has no sign of zero).

    `quantsim.quantize` lowers the same way up to the clamped level, then
    replaces NaN by the zero point and converts with `arith.fptosi` (or
    `fptoui` for unsigned storage); `quantsim.dequantize` converts with
    `sitofp`/`uitofp`, then computes `(q - zp) * s`.

    Before:

    ```mlir
    %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 5.000000e-01:-3>
           : tensor<4xf32>
    ```

    After:

    ```mlir
    %s = arith.constant 5.000000e-01 : f32
    %zp = arith.constant -3.000000e+00 : f32
    %lo = arith.constant -1.280000e+02 : f32
    %hi = arith.constant 1.270000e+02 : f32
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel"]}
           ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %1 = arith.divf %in, %s : f32
      %2 = math.roundeven %1 : f32
      %3 = arith.addf %2, %zp : f32
      %4 = arith.maximumf %3, %lo : f32
      %5 = arith.minimumf %4, %hi : f32
      %6 = arith.subf %5, %zp : f32
      %7 = arith.mulf %6, %s : f32
      linalg.yield %7 : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // QUANTOPT_CONVERSION_PASSES_TD
