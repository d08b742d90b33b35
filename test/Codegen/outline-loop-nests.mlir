// RUN: quant-opt %s --split-input-file --quantsim-outline-loop-nests | FileCheck %s
// RUN: quant-opt %s --split-input-file --quantsim-outline-loop-nests=min-nests=3 | FileCheck %s --check-prefix=MIN3

// Each top-level loop becomes a private, noinline, internal function named
// after its caller, its index and its layer. Buffers become arguments;
// constants and globals are cloned in; allocations stay in the caller.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>)
// CHECK-NEXT: %[[T:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT: call @main_nest0_layer1_Relu(%[[A]], %[[T]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: call @main_nest1(%[[T]], %[[B]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: memref.dealloc %[[T]]
// CHECK-NEXT: return
// CHECK: func.func private @main_nest0_layer1_Relu(
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: arith.maximumf
// CHECK: func.func private @main_nest1(%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>)
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK-DAG: memref.get_global @bias
// CHECK-DAG: arith.constant 4 : index
// CHECK: scf.for
// CHECK: memref.store {{.*}}, %[[Y]]
// CHECK: return

// MIN3: func.func @main
// MIN3: scf.for
// MIN3: scf.for
// MIN3-NOT: call
memref.global "private" constant @bias : memref<4xf32> = dense<1.0>
func.func @main(%a: memref<4xf32>, %b: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %bias = memref.get_global @bias : memref<4xf32>
  %t = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %a[%i] : memref<4xf32>
    %y = arith.maximumf %x, %zero : f32
    memref.store %y, %t[%i] : memref<4xf32>
  } loc("/layer1/Relu")
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %t[%i] : memref<4xf32>
    %c = memref.load %bias[%i] : memref<4xf32>
    %y = arith.addf %x, %c : f32
    memref.store %y, %b[%i] : memref<4xf32>
  }
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

// A loop with results: they become the function's.
// CHECK-LABEL: func.func @sum
// CHECK: %[[S:.*]] = call @sum_nest0(%{{.*}}) : (memref<8xf32>) -> f32
// CHECK: %[[P:.*]] = call @sum_nest1(%{{.*}}) : (memref<8xf32>) -> f32
// CHECK: arith.addf %[[S]], %[[P]]
// CHECK: func.func private @sum_nest0(%{{.*}}: memref<8xf32>) -> f32
// CHECK: %[[R:.*]] = scf.for
// CHECK: arith.addf
// CHECK: return %[[R]] : f32
// CHECK: func.func private @sum_nest1(%{{.*}}: memref<8xf32>) -> f32
func.func @sum(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c1 = arith.constant 1 : index
  %init = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> f32 {
    %x = memref.load %a[%i] : memref<8xf32>
    %n = arith.addf %acc, %x : f32
    scf.yield %n : f32
  }
  %p = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> f32 {
    %x = memref.load %a[%i] : memref<8xf32>
    %n = arith.maximumf %acc, %x : f32
    scf.yield %n : f32
  }
  %r = arith.addf %s, %p : f32
  return %r : f32
}

// -----

// One nest: nothing to gain, left alone.
// CHECK-LABEL: func.func @single
// CHECK: scf.for
// CHECK-NOT: call
func.func @single(%a: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %a[%i] : memref<4xf32>
  }
  return
}
