// RUN: quant-opt %s --split-input-file --linalg-generalize-named-ops --quantsim-interchange-for-vectorization | FileCheck %s

// Batch matmul: n (the output's last dimension, B's last too) moves inside k.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @batch_matmul
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
func.func @batch_matmul(%a: tensor<1x4x8xf32>, %b: tensor<1x8x16xf32>, %c: tensor<1x4x16xf32>) -> tensor<1x4x16xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<1x4x8xf32>, tensor<1x8x16xf32>) outs(%c : tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return %0 : tensor<1x4x16xf32>
}

// -----

// A conv with FHWC filters uses the output channel first in the filter: its
// loops stay as they are.
// CHECK-LABEL: func.func @conv_fhwc
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @conv_fhwc(%x: tensor<1x6x6x3xf32>, %w: tensor<8x3x3x3xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = linalg.conv_2d_nhwc_fhwc ins(%x, %w : tensor<1x6x6x3xf32>, tensor<8x3x3x3xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

// Elementwise ops already have their contiguous loop innermost.
// CHECK-LABEL: func.func @elementwise
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @elementwise(%a: tensor<4x8xf32>, %o: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = linalg.exp ins(%a : tensor<4x8xf32>) outs(%o : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A depthwise conv (int8, with zero points) writes N x H x W x C x M; with a
// channel multiplier M of 1 its contiguous index is the channel, which moves
// inside the taps: vector loads over channels instead of one strided scalar
// per tap (an int8 global average pool is such a conv over the whole image).
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d6)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
// CHECK-DAG: #[[$O:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d6, d3)>
// CHECK-LABEL: func.func @depthwise_q
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #{{.*}}, #{{.*}}, #[[$O]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
func.func @depthwise_q(%x: tensor<1x9x9x32xi8>, %w: tensor<3x3x32x1xi8>, %o: tensor<1x7x7x32x1xi32>) -> tensor<1x7x7x32x1xi32> {
  %xzp = arith.constant -3 : i32
  %wzp = arith.constant 0 : i32
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %xzp, %wzp : tensor<1x9x9x32xi8>, tensor<3x3x32x1xi8>, i32, i32) outs(%o : tensor<1x7x7x32x1xi32>) -> tensor<1x7x7x32x1xi32>
  return %0 : tensor<1x7x7x32x1xi32>
}

// -----

// With a multiplier of 2 the contiguous index is the multiplier's, which
// moves inside the taps; the channel stays where it was.
// CHECK-DAG: #[[$XM:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3)>
// CHECK-DAG: #[[$WM:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d3, d6)>
// CHECK-DAG: #[[$OM:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>
// CHECK-LABEL: func.func @depthwise_multiplier
// CHECK: linalg.generic {indexing_maps = [#[[$XM]], #[[$WM]], #[[$OM]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
func.func @depthwise_multiplier(%x: tensor<1x9x9x32xf32>, %w: tensor<3x3x32x2xf32>, %o: tensor<1x7x7x32x2xf32>) -> tensor<1x7x7x32x2xf32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x32xf32>, tensor<3x3x32x2xf32>) outs(%o : tensor<1x7x7x32x2xf32>) -> tensor<1x7x7x32x2xf32>
  return %0 : tensor<1x7x7x32x2xf32>
}
