// RUN: quant-opt %s --split-input-file --verify-diagnostics --quantsim-plan-arena | FileCheck %s

// Two temporaries, the first freed before the second is allocated: both at
// offset 0 of one 256-byte arena, freed after the last of them.
// CHECK-LABEL: func.func @sequential
// CHECK-NEXT: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[A:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<256xi8> to memref<64xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[A]] : memref<64xf32>)
// CHECK-NEXT: memref.copy %[[A]], %{{.*}}
// CHECK-NEXT: %[[C0B:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[B:.*]] = memref.view %[[ARENA]][%[[C0B]]][] : memref<256xi8> to memref<16xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[B]] : memref<16xf32>)
// CHECK-NEXT: memref.copy %[[B]], %{{.*}}
// CHECK-NEXT: memref.dealloc %[[ARENA]] : memref<256xi8>
// CHECK-NEXT: return
func.func @sequential(%x: f32, %out: memref<64xf32>, %out2: memref<16xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
  memref.copy %a, %out : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<64xf32>
  %b = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%b : memref<16xf32>)
  memref.copy %b, %out2 : memref<16xf32> to memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return
}

// -----

// A chain a -> b -> c -> d, each read by the next and freed after it. The
// largest, b (400 bytes), goes first at 0; a (100 bytes) is live with b, so
// at 448 (400 rounded up to 64); c (200) is live with b and d, at 448 too,
// once a is freed; d (40) is live with c only, at 0, which b has left.
// CHECK-LABEL: func.func @chain
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<648xi8>
// CHECK: %[[OA:.*]] = arith.constant 448 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[OA]]][] : memref<648xi8> to memref<25xf32>
// CHECK: %[[OB:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[OB]]][] : memref<648xi8> to memref<100xf32>
// CHECK: %[[OC:.*]] = arith.constant 448 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[OC]]][] : memref<648xi8> to memref<50xf32>
// CHECK: %[[OD:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %{{.*}}[%[[OD]]][] : memref<648xi8> to memref<10xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc %{{.*}} : memref<{{[0-9]+}}xf32>
// CHECK: memref.dealloc %{{.*}} : memref<648xi8>
// CHECK-NEXT: return
func.func @chain(%x: f32, %out: memref<10xf32>) {
  %a = memref.alloc() : memref<25xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<25xf32>)
  %b = memref.alloc() : memref<100xf32>
  %sa = memref.subview %b[0] [25] [1] : memref<100xf32> to memref<25xf32, strided<[1]>>
  memref.copy %a, %sa : memref<25xf32> to memref<25xf32, strided<[1]>>
  memref.dealloc %a : memref<25xf32>
  %c = memref.alloc() : memref<50xf32>
  %sb = memref.subview %b[0] [50] [1] : memref<100xf32> to memref<50xf32, strided<[1]>>
  memref.copy %sb, %c : memref<50xf32, strided<[1]>> to memref<50xf32>
  memref.dealloc %b : memref<100xf32>
  %d = memref.alloc() : memref<10xf32>
  %sc = memref.subview %c[0] [10] [1] : memref<50xf32> to memref<10xf32, strided<[1]>>
  memref.copy %sc, %d : memref<10xf32, strided<[1]>> to memref<10xf32>
  memref.dealloc %c : memref<50xf32>
  memref.copy %d, %out : memref<10xf32> to memref<10xf32>
  memref.dealloc %d : memref<10xf32>
  return
}

// -----

// Left as they are: a buffer that is returned, one with a dynamic size, one
// of index elements, one freed in a nested block, and one whose own
// alignment (128) the arena keeps for it.
// CHECK-LABEL: func.func @left_alone
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 128 : i64} : memref<132xi8>
// CHECK-DAG: memref.alloc() : memref<4xf32>
// CHECK-DAG: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK-DAG: memref.alloc() : memref<4xindex>
// CHECK-DAG: memref.alloc() : memref<8xf32>
// CHECK-DAG: memref.view %[[ARENA]][%{{.*}}][] : memref<132xi8> to memref<4xi8>
// CHECK-DAG: memref.view %[[ARENA]][%{{.*}}][] : memref<132xi8> to memref<2xi64>
// CHECK: memref.dealloc %[[ARENA]]
func.func @left_alone(%n: index, %flag: i1) -> memref<4xf32> {
  %r = memref.alloc() : memref<4xf32>
  %dyn = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %dyn : memref<?xf32>
  %idx = memref.alloc() : memref<4xindex>
  memref.dealloc %idx : memref<4xindex>
  %nested = memref.alloc() : memref<8xf32>
  scf.if %flag {
    memref.dealloc %nested : memref<8xf32>
  }
  %p = memref.alloc() {alignment = 128 : i64} : memref<4xi8>
  %q = memref.alloc() : memref<2xi64>
  memref.dealloc %p : memref<4xi8>
  memref.dealloc %q : memref<2xi64>
  return %r : memref<4xf32>
}

// -----

// A temporary of a loop's body counts as live while the loop runs: every
// iteration reuses its bytes, which no temporary live across the loop
// shares (%t, freed after it, is at 0; %l at 256).
// CHECK-LABEL: func.func @loop
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<320xi8>
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<320xi8> to memref<64xf32>
// CHECK: scf.for
// CHECK-NEXT: %[[OFF:.*]] = arith.constant 256 : index
// CHECK-NEXT: %[[L:.*]] = memref.view %[[ARENA]][%[[OFF]]][] : memref<320xi8> to memref<16xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[L]] : memref<16xf32>)
// CHECK-NEXT: memref.copy %[[L]], %{{.*}}
// CHECK-NEXT: }
// CHECK-NOT: memref.dealloc %{{.*}} : memref<{{[0-9]+}}xf32>
// CHECK: memref.dealloc %[[ARENA]] : memref<320xi8>
func.func @loop(%x: f32, %out: memref<16xf32>, %out2: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%t : memref<64xf32>)
  scf.for %i = %c0 to %c4 step %c1 {
    %l = memref.alloc() : memref<16xf32>
    linalg.fill ins(%x : f32) outs(%l : memref<16xf32>)
    memref.copy %l, %out : memref<16xf32> to memref<16xf32>
    memref.dealloc %l : memref<16xf32>
  }
  memref.copy %t, %out2 : memref<64xf32> to memref<64xf32>
  memref.dealloc %t : memref<64xf32>
  return
}
