// RUN: quant-opt %s --split-input-file --quantsim-pack-conv-weights | FileCheck %s

// A constant FHWC filter is transposed at compile time: filter[f][h][w][c]
// becomes filter[h][w][c][f] (2 filters, 1x1 kernel, 3 channels).
// CHECK-LABEL: func.func @quantized
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1, 4], [2, 5], [3, 6]]]]> : tensor<1x1x3x2xi8>
// CHECK: linalg.conv_2d_nhwc_hwcf_q {{.*}}ins(%{{.*}}, %[[W]], %{{.*}}, %{{.*}} : tensor<1x4x4x3xi8>, tensor<1x1x3x2xi8>, i32, i32)
// CHECK-NOT: linalg.transpose
// CHECK-NOT: conv_2d_nhwc_fhwc
func.func @quantized(%x: tensor<1x4x4x3xi8>, %acc: tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi32> {
  %w = arith.constant dense<[[[[1, 2, 3]]], [[[4, 5, 6]]]]> : tensor<2x1x1x3xi8>
  %xzp = arith.constant -3 : i32
  %wzp = arith.constant 0 : i32
  %0 = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w, %xzp, %wzp : tensor<1x4x4x3xi8>, tensor<2x1x1x3xi8>, i32, i32)
         outs(%acc : tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi32>
  return %0 : tensor<1x4x4x2xi32>
}

// -----

// A filter that is not a constant is left alone (no run-time transpose).
// CHECK-LABEL: func.func @runtime_filter
// CHECK: linalg.conv_2d_nhwc_fhwc
func.func @runtime_filter(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>, %acc: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>)
         outs(%acc : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}
