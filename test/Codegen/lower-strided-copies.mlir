// RUN: quant-opt %s --split-input-file --quantsim-lower-strided-copies | FileCheck %s

// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[SRC:.*]]: memref<4x3xi8>, %[[DST:.*]]: memref<6x5xi8>)
func.func @strided(%src: memref<4x3xi8>, %dst: memref<6x5xi8>) {
  %view = memref.subview %dst[1, 1] [4, 3] [1, 1] : memref<6x5xi8> to memref<4x3xi8, strided<[5, 1], offset: 6>>
  // CHECK: %[[VIEW:.*]] = memref.subview
  // CHECK: linalg.copy ins(%[[SRC]] : memref<4x3xi8>) outs(%[[VIEW]] : memref<4x3xi8, strided<[5, 1], offset: 6>>)
  // CHECK-NOT: memref.copy
  memref.copy %src, %view : memref<4x3xi8> to memref<4x3xi8, strided<[5, 1], offset: 6>>
  return
}

// -----

// Contiguous copies stay: they become memcpy.
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<4x3xf32>, %dst: memref<4x3xf32>) {
  memref.copy %src, %dst : memref<4x3xf32> to memref<4x3xf32>
  return
}
