// RUN: quant-opt %s --quantsim-plan-arena | FileCheck %s --check-prefix=SERIAL
// RUN: quant-opt %s --quantsim-plan-arena="parallel=true" | FileCheck %s --check-prefix=PARALLEL

// A loop marked to run its iterations on threads: serial, its temporary
// shares the arena like any other; with `parallel`, each iteration
// allocates its own (one arena slot would be written by several threads),
// and the arena holds the two others.
// SERIAL-LABEL: func.func @marked
// SERIAL: memref.alloc() {alignment = 64 : i64} : memref<576xi8>
// SERIAL-NOT: memref.alloc()
// PARALLEL-LABEL: func.func @marked
// PARALLEL: memref.alloc() {alignment = 64 : i64} : memref<512xi8>
// PARALLEL: scf.for
// PARALLEL-NEXT: %[[L:.*]] = memref.alloc() : memref<16xf32>
// PARALLEL: memref.dealloc %[[L]] : memref<16xf32>
// PARALLEL-NEXT: } {quantsim.parallel = 100 : i64}
func.func @marked(%x: f32, %out: memref<16xf32>, %out2: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%t : memref<64xf32>)
  %u = memref.alloc() : memref<64xf32>
  linalg.fill ins(%x : f32) outs(%u : memref<64xf32>)
  scf.for %i = %c0 to %c4 step %c1 {
    %l = memref.alloc() : memref<16xf32>
    linalg.fill ins(%x : f32) outs(%l : memref<16xf32>)
    memref.copy %l, %out : memref<16xf32> to memref<16xf32>
    memref.dealloc %l : memref<16xf32>
  } {quantsim.parallel = 100 : i64}
  memref.copy %t, %out2 : memref<64xf32> to memref<64xf32>
  memref.copy %u, %out2 : memref<64xf32> to memref<64xf32>
  memref.dealloc %t : memref<64xf32>
  memref.dealloc %u : memref<64xf32>
  return
}
