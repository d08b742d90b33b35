// RUN: quant-opt %s --split-input-file --quantsim-plan-arena="workspace-argument=true" | FileCheck %s

// A public function takes its arena as a trailing argument, even for one
// temporary, frees nothing, and says how large and aligned it must be.
// CHECK-LABEL: func.func @one(
// CHECK-SAME: %{{.*}}: f32, %[[OUT:.*]]: memref<16xf32>, %[[WS:.*]]: memref<64xi8>)
// CHECK-SAME: attributes {quantsim.workspace_alignment = 64 : i64, quantsim.workspace_bytes = 64 : i64}
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<64xi8> to memref<16xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[A]] : memref<16xf32>)
// CHECK-NEXT: memref.copy %[[A]], %[[OUT]]
// CHECK-NEXT: return
func.func @one(%x: f32, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  return
}

// -----

// A private function allocates its own (one temporary: no arena), and a
// public one without temporaries is left as it is.
// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: %{{.*}}: f32, %{{.*}}: memref<16xf32>) {
// CHECK-NEXT: memref.alloc() : memref<16xf32>
// CHECK-LABEL: func.func @none(
// CHECK-SAME: %{{.*}}: memref<16xf32>) {
// CHECK-NEXT: return
func.func private @helper(%x: f32, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  return
}
func.func @none(%out: memref<16xf32>) {
  return
}
