// A temporary allocated in a loop's body, whose iterations are independent
// (each computes 16 outputs through a buffer of its own) and marked to run
// on threads. Serial, --quantsim-plan-arena places the temporary in the
// arena; with --parallel it stays one allocation per iteration. See
// temporaries.test.
func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %init = tensor.empty() : tensor<64xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %init) -> tensor<64xf32> {
    %o = arith.muli %i, %c16 : index
    %s = tensor.extract_slice %x[%o] [16] [1] : tensor<64xf32> to tensor<16xf32>
    %e = tensor.empty() : tensor<16xf32>
    %y = linalg.add ins(%s, %s : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
    %e2 = tensor.empty() : tensor<16xf32>
    %z = linalg.mul ins(%y, %s : tensor<16xf32>, tensor<16xf32>) outs(%e2 : tensor<16xf32>) -> tensor<16xf32>
    %n = tensor.insert_slice %z into %acc[%o] [16] [1] : tensor<16xf32> into tensor<64xf32>
    scf.yield %n : tensor<64xf32>
  } {quantsim.parallel = 128 : i64}
  return %r : tensor<64xf32>
}
