// RUN: quant-opt %s --split-input-file --quantsim-lower-strided-copies | FileCheck %s

// Rows contiguous in both buffers: a loop over the rows around a copy of
// one contiguous row (finalize-memref-to-llvm makes it a memcpy).
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[SRC:.*]]: memref<4x3xi8>, %[[DST:.*]]: memref<6x5xi8>)
// CHECK: %[[VIEW:.*]] = memref.subview %[[DST]][1, 1] [4, 3] [1, 1]
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %[[C4]]
// CHECK-NEXT: %[[S:.*]] = memref.subview %[[SRC]][%[[R]], 0] [1, 3] [1, 1] : memref<4x3xi8> to memref<1x3xi8, strided<[3, 1], offset: ?>>
// CHECK-NEXT: %[[D:.*]] = memref.subview %[[VIEW]][%[[R]], 0] [1, 3] [1, 1] : memref<4x3xi8, strided<[5, 1], offset: 6>> to memref<1x3xi8, strided<[5, 1], offset: ?>>
// CHECK-NEXT: memref.copy %[[S]], %[[D]]
// CHECK-NOT: linalg.copy
func.func @strided(%src: memref<4x3xi8>, %dst: memref<6x5xi8>) {
  %view = memref.subview %dst[1, 1] [4, 3] [1, 1] : memref<6x5xi8> to memref<4x3xi8, strided<[5, 1], offset: 6>>
  memref.copy %src, %view : memref<4x3xi8> to memref<4x3xi8, strided<[5, 1], offset: 6>>
  return
}

// -----

// A concat's slot in NHWC: rows of channels; the unit batch dimension gets
// no loop.
// CHECK-LABEL: func.func @concat_slot
// CHECK: scf.for %[[H:.*]] =
// CHECK: scf.for %[[W:.*]] =
// CHECK-NEXT: %[[S:.*]] = memref.subview %{{.*}}[0, %[[H]], %[[W]], 0] [1, 1, 1, 3] [1, 1, 1, 1] : memref<1x4x4x3xf32> to memref<1x1x1x3xf32, strided<[48, 12, 3, 1], offset: ?>>
// CHECK-NEXT: %[[D:.*]] = memref.subview %{{.*}}[0, %[[H]], %[[W]], 0] [1, 1, 1, 3] [1, 1, 1, 1] : memref<1x4x4x3xf32, strided<[128, 32, 8, 1], offset: 5>> to memref<1x1x1x3xf32, strided<[128, 32, 8, 1], offset: ?>>
// CHECK-NEXT: memref.copy %[[S]], %[[D]]
// CHECK-NOT: scf.for
func.func @concat_slot(%src: memref<1x4x4x3xf32>, %dst: memref<1x4x4x8xf32>) {
  %view = memref.subview %dst[0, 0, 0, 5] [1, 4, 4, 3] [1, 1, 1, 1] : memref<1x4x4x8xf32> to memref<1x4x4x3xf32, strided<[128, 32, 8, 1], offset: 5>>
  memref.copy %src, %view : memref<1x4x4x3xf32> to memref<1x4x4x3xf32, strided<[128, 32, 8, 1], offset: 5>>
  return
}

// -----

// No contiguous innermost dimension: linalg.copy, which becomes loops.
// CHECK-LABEL: func.func @every_other_column
// CHECK-SAME: (%[[SRC:.*]]: memref<4x3xi8>, %[[DST:.*]]: memref<4x6xi8>)
// CHECK: %[[VIEW:.*]] = memref.subview
// CHECK: linalg.copy ins(%[[SRC]] : memref<4x3xi8>) outs(%[[VIEW]] : memref<4x3xi8, strided<[6, 2]>>)
// CHECK-NOT: memref.copy
func.func @every_other_column(%src: memref<4x3xi8>, %dst: memref<4x6xi8>) {
  %view = memref.subview %dst[0, 0] [4, 3] [1, 2] : memref<4x6xi8> to memref<4x3xi8, strided<[6, 2]>>
  memref.copy %src, %view : memref<4x3xi8> to memref<4x3xi8, strided<[6, 2]>>
  return
}

// -----

// Contiguous copies stay: they become memcpy.
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
// CHECK-NOT: scf.for
func.func @contiguous(%src: memref<4x3xf32>, %dst: memref<4x3xf32>) {
  memref.copy %src, %dst : memref<4x3xf32> to memref<4x3xf32>
  return
}

// -----

// A strided view that is contiguous all the same (a slice of whole rows)
// stays too.
// CHECK-LABEL: func.func @contiguous_view
// CHECK: memref.copy
// CHECK-NOT: scf.for
func.func @contiguous_view(%src: memref<2x3xf32>, %dst: memref<4x3xf32>) {
  %view = memref.subview %dst[1, 0] [2, 3] [1, 1] : memref<4x3xf32> to memref<2x3xf32, strided<[3, 1], offset: 3>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[3, 1], offset: 3>>
  return
}
