// RUN: quant-opt %s --split-input-file --quantsim-parallelize-loops | FileCheck %s

// A kernel's batch loop with its row loop as its whole body: one
// two-dimensional scf.parallel, the row loop's constant bounds hoisted.
// CHECK-LABEL: func.func @batch_and_rows
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: scf.parallel (%[[N:.*]], %[[H:.*]]) = (%[[C0]], %{{.*}}) to (%[[C2]], %[[C3]]) step (%[[C1]], %{{.*}}) {
// CHECK: scf.for %[[W:.*]] =
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[N]], %[[H]], %[[W]]]
// CHECK-NOT: scf.parallel
// CHECK-NOT: quantsim.parallel
func.func @batch_and_rows(%in: memref<2x3x4xf32>, %out: memref<2x3x4xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %n = %c0 to %c2 step %c1 {
    %z = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %one = arith.constant 1 : index
    scf.for %h = %z to %c3 step %one {
      %c4 = arith.constant 4 : index
      scf.for %w = %z to %c4 step %one {
        %x = memref.load %in[%n, %h, %w] : memref<2x3x4xf32>
        memref.store %x, %out[%n, %h, %w] : memref<2x3x4xf32>
      }
    } {quantsim.parallel = 2000000 : i64}
  } {quantsim.parallel = 2000000 : i64}
  return
}

// -----

// A marked loop whose body does more than the row loop: one dimension.
// CHECK-LABEL: func.func @batch_only
// CHECK: scf.parallel (%{{.*}}) =
// CHECK: memref.store
// CHECK: scf.for
func.func @batch_only(%in: memref<2x3xf32>, %out: memref<2x3xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %n = %c0 to %c2 step %c1 {
    memref.store %zero, %out[%n, %c0] : memref<2x3xf32>
    scf.for %h = %c1 to %c3 step %c1 {
      %x = memref.load %in[%n, %h] : memref<2x3xf32>
      memref.store %x, %out[%n, %h] : memref<2x3xf32>
    } {quantsim.parallel = 2000000 : i64}
  } {quantsim.parallel = 2000000 : i64}
  return
}

// -----

// Unmarked loops, and marked loops still carrying values (not bufferized),
// stay serial.
// CHECK-LABEL: func.func @serial
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK: scf.for
func.func @serial(%in: memref<4xf32>, %out: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %in[%i] : memref<4xf32>
    memref.store %x, %out[%i] : memref<4xf32>
  }
  %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %in[%i] : memref<4xf32>
    %n = arith.addf %acc, %x : f32
    scf.yield %n : f32
  } {quantsim.parallel = 2000000 : i64}
  return %s : f32
}

// -----

// Too little work to pay for waking threads (the default min-work is
// 1 << 20 multiply-adds): serial, unless min-work says otherwise.
// RUN: quant-opt %s --split-input-file --quantsim-parallelize-loops=min-work=1000 | FileCheck %s --check-prefix=LOW
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.parallel
// LOW-LABEL: func.func @small
// LOW: scf.parallel
func.func @small(%in: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %in[%i] : memref<4xf32>
    memref.store %x, %out[%i] : memref<4xf32>
  } {quantsim.parallel = 4000 : i64}
  return
}

// -----

// A linalg op left for the generic path whose leading iterators are
// parallel (here an elementwise op over 2 x 1024 x 1024 elements): lowered
// to loops here, its first two as one scf.parallel, the rest serial.
// CHECK-LABEL: func.func @elementwise
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) =
// CHECK: scf.for %[[K:.*]] =
// CHECK: %[[A:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK: memref.load %{{.*}}[%[[A]], 
// CHECK-NOT: linalg.generic
#id3 = affine_map<(i, j, k) -> (i, j, k)>
func.func @elementwise(%in: memref<2x1024x1024xf32>, %out: memref<2x1024x1024xf32>) {
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<2x1024x1024xf32>) outs(%out : memref<2x1024x1024xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}

// -----

// Too small, or a reduction first: left to convert-linalg-to-loops.
// CHECK-LABEL: func.func @small_or_reduction
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: scf.parallel
#id2 = affine_map<(i, j) -> (i, j)>
#red = affine_map<(i, j) -> (j)>
func.func @small_or_reduction(%in: memref<4x4xf32>, %out: memref<4x4xf32>, %big: memref<2048x1024xf32>, %sum: memref<1024xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%in : memref<4x4xf32>) outs(%out : memref<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [#id2, #red], iterator_types = ["reduction", "parallel"]}
      ins(%big : memref<2048x1024xf32>) outs(%sum : memref<1024xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  }
  return
}
