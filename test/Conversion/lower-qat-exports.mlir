// RUN: quant-opt %s --split-input-file --quantsim-lower-qat --verify-diagnostics | FileCheck %s

// A ReLU followed by a Clip (ReLU6 as exporters write it) merges into one
// clamp, which the conv island fuses: levels [0, 6 / 0.03 = 200] after the
// rescale, as an integer clamp.
// CHECK-LABEL: func.func @relu_then_clip
// CHECK: tosa.conv2d {{.*}} -> tensor<1x4x4x2xi32>
// CHECK: tosa.rescale
// CHECK: tosa.clamp {{.*}}max_val = 72 : i8, min_val = -128 : i8
// CHECK-NOT: tosa.clamp
func.func @relu_then_clip(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:128> : tensor<1x4x4x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.01> : tensor<2x1x1x2xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %r6 = tosa.clamp %r {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = quantsim.fake_quant %r6, !quant.uniform<u8:f32, 0.03> : tensor<1x4x4x2xf32>
  return %yq : tensor<1x4x4x2xf32>
}

// -----

// 16-bit storage: the error says why.
func.func @bits16(%x: tensor<4xf32>) -> tensor<4xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i16:f32, 0.001> : tensor<4xf32>
  // expected-error @+1 {{'tosa.sigmoid' op has 16-bit quantized inputs; the integer lowering supports 8-bit storage only}}
  %y = tosa.sigmoid %xq : (tensor<4xf32>) -> tensor<4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i16:f32, 0.0001> : tensor<4xf32>
  return %yq : tensor<4xf32>
}
