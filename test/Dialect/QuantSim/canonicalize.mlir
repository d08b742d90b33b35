// RUN: quant-opt %s --split-input-file --canonicalize | FileCheck %s

// fake_quant of a constant folds to the quantized-and-dequantized constant.

// CHECK-LABEL: func.func @fold_constant_ties_and_clamps
func.func @fold_constant_ties_and_clamps() -> tensor<8xf32> {
  // x / 0.5 = 0.5, 1.5, 2.5, -0.5, -1.5, -2.5 round to even: 0, 2, 2, 0, -2, -2;
  // +-1000 saturate at 127 and -128. -0.25 gives +0, not -0.
  // CHECK: %[[C:.*]] = arith.constant dense<[0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, -1.000000e+00, -1.000000e+00, 6.350000e+01, -6.400000e+01]> : tensor<8xf32>
  // CHECK-NOT: quantsim.fake_quant
  // CHECK: return %[[C]]
  %x = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 1000.0, -1000.0]> : tensor<8xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @fold_constant_u8_zero_point
func.func @fold_constant_u8_zero_point() -> tensor<4xf32> {
  // u8, zp 10, scale 0.25: levels clamp to [0, 255] = [-2.5, 61.25]. The ties
  // are on x / s (0.5 -> 0, 1.5 -> 2), before the zero point is added.
  // CHECK: arith.constant dense<[-2.500000e+00, 6.125000e+01, 0.000000e+00, 5.000000e-01]> : tensor<4xf32>
  %x = arith.constant dense<[-100.0, 100.0, 0.125, 0.375]> : tensor<4xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.25:10> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_splat
func.func @fold_splat() -> tensor<2x3xf32> {
  // CHECK: arith.constant dense<3.500000e+00> : tensor<2x3xf32>
  %x = arith.constant dense<100.0> : tensor<2x3xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i4:f32, 0.5> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_per_axis
func.func @fold_per_axis() -> tensor<2x3xf32> {
  // Axis 1: channel scales 1, 0.5, 0.25 (narrow range s8, clamps at +-127 s).
  // CHECK: arith.constant dense<{{\[\[}}2.000000e+00, 1.000000e+00, 2.500000e-01], [1.270000e+02, -6.350000e+01, 3.175000e+01]]> : tensor<2x3xf32>
  %x = arith.constant dense<[[2.5, 1.25, 0.3], [1000.0, -1000.0, 1000.0]]> : tensor<2x3xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i8<-127:127>:f32:1, {1.0, 0.5, 0.25}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_per_axis_splat_input
func.func @fold_per_axis_splat_input() -> tensor<2x2xf32> {
  // A splat input with per-axis parameters gives a non-splat result.
  // CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00], [2.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
  %x = arith.constant dense<1.4> : tensor<2x2xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:0, {1.0, 2.0}> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Two identical fake_quants in a row fold to one.

// CHECK-LABEL: func.func @fold_repeated
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @fold_repeated(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[Y:.*]] = quantsim.fake_quant %[[X]], !quant.uniform<u8:f32, 1.000000e-01:3> : tensor<4xf32>
  // CHECK-NOT: quantsim.fake_quant
  // CHECK: return %[[Y]]
  %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.1:3> : tensor<4xf32>
  %1 = quantsim.fake_quant %0, !quant.uniform<u8:f32, 0.1:3> : tensor<4xf32>
  %2 = quantsim.fake_quant %1, !quant.uniform<u8:f32, 0.1:3> : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Different parameters do not fold.

// CHECK-LABEL: func.func @no_fold_different
func.func @no_fold_different(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 1.000000e-01:3>
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 1.000000e-01:4>
  %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.1:3> : tensor<4xf32>
  %1 = quantsim.fake_quant %0, !quant.uniform<u8:f32, 0.1:4> : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Observers are never folded or removed, even when their result is unused.

// CHECK-LABEL: func.func @observe_kept
func.func @observe_kept(%x: tensor<4xf32>) {
  // CHECK: quantsim.observe %{{.*}} as "a" using min_max
  %0 = quantsim.observe %x as "a" using min_max : tensor<4xf32>
  return
}

// -----

// quantize of a constant folds to integer levels (weights at compile time).

// CHECK-LABEL: func.func @fold_quantize_constant
func.func @fold_quantize_constant() -> (tensor<6xi8>, tensor<2x2xi8>, tensor<3xi8>) {
  // s8, s = 0.5: ties to even on x / s, saturation; NaN becomes the zero point.
  // CHECK-DAG: arith.constant dense<[0, 2, 2, -2, 127, -128]> : tensor<6xi8>
  %x = arith.constant dense<[0.25, 0.75, 1.25, -1.25, 1000.0, -1000.0]> : tensor<6xf32>
  %q = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5> : tensor<6xf32> -> tensor<6xi8>
  // Per-axis along dim 0, narrow range. In f32, 0.3 / 0.2 is exactly 1.5 (a
  // tie), so the second row's level is the even 2.
  // CHECK-DAG: arith.constant dense<{{\[\[}}3, -127], [2, 127]]> : tensor<2x2xi8>
  %w = arith.constant dense<[[0.3, -100.0], [0.3, 100.0]]> : tensor<2x2xf32>
  %qw = quantsim.quantize %w, !quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}> : tensor<2x2xf32> -> tensor<2x2xi8>
  // u8 levels are stored as their bits: 255 reads as -1 in i8; NaN -> zp 128.
  // CHECK-DAG: arith.constant dense<[-1, 0, -128]> : tensor<3xi8>
  %nan = arith.constant 0x7FC00000 : f32
  %big = arith.constant 1000.0 : f32
  %neg = arith.constant -1000.0 : f32
  %u = tensor.from_elements %big, %neg, %nan : tensor<3xf32>
  %qu = quantsim.quantize %u, !quant.uniform<u8:f32, 0.5:128> : tensor<3xf32> -> tensor<3xi8>
  // CHECK-NOT: quantsim.quantize
  return %q, %qw, %qu : tensor<6xi8>, tensor<2x2xi8>, tensor<3xi8>
}

// -----

// quantize(dequantize(q, T), T) is q; with other parameters it is not.

// CHECK-LABEL: func.func @fold_quantize_of_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<4xi8>)
func.func @fold_quantize_of_dequantize(%q: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  // CHECK: %[[D:.*]] = quantsim.dequantize %[[Q]]
  // CHECK: %[[R:.*]] = quantsim.quantize %[[D]], !quant.uniform<i8:f32, 2.000000e-01:1>
  // CHECK: return %[[Q]], %[[R]]
  %d = quantsim.dequantize %q, !quant.uniform<i8:f32, 0.1:1> : tensor<4xi8> -> tensor<4xf32>
  %same = quantsim.quantize %d, !quant.uniform<i8:f32, 0.1:1> : tensor<4xf32> -> tensor<4xi8>
  %other = quantsim.quantize %d, !quant.uniform<i8:f32, 0.2:1> : tensor<4xf32> -> tensor<4xi8>
  return %same, %other : tensor<4xi8>, tensor<4xi8>
}

// -----

// A huge splat folds to a splat (it was expanded element by element before:
// 2^32 elements ran out of SmallVector's capacity and aborted).
// CHECK-LABEL: func.func @huge_splat
// CHECK: %[[C:.*]] = arith.constant dense<5> : tensor<1x1x4294967296xi8>
// CHECK: return %[[C]]
func.func @huge_splat() -> tensor<1x1x4294967296xi8> {
  %c = arith.constant dense<0.5> : tensor<1x1x4294967296xf32>
  %q = quantsim.quantize %c, !quant.uniform<i8:f32, 0.1> : tensor<1x1x4294967296xf32> -> tensor<1x1x4294967296xi8>
  return %q : tensor<1x1x4294967296xi8>
}

// -----

// Per axis, a splat would expand to one value per element: beyond 2^24
// elements it is left unfolded.
// CHECK-LABEL: func.func @huge_splat_per_axis
// CHECK: quantsim.fake_quant
func.func @huge_splat_per_axis() -> tensor<2x16777216xf32> {
  %c = arith.constant dense<0.5> : tensor<2x16777216xf32>
  %q = quantsim.fake_quant %c, !quant.uniform<i8:f32:0, {0.1, 0.2}> : tensor<2x16777216xf32>
  return %q : tensor<2x16777216xf32>
}
