// RUN: quant-opt %s --split-input-file --quantsim-qat-to-int --verify-diagnostics | FileCheck %s

// `quantsim.keep_float` on one op: that op stays float between a dequantize
// and a quantize, with no error or warning; the ops around it are lowered.

// CHECK-LABEL: func.func @kept_matmul
func.func @kept_matmul(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %w = arith.constant dense<0.25> : tensor<1x4x4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.02> : tensor<1x1x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.01> : tensor<1x4x4xf32>
  // The first matmul is integer: i8 x i8 -> i32, then a rescale.
  // CHECK: %[[ACC:.*]] = tosa.matmul %{{.*}} : (tensor<1x1x4xi8>, tensor<1x4x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x4xi32>
  // CHECK: %[[R:.*]] = tosa.rescale %[[ACC]]
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.03> : tensor<1x1x4xf32>
  // The second is float, on the dequantized first result.
  // CHECK: %[[D:.*]] = quantsim.dequantize %{{.*}}, !quant.uniform<i8:f32, 3.000000e-02>
  // CHECK: %[[F:.*]] = tosa.matmul %[[D]], %{{.*}} {quantsim.keep_float} : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  // CHECK: quantsim.quantize %[[F]], !quant.uniform<i8:f32, 5.000000e-02>
  %z = tosa.matmul %yq, %wq, %zp, %zp {quantsim.keep_float} : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %zq = quantsim.fake_quant %z, !quant.uniform<i8:f32, 0.05> : tensor<1x1x4xf32>
  return %zq : tensor<1x1x4xf32>
}

// -----

// A kept-float clamp is not fused into the matmul before it. The matmul then
// has no quantized result of its own (its fake_quant is after the clamp), so
// it cannot be lowered either, and the lowering says so.
func.func @kept_epilogue(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %w = arith.constant dense<0.25> : tensor<1x4x4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.02> : tensor<1x1x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.01> : tensor<1x4x4xf32>
  // expected-error @+1 {{'tosa.matmul' op has quantized inputs and a quantized result but no integer lowering (use allow-float-fallback to keep it float)}}
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32, quantsim.keep_float = unit} : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<i8:f32, 0.03> : tensor<1x1x4xf32>
  return %rq : tensor<1x1x4xf32>
}

// -----

// Affine-chain folding leaves a kept-float scale alone.
// CHECK-LABEL: func.func @kept_scale
// CHECK: tosa.conv2d
// CHECK: tosa.mul {{.*}}quantsim.keep_float
func.func @kept_scale(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<0.25> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %m = arith.constant dense<[[[[2.0, 3.0]]]]> : tensor<1x1x1x2xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %s = tosa.mul %c, %m, %shift {quantsim.keep_float} : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  return %s : tensor<1x4x4x2xf32>
}
