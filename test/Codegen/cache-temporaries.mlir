// RUN: quant-opt %s --split-input-file --finalize-memref-to-llvm=use-generic-functions=true --quantsim-cache-temporaries --verify-diagnostics | FileCheck %s

// The allocation functions get internal definitions over 256 cached blocks
// behind a lock, and a destructor frees the cached blocks at exit.
// CHECK-DAG:   llvm.mlir.global internal @_qo_temporaries_cache() {{.*}} : !llvm.array<256 x ptr>
// CHECK-DAG:   llvm.mlir.global internal @_qo_temporaries_cache_lock(0 : i32)
// CHECK-DAG:   llvm.mlir.global internal @_qo_temporaries_cache_used(0 : i64)
// CHECK-DAG:   llvm.mlir.global_dtors dtors = [@_qo_temporaries_cache_release], priorities = [65535 : i32]
// CHECK-DAG:   llvm.func internal @_mlir_memref_to_llvm_alloc(%{{.*}}: i64) -> !llvm.ptr
// CHECK-DAG:   llvm.func internal @_mlir_memref_to_llvm_free(%{{.*}}: !llvm.ptr)
// CHECK-DAG:   llvm.func internal @_qo_temporaries_cache_release()
// CHECK-DAG:   llvm.atomicrmw xchg {{.*}} acquire
// CHECK-DAG:   llvm.call @malloc
// CHECK-DAG:   llvm.call @free
func.func @f(%n: index) {
  %a = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %a : memref<?xf32>
  return
}

// -----

// Nothing allocated: nothing added.
// CHECK: // -----
// CHECK-NOT: _qo_temporaries_cache
func.func @g(%a: memref<4xf32>) {
  return
}

// -----

// Only returned buffers: allocations without a free. The cache still
// defines both functions (free is declared for it).
// CHECK: // -----
// CHECK: llvm.func internal @_mlir_memref_to_llvm_alloc
// CHECK: func.func @returned
// CHECK: llvm.func internal @_mlir_memref_to_llvm_free
func.func @returned() -> memref<4xf32> {
  %m = memref.alloc() : memref<4xf32>
  return %m : memref<4xf32>
}

// -----

// A definition of its own is not replaced.
// expected-error @below {{quantsim-cache-temporaries: expected declarations of _mlir_memref_to_llvm_alloc and _mlir_memref_to_llvm_free}}
module {
  llvm.func @_mlir_memref_to_llvm_alloc(%size: i64) -> !llvm.ptr {
    %0 = llvm.mlir.zero : !llvm.ptr
    llvm.return %0 : !llvm.ptr
  }
  llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
}
