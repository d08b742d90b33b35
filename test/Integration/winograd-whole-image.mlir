// A conv whose transformed filters (36 x 128 x 128 floats, 2.4 MB) are over
// twice L2: Winograd's F(4x4, 3x3) takes the whole image as one chunk of
// tile rows (7 of them here, 49 tiles, the last row and column partly past
// the 26x25 output), reading each point's filter once. Close to the
// reference (and not equal to it); two threads identical to one; one chunk
// in the IR.
//
// RUN: quant-run %s --random-inputs=1 --atol=1e-4 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=CLOSE
// RUN: quant-run %s --random-inputs=1 --target-cpu=x86-64-v3 --atol=1e-4 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=CLOSE
// RUN: quant-run %s --random-inputs=1 -o %t.1.npy
// RUN: quant-run %s --random-inputs=1 --num-threads=2 -o %t.2.npy
// RUN: cmp %t.1.npy %t.2.npy
// RUN: quant-opt %s --quantsim-cpu-kernels="target-cpu=sapphirerapids winograd=4" --canonicalize | FileCheck %s
//
// CLOSE: max_abs_err {{[1-9]\.[0-9]+e-0[5-8]}} mean_abs_err
//
// The chunk loop has one iteration and folds away: the transformed input
// holds all 49 tiles (in 49 slots, odd) of 128 channels (made 144, an odd
// number of cache lines).
// CHECK-LABEL: func.func @conv
// CHECK:         tensor.empty() : tensor<36x1x49x144xf32>
// CHECK-NOT:     tensor.empty() : tensor<36x1x{{[0-9]+}}x144xf32>
// CHECK:         tensor.empty() : tensor<36x1x49x144xf32>
func.func @conv(%x: tensor<1x26x25x128xf32>) -> tensor<1x26x25x128xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<128x3x3x128xf32>}> : () -> tensor<128x3x3x128xf32>
  %b = "tosa.const"() <{values = dense<0.5> : tensor<128xf32>}> : () -> tensor<128xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x26x25x128xf32>, tensor<128x3x3x128xf32>, tensor<128xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x26x25x128xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x26x25x128xf32>) -> tensor<1x26x25x128xf32>
  return %r : tensor<1x26x25x128xf32>
}
