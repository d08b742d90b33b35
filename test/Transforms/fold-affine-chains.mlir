// RUN: quant-opt %s --split-input-file --quantsim-fold-affine-chains | FileCheck %s

// mul into weights (per-tensor weights become per-channel: s * |m|, levels
// +-q, the negative channel negated) and bias (b * m), then sub into bias:
// (b * m) - c = [1.75, -1.5].
// CHECK-LABEL: func.func @conv_mul_add
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<[1.750000e+00, -1.500000e+00]> : tensor<2xf32>}>
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00, -5.000000e-01]]], {{\[\[\[}}-6.250000e-02, -3.750000e-01]]]]> : tensor<2x1x1x2xf32>}>
// CHECK: %[[WQ:.*]] = quantsim.fake_quant %[[W]], !quant.uniform<i8<-127:127>:f32:0, {1.562500e-02,3.906250e-03}>
// CHECK: %[[Y:.*]] = tosa.conv2d %arg0, %[[WQ]], %[[B]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.sub
// CHECK: return %[[Y]]

func.func @conv_mul_add(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[0.5, -0.25]]], [[[0.125, 0.75]]]]> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %m = arith.constant dense<[[[[2.0, -0.5]]]]> : tensor<1x1x1x2xf32>
  %c = arith.constant dense<[[[[0.25, 0.5]]]]> : tensor<1x1x1x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.0078125> : tensor<2x1x1x2xf32>
  %y = tosa.conv2d %x, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %a = tosa.mul %y, %m, %shift : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x2x2x2xf32>
  %s = tosa.sub %a, %c : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  return %s : tensor<1x2x2x2xf32>
}

// -----

// matmul has no bias operand: add-then-mul is distributed, the mul goes into
// the weights (0.75 had saturated at level 127, 0.49609375 * 0.5 =
// 0.248046875) and the two adds merge into one: 1 * 4 + 0.5, 2 * 0.5 + 0.25.
// CHECK-LABEL: func.func @matmul_chain
// CHECK-DAG: %[[C:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}4.500000e+00, 1.250000e+00]]]> : tensor<1x1x2xf32>}>
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}2.000000e+00, -1.250000e-01], [5.000000e-01, 0.248046875]]]> : tensor<1x2x2xf32>}>
// CHECK: %[[WQ:.*]] = quantsim.fake_quant %[[W]], !quant.uniform<i8:f32:2, {3.125000e-02,0.001953125}>
// CHECK: %[[Y:.*]] = tosa.matmul %arg0, %[[WQ]]
// CHECK: %[[R:.*]] = tosa.add %[[Y]], %[[C]]
// CHECK-NOT: tosa.mul
// CHECK: return %[[R]]

func.func @matmul_chain(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %w = arith.constant dense<[[[0.5, -0.25], [0.125, 0.75]]]> : tensor<1x2x2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %b = arith.constant dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>
  %m = arith.constant dense<[[[4.0, 0.5]]]> : tensor<1x1x2xf32>
  %c = arith.constant dense<[[[0.5, 0.25]]]> : tensor<1x1x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32:2, {0.0078125, 0.00390625}> : tensor<1x2x2xf32>
  %y = tosa.matmul %x, %wq, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %a = tosa.add %y, %b : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %n = tosa.mul %a, %m, %shift : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1xi8>) -> tensor<1x1x2xf32>
  %t = tosa.add %n, %c : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %t : tensor<1x1x2xf32>
}

// -----

// A multiplier that is not per output channel stays.
// CHECK-LABEL: func.func @not_per_channel
// CHECK: tosa.conv2d
// CHECK: tosa.mul

func.func @not_per_channel(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %m = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]]> : tensor<1x2x2x2xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %a = tosa.mul %y, %m, %shift : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1xi8>) -> tensor<1x2x2x2xf32>
  return %a : tensor<1x2x2x2xf32>
}

// -----

// Negating level -128 of a full-range s8 would clip: |m| = 2 goes into the
// weights' scale (levels kept: -1.0 / 0.0078125 = -128) and the sign stays
// after the conv, as a mul by -1 the integer conv applies to its
// accumulator.
// CHECK-LABEL: func.func @negative_at_asymmetric_minimum
// CHECK-DAG: %[[SIGN:.*]] = "tosa.const"() <{values = dense<-1.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<-2.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK: %[[WQ:.*]] = quantsim.fake_quant %[[W]], !quant.uniform<i8:f32:0, {1.562500e-02}>
// CHECK: %[[Y:.*]] = tosa.conv2d %{{.*}}, %[[WQ]]
// CHECK: tosa.mul %[[Y]], %[[SIGN]]

func.func @negative_at_asymmetric_minimum(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<-1.0> : tensor<1x1x1x1xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %m = arith.constant dense<-2.0> : tensor<1x1x1x1xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.0078125> : tensor<1x1x1x1xf32>
  %y = tosa.conv2d %x, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %a = tosa.mul %y, %m, %shift : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x1x1x1xf32>
  return %a : tensor<1x1x1x1xf32>
}

// -----

// quantsim.keep_float functions are left alone.
// CHECK-LABEL: func.func @kept
// CHECK: tosa.matmul
// CHECK: tosa.mul

func.func @kept(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> attributes {quantsim.keep_float} {
  %w = arith.constant dense<0.5> : tensor<1x2x2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %m = arith.constant dense<[[[4.0, 0.5]]]> : tensor<1x1x2xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %n = tosa.mul %y, %m, %shift : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1xi8>) -> tensor<1x1x2xf32>
  return %n : tensor<1x1x2xf32>
}

