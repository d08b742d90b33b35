// RUN: quant-opt %s --split-input-file --quantsim-lower-qat --canonicalize | FileCheck %s

// u8 becomes i8 with the zero point moved by -128: same real values.
// CHECK-LABEL: func.func @split_u8
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Q:.*]] = quantsim.quantize %[[X]], !quant.uniform<i8:f32, 5.000000e-01:2> : tensor<4xf32> -> tensor<4xi8>
// CHECK: %[[D:.*]] = quantsim.dequantize %[[Q]], !quant.uniform<i8:f32, 5.000000e-01:2> : tensor<4xi8> -> tensor<4xf32>
// CHECK: return %[[D]]

func.func @split_u8(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.5:130> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// conv2d with per-channel weights, bias and a fused clamp [0, 1]:
// weights 0.5 / 0.00625 = 80 ..., bias 0.1 / (0.02 * 0.00625) = 800,
// multipliers 0.02 * s_w / 0.01 = 0.0125 = 1717986918 * 2^-37 and
// 0.015625 = 2^30 * 2^-36; the clamp is [Q(0), Q(1)] = [-128, -28].
// CHECK-LABEL: func.func @conv_relu6
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xf32>)
// CHECK-DAG: %[[OZP:.*]] = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}>
// CHECK-DAG: %[[IZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi32>}>
// CHECK-DAG: %[[SHIFT:.*]] = "tosa.const"() <{values = dense<[37, 36]> : tensor<2xi8>}>
// CHECK-DAG: %[[MULT:.*]] = "tosa.const"() <{values = dense<[1717986918, 1073741824]> : tensor<2xi32>}>
// CHECK-DAG: %[[ZP0:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK-DAG: %[[BIAS:.*]] = "tosa.const"() <{values = dense<[800, -1280]> : tensor<2xi32>}>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}80, -40]]], {{\[\[\[}}16, 96]]]]> : tensor<2x1x1x2xi8>
// CHECK: %[[Q:.*]] = quantsim.quantize %[[X]], !quant.uniform<i8:f32, 2.000000e-02>
// CHECK: %[[ACC:.*]] = tosa.conv2d %[[Q]], %[[W]], %[[BIAS]], %[[ZP0]], %[[ZP0]] {acc_type = i32, {{.*}}} : {{.*}} -> tensor<1x4x4x2xi32>
// CHECK: %[[R:.*]] = tosa.rescale %[[ACC]], %[[MULT]], %[[SHIFT]], %[[IZP]], %[[OZP]] {{{.*}}per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : {{.*}} -> tensor<1x4x4x2xi8>
// CHECK: %[[C:.*]] = tosa.clamp %[[R]] {max_val = -28 : i8, min_val = -128 : i8}
// CHECK: %[[D:.*]] = quantsim.dequantize %[[C]], !quant.uniform<i8:f32, 1.000000e-02:-128>
// CHECK: return %[[D]]
// CHECK-NOT: tosa.conv2d

func.func @conv_relu6(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[0.5, -0.25]]], [[[0.125, 0.75]]]]> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:128> : tensor<1x4x4x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:0, {0.00625, 0.0078125}> : tensor<2x1x1x2xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 1.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.01> : tensor<1x4x4x2xf32>
  return %rq : tensor<1x4x4x2xf32>
}

// -----

