// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize --cse | FileCheck %s

// An int8 depthwise conv to i32: the input padded with its zero point (-3),
// then per tile of 8 pixels and 16 channels, each tap's i8 inputs widened
// to i32 and multiplied by the weights minus their zero point (2, stored as
// i16, as w - 2 needs), summed, and the compensation added: bias - (-3) *
// (sum of w - 2).
// Every channel: weights 1..9 -> w' = -1..7, sum 27, bias 100 -> 100 + 81 = 181.
// CHECK-LABEL: func.func @dw
// CHECK-NOT: tosa.depthwise_conv2d
// CHECK-DAG: arith.constant dense<181> : tensor<16xi32>
// CHECK-DAG: %[[ZP:.*]] = arith.constant -3 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<3x3x16xi16>, vector<16xi16>
// CHECK-NEXT: arith.extsi {{.*}} : vector<16xi16> to vector<16xi32>
// CHECK: vector.transfer_read {{.*}} : tensor<1x10x10x16xi8>, vector<16xi8>
// CHECK-NEXT: arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// CHECK-NEXT: arith.muli {{.*}} : vector<16xi32>
// CHECK: arith.addi {{.*}} : vector<16xi32>
// CHECK: vector.transfer_write {{.*}} : vector<16xi32>, tensor<1x8x8x16xi32>
// CHECK: quantsim.parallel = 9216 : i64
func.func @dw(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi32> {
  %w = "tosa.const"() <{values = dense<[[[[1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1], [1]], [[2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2], [2]], [[3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3], [3]]], [[[4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4]], [[5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5], [5]], [[6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6], [6]]], [[[7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7], [7]], [[8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8]], [[9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9], [9]]]]> : tensor<3x3x16x1xi8>}> : () -> tensor<3x3x16x1xi8>
  %b = "tosa.const"() <{values = dense<100> : tensor<16xi32>}> : () -> tensor<16xi32>
  %izp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<2> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  return %y : tensor<1x8x8x16xi32>
}

// With a rescale and a clamp after it (and weights without a zero point,
// stored as i8), the kernel requantizes its sums
// (i64 products of the even and odd lanes, shifted), adds the output zero
// point, clamps and stores i8: neither op is left.
// CHECK-LABEL: func.func @dw_requantize
// CHECK-NOT: tosa.rescale
// CHECK-NOT: tosa.clamp
// CHECK: vector.transfer_read {{.*}} : tensor<3x3x16xi8>, vector<16xi8>
// CHECK-NEXT: arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// CHECK: arith.muli {{.*}} : vector<8xi64>
// CHECK: arith.shrsi {{.*}} : vector<8xi64>
// CHECK: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// CHECK: vector.transfer_write {{.*}} : vector<16xi8>, tensor<1x8x8x16xi8>
func.func @dw_requantize(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> {
  %w = "tosa.const"() <{values = dense<3> : tensor<3x3x16x1xi8>}> : () -> tensor<3x3x16x1xi8>
  %b = "tosa.const"() <{values = dense<100> : tensor<16xi32>}> : () -> tensor<16xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x16xi32>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<36> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %r = tosa.rescale %y, %m, %s, %izp, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x8x8x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8x8x16xi8>
  %c = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8>
  return %c : tensor<1x8x8x16xi8>
}
