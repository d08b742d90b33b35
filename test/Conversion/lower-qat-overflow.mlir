// RUN: quant-opt %s --split-input-file --quantsim-lower-qat --verify-diagnostics | FileCheck %s

// An i32 accumulator that can overflow is refused, not wrapped: u8 inputs
// (up to 255 levels from their zero point) times weights at level -128,
// summed over K = 65,794 terms, reach 255 * 128 * 65,794 = 2,147,516,160,
// above 2^31 - 1.
func.func @overflows(%x: tensor<1x1x65794xf32>) -> tensor<1x1x1xf32> {
  %w = arith.constant dense<-1.0> : tensor<1x65794x1xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x1x65794xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.0078125> : tensor<1x65794x1xf32>
  // expected-error @+1 {{the i32 accumulator can overflow: output channel 0 adds 65794 products of inputs up to 255 levels from their zero point and weights whose levels sum to 8421632, a worst case of 2147516160 (above 2^31 - 1), which would wrap silently}}
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x65794xf32>, tensor<1x65794x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0> : tensor<1x1x1xf32>
  return %yq : tensor<1x1x1xf32>
}

// -----

// One term fewer fits: 255 * 128 * 65,793 = 2,147,483,520.
// CHECK-LABEL: func.func @fits
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x1xi32>
func.func @fits(%x: tensor<1x1x65793xf32>) -> tensor<1x1x1xf32> {
  %w = arith.constant dense<-1.0> : tensor<1x65793x1xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x1x65793xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.0078125> : tensor<1x65793x1xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x65793xf32>, tensor<1x65793x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0> : tensor<1x1x1xf32>
  return %yq : tensor<1x1x1xf32>
}

// -----

// The bound uses the weights' actual levels: small weights allow a long K.
// CHECK-LABEL: func.func @small_weights
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x1xi32>
func.func @small_weights(%x: tensor<1x1x100000xf32>) -> tensor<1x1x1xf32> {
  %w = arith.constant dense<0.0078125> : tensor<1x100000x1xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x1x100000xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.0078125> : tensor<1x100000x1xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x100000xf32>, tensor<1x100000x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0> : tensor<1x1x1xf32>
  return %yq : tensor<1x1x1xf32>
}

// -----

// Convolutions too: 3x3 taps over 7,311 input channels at level -128
// (K = 65,799).
func.func @conv_overflows(%x: tensor<1x3x3x7311xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<-1.0> : tensor<1x3x3x7311xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x3x3x7311xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.0078125> : tensor<1x3x3x7311xf32>
  // expected-error @+1 {{the i32 accumulator can overflow: output channel 0 adds 65799 products}}
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x7311xf32>, tensor<1x3x3x7311xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0> : tensor<1x1x1x1xf32>
  return %yq : tensor<1x1x1x1xf32>
}