// add: both sides to i32 at scale 2 max(sa, sb) / 2^20, then one rescale:
// a by 0.5 * 2^20 / 1.0 = 2^30 * 2^-11, b by 2^30 * 2^-12, the sum by
// 1.0 / (2^20 * 1.0) = 2^30 * 2^-50.
// CHECK-LABEL: func.func @add
// CHECK-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}>
// CHECK-DAG: %[[S11:.*]] = "tosa.const"() <{values = dense<11> : tensor<1xi8>}>
// CHECK-DAG: %[[S12:.*]] = "tosa.const"() <{values = dense<12> : tensor<1xi8>}>
// CHECK-DAG: %[[S50:.*]] = "tosa.const"() <{values = dense<50> : tensor<1xi8>}>
// CHECK-DAG: %[[ZA:.*]] = "tosa.const"() <{values = dense<1> : tensor<1xi8>}>
// CHECK-DAG: %[[ZB:.*]] = "tosa.const"() <{values = dense<-2> : tensor<1xi8>}>
// CHECK-DAG: %[[ZY:.*]] = "tosa.const"() <{values = dense<3> : tensor<1xi8>}>
// CHECK-DAG: %[[Z32:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi32>}>
// CHECK: %[[QA:.*]] = quantsim.quantize %arg0
// CHECK: %[[QB:.*]] = quantsim.quantize %arg1
// CHECK: %[[A:.*]] = tosa.rescale %[[QA]], %[[M]], %[[S11]], %[[ZA]], %[[Z32]] {{.*}} -> tensor<4xi32>
// CHECK: %[[B:.*]] = tosa.rescale %[[QB]], %[[M]], %[[S12]], %[[ZB]], %[[Z32]] {{.*}} -> tensor<4xi32>
// CHECK: %[[SUM:.*]] = tosa.add %[[A]], %[[B]] : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: tosa.rescale %[[SUM]], %[[M]], %[[S50]], %[[Z32]], %[[ZY]] {{.*}} -> tensor<4xi8>

func.func @add(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.5:1> : tensor<4xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<i8:f32, 0.25:-2> : tensor<4xf32>
  %y = tosa.add %aq, %bq : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0:3> : tensor<4xf32>
  return %yq : tensor<4xf32>
}

// -----

// max_pool2d with equal parameters runs on the levels, no rescale; sigmoid
// is a 256-entry table.
// CHECK-LABEL: func.func @maxpool_sigmoid
// CHECK: %[[T:.*]] = "tosa.const"() <{values = dense<"0x80808080{{.*}}"> : tensor<256xi8>}>
// CHECK: %[[Q:.*]] = quantsim.quantize
// CHECK: %[[P:.*]] = tosa.max_pool2d %[[Q]] {{.*}} : (tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xi8>
// CHECK-NOT: tosa.rescale
// CHECK: %[[S:.*]] = tosa.table %[[P]], %[[T]] : (tensor<1x2x2x1xi8>, tensor<256xi8>) -> tensor<1x2x2x1xi8>
// CHECK: quantsim.dequantize %[[S]], !quant.uniform<i8:f32, 3.906250e-03:-128>

func.func @maxpool_sigmoid(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05:0> : tensor<1x4x4x1xf32>
  %p = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %pq = quantsim.fake_quant %p, !quant.uniform<i8:f32, 0.05:0> : tensor<1x2x2x1xf32>
  %s = tosa.sigmoid %pq : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %sq = quantsim.fake_quant %s, !quant.uniform<u8:f32, 0.00390625> : tensor<1x2x2x1xf32>
  return %sq : tensor<1x2x2x1xf32>
}

// -----

// Two fake_quants in a row become one rescale (1/3 = 1431655765 * 2^-32);
// exp, which no quantize follows, stays float behind a dequantize.
// CHECK-LABEL: func.func @requantize_and_float
// CHECK-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<1431655765> : tensor<1xi32>}>
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{values = dense<32> : tensor<1xi8>}>
// CHECK: %[[Q:.*]] = quantsim.quantize %arg0
// CHECK: %[[D:.*]] = quantsim.dequantize %[[Q]]
// CHECK: %[[R:.*]] = tosa.rescale %[[Q]], %[[M]], %[[S]], {{.*}} -> tensor<4xi8>
// CHECK: %[[OUT:.*]] = quantsim.dequantize %[[R]], !quant.uniform<i8:f32, 3.000000e-01:5>
// CHECK: %[[E:.*]] = tosa.exp %[[D]] : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[OUT]], %[[E]]

func.func @requantize_and_float(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1:0> : tensor<4xf32>
  %b = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.3:5> : tensor<4xf32>
  %e = tosa.exp %a : (tensor<4xf32>) -> tensor<4xf32>
  return %b, %e : tensor<4xf32>, tensor<4xf32>
}

// -----

// quantsim.keep_float functions are left alone.
// CHECK-LABEL: func.func @kept
// CHECK: quantsim.fake_quant
// CHECK-NOT: quantsim.quantize

func.func @kept(%x: tensor<4xf32>) -> tensor<4xf32> attributes {quantsim.keep_float} {
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

