// RUN: quant-opt %s --split-input-file --quantsim-lower-qat="allow-float-fallback" --verify-diagnostics | FileCheck %s
// RUN: quant-opt %s --quantsim-lower-qat="rounding-mode=double allow-float-fallback" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=DOUBLE
// RUN: not quant-opt %s --quantsim-lower-qat="rounding-mode=up" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not quant-opt %s --quantsim-qat-to-int="rounding-mode=up" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: quant-opt %s --quantsim-qat-to-int="rounding-mode=double allow-float-fallback" --split-input-file 2>/dev/null | FileCheck %s --check-prefix=DOUBLE

// The rounding mode is an enum option: a bad value is refused when the
// option is parsed, before any pass runs.
// BAD: for the --rounding-mode option: Cannot find option named 'up'!

// With allow-float-fallback an op without integer lowering stays float, with
// a warning; the rest of the graph is still lowered.
// CHECK-LABEL: func.func @fallback
// DOUBLE-LABEL: func.func @fallback
func.func @fallback(%x: tensor<4xf32>) -> tensor<1xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<4xf32>
  // CHECK: %[[Q:.*]] = quantsim.quantize
  // CHECK: %[[D:.*]] = quantsim.dequantize %[[Q]]
  // CHECK: tosa.reduce_max %[[D]] {axis = 0 : i32} : (tensor<4xf32>) -> tensor<1xf32>
  // expected-warning @+1 {{'tosa.reduce_max' op has quantized inputs and a quantized result but no integer lowering; it stays float}}
  %y = tosa.reduce_max %xq {axis = 0 : i32} : (tensor<4xf32>) -> tensor<1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1xf32>
  return %yq : tensor<1xf32>
}

// -----

// rounding-mode=double selects TOSA DOUBLE_ROUND on every rescale.
// CHECK-LABEL: func.func @requant
// CHECK: rounding_mode = SINGLE_ROUND
// DOUBLE-LABEL: func.func @requant
// DOUBLE: rounding_mode = DOUBLE_ROUND
func.func @requant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<4xf32>
  %b = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.3> : tensor<4xf32>
  return %b : tensor<4xf32>
}
