// A float matmul with a constant filter, for vector-code.test.
func.func @fmm(%a: tensor<1x8x64xf32>) -> tensor<1x8x48xf32> {
  %b = arith.constant dense<0.5> : tensor<1x64x48xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.matmul %a, %b, %zp, %zp : (tensor<1x8x64xf32>, tensor<1x64x48xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x48xf32>
  return %c : tensor<1x8x48xf32>
}
