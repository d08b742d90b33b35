// A temporary allocated in a loop's body (each iteration doubles the
// accumulator into it, then multiplies): --quantsim-plan-arena leaves it
// alone. See temporaries.test.
func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> tensor<64xf32> {
    %e = tensor.empty() : tensor<64xf32>
    %y = linalg.add ins(%acc, %acc : tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64xf32>) -> tensor<64xf32>
    %z = linalg.mul ins(%y, %acc : tensor<64xf32>, tensor<64xf32>) outs(%acc : tensor<64xf32>) -> tensor<64xf32>
    scf.yield %z : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}
