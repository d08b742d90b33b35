// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize --cse --split-input-file | FileCheck %s

// An i8 max pool: loops over output pixels, each window tap's channels read
// as one vector (64 i8 lanes, then the rest) and combined with maxsi.
// CHECK-LABEL: func.func @pool_i8
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             %[[A:.*]] = vector.transfer_read %{{.*}} : tensor<1x8x8x80xi8>, vector<64xi8>
// CHECK:             %[[B:.*]] = vector.transfer_read %{{.*}} : tensor<1x8x8x80xi8>, vector<64xi8>
// CHECK:             arith.maxsi %[[A]], %[[B]] : vector<64xi8>
// CHECK:             vector.transfer_write %{{.*}} : vector<64xi8>, tensor<1x4x4x80xi8>
// CHECK:             vector.transfer_read {{.*}} vector<16xi8>
// CHECK:             vector.transfer_write %{{.*}} : vector<16xi8>, tensor<1x4x4x80xi8>
// The row loop may run in parallel; its work, in multiply-adds of the conv
// kernels, counts each tap of each channel as 16 (4x4 x 80 channels x 4
// taps x 16).
// CHECK:         } {quantsim.parallel = 81920 : i64}
// CHECK-NOT:   tosa.max_pool2d
func.func @pool_i8(%x: tensor<1x8x8x80xi8>) -> tensor<1x4x4x80xi8> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x80xi8>) -> tensor<1x4x4x80xi8>
  return %y : tensor<1x4x4x80xi8>
}

// -----

// f32 with padding: no padded copy; a tap in the padding reads the nearest
// input element instead (clamped coordinates: the element is in the same
// window, and a maximum does not change for a value it already has). The
// nine taps' maximum is taken as a tree of depth 4 (maximum is exact in any
// order) assuming no NaN (maximumf nnan), and a NaN wherever a tap is one
// (an unordered compare per pair of taps), so NaN propagates as the
// reference's maximumf does.
// CHECK-LABEL: func.func @pool_f32_padded
// CHECK-DAG:     %[[NAN:.*]] = arith.constant dense<0x7FC00000> : vector<16xf32>
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 8 : index
// CHECK-NOT:     tensor.pad
// CHECK:         %[[H0:.*]] = arith.muli %arg1, %c2 : index
// CHECK:         %[[TOP:.*]] = arith.subi %[[H0]], %c1 : index
// CHECK-NEXT:    %[[GE0:.*]] = arith.maxsi %[[TOP]], %c0 : index
// CHECK-NEXT:    %[[ROW:.*]] = arith.minsi %[[GE0]], %[[LAST]] : index
// CHECK:         vector.transfer_read %arg0[%c0, %[[ROW]], %{{.*}}, %c0]
// CHECK-COUNT-8:   vector.transfer_read
// CHECK-NEXT:      %[[U0:.*]] = arith.cmpf uno, %[[T0:.*]], %[[T1:.*]] : vector<16xf32>
// CHECK-COUNT-4:   arith.cmpf uno
// CHECK-COUNT-4:   arith.ori
// CHECK-NEXT:      %[[A:.*]] = arith.maximumf %[[T0]], %[[T1]] fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[B:.*]] = arith.maximumf %{{.*}}, %{{.*}} fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[C:.*]] = arith.maximumf %{{.*}}, %{{.*}} fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[D:.*]] = arith.maximumf %{{.*}}, %{{.*}} fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[AB:.*]] = arith.maximumf %[[A]], %[[B]] fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[CD:.*]] = arith.maximumf %[[C]], %[[D]] fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[ABCD:.*]] = arith.maximumf %[[AB]], %[[CD]] fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[ALL:.*]] = arith.maximumf %[[ABCD]], %{{.*}} fastmath<nnan> : vector<16xf32>
// CHECK-NEXT:      %[[R:.*]] = arith.select %{{.*}}, %[[NAN]], %[[ALL]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:      vector.transfer_write %[[R]]
func.func @pool_f32_padded(%x: tensor<1x9x9x16xf32>) -> tensor<1x5x5x16xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x9x9x16xf32>) -> tensor<1x5x5x16xf32>
  return %y : tensor<1x5x5x16xf32>
}

// -----

// A pool that ignores NaN stays for the generic lowering.
// CHECK-LABEL: func.func @pool_nan_ignore
// CHECK:         tosa.max_pool2d
func.func @pool_nan_ignore(%x: tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, nan_mode = IGNORE} : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}
