// RUN: quant-opt %s --quantsim-sink-transposes --split-input-file | FileCheck %s

// A channel split of NHWC activations seen in NCHW: the slices move above
// the transpose, which then meets the inverse transpose after each slice
// and both fold away.
// CHECK-LABEL: func.func @split
// CHECK-NOT:     tosa.transpose
// CHECK-DAG:     %[[S0:.*]] = tosa.const_shape {values = dense<0> : tensor<4xindex>}
// CHECK-DAG:     %[[Z0:.*]] = tosa.const_shape {values = dense<[1, 4, 4, 3]> : tensor<4xindex>}
// CHECK-DAG:     %[[S1:.*]] = tosa.const_shape {values = dense<[0, 0, 0, 3]> : tensor<4xindex>}
// CHECK-DAG:     %[[Z1:.*]] = tosa.const_shape {values = dense<[1, 4, 4, 5]> : tensor<4xindex>}
// CHECK-DAG:     %[[A:.*]] = tosa.slice %arg0, %[[S0]], %[[Z0]] : (tensor<1x4x4x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x3xf32>
// CHECK-DAG:     %[[B:.*]] = tosa.slice %arg0, %[[S1]], %[[Z1]] : (tensor<1x4x4x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x5xf32>
// CHECK:         return %[[A]], %[[B]]
func.func @split(%y: tensor<1x4x4x8xf32>) -> (tensor<1x4x4x3xf32>, tensor<1x4x4x5xf32>) {
  %t = tosa.transpose %y {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
  %s0 = tosa.const_shape {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
  %z0 = tosa.const_shape {values = dense<[1, 3, 4, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s1 = tosa.const_shape {values = dense<[0, 3, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %z1 = tosa.const_shape {values = dense<[1, 5, 4, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %a = tosa.slice %t, %s0, %z0 : (tensor<1x8x4x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x4x4xf32>
  %b = tosa.slice %t, %s1, %z1 : (tensor<1x8x4x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x5x4x4xf32>
  %ta = tosa.transpose %a {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x4x4x3xf32>
  %tb = tosa.transpose %b {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x5x4x4xf32>) -> tensor<1x4x4x5xf32>
  return %ta, %tb : tensor<1x4x4x3xf32>, tensor<1x4x4x5xf32>
}

// -----

// A concat of two NCHW views and its channel shuffle (ShuffleNet's, as
// PyTorch exports it), read back in NHWC: the concat runs on the NHWC
// tensors along channels, the shuffle as NHWC's reshape / swap of the last
// two dimensions / reshape, and no transpose is left.
// CHECK-LABEL: func.func @concat_shuffle
// CHECK:         %[[C:.*]] = tosa.concat %arg0, %arg1 {axis = 3 : i32} : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x8xf32>
// CHECK:         %[[G:.*]] = tosa.reshape %[[C]], %{{.*}} : (tensor<1x2x3x8xf32>, !tosa.shape<5>) -> tensor<1x2x3x2x4xf32>
// CHECK:         %[[T:.*]] = tosa.transpose %[[G]] {perms = array<i32: 0, 1, 2, 4, 3>} : (tensor<1x2x3x2x4xf32>) -> tensor<1x2x3x4x2xf32>
// CHECK:         %[[M:.*]] = tosa.reshape %[[T]], %{{.*}} : (tensor<1x2x3x4x2xf32>, !tosa.shape<4>) -> tensor<1x2x3x8xf32>
// CHECK-NOT:     tosa.transpose
// CHECK:         return %[[M]]
func.func @concat_shuffle(%a: tensor<1x2x3x4xf32>, %b: tensor<1x2x3x4xf32>) -> tensor<1x2x3x8xf32> {
  %ta = tosa.transpose %a {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x2x3x4xf32>) -> tensor<1x4x2x3xf32>
  %tb = tosa.transpose %b {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x2x3x4xf32>) -> tensor<1x4x2x3xf32>
  %c = tosa.concat %ta, %tb {axis = 1 : i32} : (tensor<1x4x2x3xf32>, tensor<1x4x2x3xf32>) -> tensor<1x8x2x3xf32>
  %s5 = tosa.const_shape {values = dense<[1, 2, 4, 2, 3]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %g = tosa.reshape %c, %s5 : (tensor<1x8x2x3xf32>, !tosa.shape<5>) -> tensor<1x2x4x2x3xf32>
  %t = tosa.transpose %g {perms = array<i32: 0, 2, 1, 3, 4>} : (tensor<1x2x4x2x3xf32>) -> tensor<1x4x2x2x3xf32>
  %s4 = tosa.const_shape {values = dense<[1, 8, 2, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %m = tosa.reshape %t, %s4 : (tensor<1x4x2x2x3xf32>, !tosa.shape<4>) -> tensor<1x8x2x3xf32>
  %r = tosa.transpose %m {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x3x8xf32>
  return %r : tensor<1x2x3x8xf32>
}

// -----

// A transpose read by something else besides the slice stays where it is
// (moving it would add a transpose), and so does a concat of transposes
// with different permutations.
// CHECK-LABEL: func.func @stays
// CHECK:         %[[T:.*]] = tosa.transpose %arg0 {perms = array<i32: 0, 3, 1, 2>}
// CHECK:         tosa.slice %[[T]]
// CHECK:         tosa.transpose %arg1 {perms = array<i32: 0, 3, 1, 2>}
// CHECK:         tosa.transpose %arg2 {perms = array<i32: 0, 3, 2, 1>}
// CHECK:         tosa.concat
func.func @stays(%y: tensor<1x4x4x8xf32>, %p: tensor<1x4x4x8xf32>, %q: tensor<1x4x4x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) {
  %t = tosa.transpose %y {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
  %s0 = tosa.const_shape {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
  %z0 = tosa.const_shape {values = dense<[1, 3, 4, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %a = tosa.slice %t, %s0, %z0 : (tensor<1x8x4x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x4x4xf32>
  %tp = tosa.transpose %p {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
  %tq = tosa.transpose %q {perms = array<i32: 0, 3, 2, 1>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
  %c = tosa.concat %tp, %tq {axis = 1 : i32} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %a, %t, %c : tensor<1x3x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>
}
