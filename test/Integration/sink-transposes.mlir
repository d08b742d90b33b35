// The channel split, concat and shuffle of a ShuffleNet unit as the
// importer writes them (NCHW views of NHWC activations), through the CPU
// pipeline, whose --quantsim-sink-transposes removes the NCHW round trips,
// against the reference lowering, which keeps them: the same values.
// RUN: quant-run %s --entry=split --random-inputs=1 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=SPLIT
// RUN: quant-run %s --entry=concat_shuffle --random-inputs=2 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=SHUFFLE
// SPLIT: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 48/48 (100.00%)
// SPLIT: output 1: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 80/80 (100.00%)
// SHUFFLE: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 48/48 (100.00%)

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
