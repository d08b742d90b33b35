// RUN: quant-opt %s --quantsim-approximate-math | FileCheck %s
// RUN: quant-opt %s --quantsim-cpu-codegen | FileCheck %s --check-prefix=CPU
// RUN: quant-opt %s --quantsim-cpu-codegen=exact-math=true | FileCheck %s --check-prefix=EXACT

// f32 exp, scalar or vector, becomes arithmetic: the input clamped, the
// power of two split off by floor, a polynomial in fma, the power of two put
// back through the exponent bits. Other types and functions are left alone.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: f32, %[[V:.*]]: vector<16xf32>, %[[D:.*]]: f64)
// CHECK: math.floor {{.*}} : f32
// CHECK: math.fma {{.*}} : f32
// CHECK: arith.shli {{.*}} : i32
// CHECK: %[[A:.*]] = arith.mulf {{.*}} : f32
// CHECK: math.floor {{.*}} : vector<16xf32>
// CHECK: arith.shli {{.*}} : vector<16xi32>
// CHECK: %[[B:.*]] = arith.mulf {{.*}} : vector<16xf32>
// CHECK: %[[C:.*]] = math.exp %[[D]] : f64
// CHECK: %[[T:.*]] = math.tanh %[[X]] : f32
// CHECK: return %[[A]], %[[B]], %[[C]], %[[T]]
func.func @f(%x: f32, %v: vector<16xf32>, %d: f64) -> (f32, vector<16xf32>, f64, f32) {
  %a = math.exp %x : f32
  %b = math.exp %v : vector<16xf32>
  %c = math.exp %d : f64
  %t = math.tanh %x : f32
  return %a, %b, %c, %t : f32, vector<16xf32>, f64, f32
}

// The CPU pipeline runs it on the loops of a sigmoid (no call left in the
// loop for LLVM's vectorizer to stop at); with exact-math it keeps LLVM's
// exp intrinsic (libm's expf) as the reference lowering does.
// CPU-LABEL: llvm.func @sigmoid
// CPU-NOT: llvm.intr.exp
// CPU: llvm.return
// EXACT-LABEL: llvm.func @sigmoid
// EXACT: llvm.intr.exp({{.*}}) : (f32) -> f32
func.func @sigmoid(%x: tensor<64xf32>) -> tensor<64xf32> {
  %y = tosa.sigmoid %x : (tensor<64xf32>) -> tensor<64xf32>
  return %y : tensor<64xf32>
}
