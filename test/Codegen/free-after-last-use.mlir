// RUN: quant-opt %s --split-input-file --quantsim-free-after-last-use | FileCheck %s

// The first buffer is read last through a view: freed after that copy,
// before the second is allocated.
// CHECK-LABEL: func.func @view
// CHECK: %[[A:.*]] = memref.alloc() : memref<64xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[A]] : memref<64xf32>)
// CHECK-NEXT: %[[V:.*]] = memref.subview %[[A]]
// CHECK-NEXT: memref.copy %[[V]], %{{.*}}
// CHECK-NEXT: memref.dealloc %[[A]] : memref<64xf32>
// CHECK-NEXT: %[[B:.*]] = memref.alloc() : memref<64xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[B]] : memref<64xf32>)
// CHECK-NEXT: memref.copy %[[B]], %{{.*}}
// CHECK-NEXT: memref.dealloc %[[B]] : memref<64xf32>
// CHECK-NEXT: return
func.func @view(%x: f32, %out: memref<32xf32>, %out2: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
  %v = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  memref.copy %v, %out : memref<32xf32, strided<[1]>> to memref<32xf32>
  %b = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%b : memref<64xf32>)
  memref.copy %b, %out2 : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  return
}

// -----

// Uses inside a loop count at the loop; a view made inside the loop and
// carried out of it is used through the loop's result, so the buffer is
// freed after the copy that reads that result.
// CHECK-LABEL: func.func @loop
// CHECK: %[[A:.*]] = memref.alloc() : memref<8x4xf32>
// CHECK: %[[R:.*]] = scf.for
// CHECK: memref.load %[[A]]
// CHECK: memref.subview %[[A]]
// CHECK: scf.yield
// CHECK: }
// CHECK-NEXT: %[[B:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT: memref.copy %[[R]], %[[B]]
// CHECK-NEXT: memref.dealloc %[[A]] : memref<8x4xf32>
// CHECK-NEXT: memref.copy %[[B]], %{{.*}}
// CHECK-NEXT: memref.dealloc %[[B]] : memref<4xf32>
// CHECK-NEXT: return
func.func @loop(%x: f32, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %a = memref.alloc() : memref<8x4xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<8x4xf32>)
  %first = memref.subview %a[0, 0] [1, 4] [1, 1] : memref<8x4xf32> to memref<4xf32, strided<[1]>>
  %init = memref.cast %first : memref<4xf32, strided<[1]>> to memref<4xf32, strided<[1], offset: ?>>
  %r = scf.for %i = %c1 to %c8 step %c1 iter_args(%row = %init) -> memref<4xf32, strided<[1], offset: ?>> {
    %e = memref.load %a[%i, %c0] : memref<8x4xf32>
    memref.store %e, %row[%c0] : memref<4xf32, strided<[1], offset: ?>>
    %next = memref.subview %a[%i, 0] [1, 4] [1, 1] : memref<8x4xf32> to memref<4xf32, strided<[1], offset: ?>>
    scf.yield %next : memref<4xf32, strided<[1], offset: ?>>
  }
  %b = memref.alloc() : memref<4xf32>
  memref.copy %r, %b : memref<4xf32, strided<[1], offset: ?>> to memref<4xf32>
  memref.copy %b, %out : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<8x4xf32>
  memref.dealloc %b : memref<4xf32>
  return
}

// -----

// A buffer allocated inside a loop body is freed inside it, after its last
// use there; a dealloc of a buffer allocated elsewhere (an argument) stays.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK-NEXT: %[[T:.*]] = memref.alloc() : memref<16xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[T]] : memref<16xf32>)
// CHECK-NEXT: memref.copy %[[T]], %{{.*}}
// CHECK-NEXT: memref.dealloc %[[T]] : memref<16xf32>
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: }
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: memref.dealloc %{{.*}} : memref<16xf32>
// CHECK-NEXT: return
func.func @nested(%x: f32, %out: memref<16xf32>, %arg: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %t = memref.alloc() : memref<16xf32>
    linalg.fill ins(%x : f32) outs(%t : memref<16xf32>)
    memref.copy %t, %out : memref<16xf32> to memref<16xf32>
    linalg.fill ins(%x : f32) outs(%out : memref<16xf32>)
    memref.dealloc %t : memref<16xf32>
  }
  linalg.fill ins(%x : f32) outs(%out : memref<16xf32>)
  memref.dealloc %arg : memref<16xf32>
  return
}
