// RUN: quant-opt %s --quantsim-lower-dot=target-cpu=sapphirerapids | FileCheck %s
// RUN: quant-opt %s --quantsim-lower-dot=target-cpu=x86-64-v3 | FileCheck %s --check-prefix=AVX2

// With AVX-512 VNNI, a 16-lane dot step is vpdpbusd; without, the same sum
// in widened vector arithmetic.
// CHECK-LABEL: func.func @dot
// CHECK:         %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%arg0, %arg1, %arg2) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK:         return %[[R]]
// AVX2-LABEL: func.func @dot
// AVX2:         arith.extui %arg1 : vector<64xi8> to vector<64xi32>
// AVX2:         arith.extsi %arg2 : vector<64xi8> to vector<64xi32>
// AVX2-COUNT-4: vector.shuffle
// AVX2-NOT:     llvm.call_intrinsic
func.func @dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %r = quantsim.dot_u8s8 %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  return %r : vector<16xi32>
}

// A 16-lane f32 maximum of values known not to be NaN: vrangeps with
// immediate 5 (the larger, its sign from the comparison) where AVX-512 DQ
// is there. A maximum that may see NaN stays.
// CHECK-LABEL: func.func @maximum
// CHECK-DAG:     %[[IMM:.*]] = llvm.mlir.constant(5 : i32) : i32
// CHECK-DAG:     %[[ALL:.*]] = llvm.mlir.constant(-1 : i16) : i16
// CHECK-DAG:     %[[ROUND:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK:         %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.range.ps.512"(%arg0, %arg1, %[[IMM]], %arg0, %[[ALL]], %[[ROUND]])
// CHECK:         %[[M:.*]] = arith.maximumf %arg0, %arg1 : vector<16xf32>
// CHECK:         return %[[R]], %[[M]]
// AVX2-LABEL: func.func @maximum
// AVX2:         arith.maximumf %arg0, %arg1 fastmath<nnan> : vector<16xf32>
// AVX2:         arith.maximumf %arg0, %arg1 : vector<16xf32>
func.func @maximum(%a: vector<16xf32>, %b: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %r = arith.maximumf %a, %b fastmath<nnan> : vector<16xf32>
  %m = arith.maximumf %a, %b : vector<16xf32>
  return %r, %m : vector<16xf32>, vector<16xf32>
}
