// RUN: quant-opt %s --quantsim-loop-hints | FileCheck %s
// RUN: quant-opt %s --quantsim-loop-hints --convert-scf-to-cf | FileCheck %s --check-prefix=CF

// Scalar loops (which LLVM's loop vectorizer will vectorize) are marked not
// to be unrolled; a loop nest with explicit vector code keeps LLVM's
// defaults, its outer loops included.
// CHECK-DAG: #[[$NOUNROLL:.*]] = #llvm.loop_unroll<disable = true>
// CHECK-DAG: #[[$ANN:.*]] = #llvm.loop_annotation<unroll = #[[$NOUNROLL]]>
// CHECK-LABEL: func.func @scalar
// CHECK: scf.for
// CHECK: scf.for
// CHECK: } {loop_annotation = #[[$ANN]]}
// CHECK: } {loop_annotation = #[[$ANN]]}

// scf-to-cf carries the hint to the latch branch.
// CF-LABEL: func.func @scalar
// CF: cf.br ^{{.*}} {loop_annotation =
func.func @scalar(%a: memref<16x960xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c960 = arith.constant 960 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c16 step %c1 {
    scf.for %j = %c0 to %c960 step %c1 {
      %x = memref.load %a[%i, %j] : memref<16x960xf32>
      %y = arith.maximumf %x, %zero : f32
      memref.store %y, %a[%i, %j] : memref<16x960xf32>
    }
  }
  return
}

// A window's short loops stay free to be unrolled; the loop around them is
// marked.
// CHECK-LABEL: func.func @window
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: }
// CHECK-NEXT: }
// CHECK-NOT: loop_annotation
// CHECK-NEXT: } {loop_annotation = #[[$ANN]]}
func.func @window(%a: memref<64x3x3xf32>, %out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  scf.for %c = %c0 to %c64 step %c1 {
    scf.for %i = %c0 to %c3 step %c1 {
      scf.for %j = %c0 to %c3 step %c1 {
        %x = memref.load %a[%c, %i, %j] : memref<64x3x3xf32>
        %y = memref.load %out[%c] : memref<64xf32>
        %s = arith.addf %x, %y : f32
        memref.store %s, %out[%c] : memref<64xf32>
      }
    }
  }
  return
}

// CHECK-LABEL: func.func @vector
// CHECK-NOT: loop_annotation
// CHECK: return
func.func @vector(%a: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c16 = arith.constant 16 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c64 step %c16 {
      %x = vector.load %a[%i, %j] : memref<4x64xf32>, vector<16xf32>
      %y = arith.maximumf %x, %zero : vector<16xf32>
      vector.store %y, %a[%i, %j] : memref<4x64xf32>, vector<16xf32>
    }
  }
  return
}

// Row copies are never unrolled, however short the loops around them.
// CHECK-LABEL: func.func @rows
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.copy
// CHECK: } {loop_annotation = #[[$ANN]]}
// CHECK: } {loop_annotation = #[[$ANN]]}
func.func @rows(%a: memref<7x7x128xi8>, %b: memref<7x7x136xi8>) {
  %c0 = arith.constant 0 : index
  %c7 = arith.constant 7 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c7 step %c1 {
    scf.for %j = %c0 to %c7 step %c1 {
      %s = memref.subview %a[%i, %j, 0] [1, 1, 128] [1, 1, 1]
          : memref<7x7x128xi8> to memref<128xi8, strided<[1], offset: ?>>
      %d = memref.subview %b[%i, %j, 0] [1, 1, 128] [1, 1, 1]
          : memref<7x7x136xi8> to memref<128xi8, strided<[1], offset: ?>>
      memref.copy %s, %d : memref<128xi8, strided<[1], offset: ?>>
          to memref<128xi8, strided<[1], offset: ?>>
    }
  }
  return
}
