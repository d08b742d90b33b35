// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize | FileCheck %s

// A matmul with a single block of output channels (a CNN's small fully
// connected layer at batch 20) runs its row tiles in parallel: the two
// whole 7-row tiles in a loop marked with the work (20 x 32 x 16
// multiply-adds), then the last tile, which overlaps them, after it, so that
// no two threads write the same row.
// CHECK-LABEL: func.func @fc
// CHECK: scf.for %{{.*}} = %c0 to %c14 step %c7
// CHECK: } {quantsim.parallel = 10240 : i64}
// CHECK-NOT: quantsim.parallel
// CHECK: vector.transfer_write {{.*}}[%c0, %c0, %c19, %c0]
// CHECK: return
func.func @fc(%a: tensor<1x20x32xf32>) -> tensor<1x20x16xf32> {
  %b = "tosa.const"() <{values = dense<0.5> : tensor<1x32x16xf32>}> : () -> tensor<1x32x16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.matmul %a, %b, %zp, %zp : (tensor<1x20x32xf32>, tensor<1x32x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x20x16xf32>
  return %c : tensor<1x20x16xf32>
}
