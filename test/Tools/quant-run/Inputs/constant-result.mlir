// An entry whose result is a constant, not computed from its input.
func.func @f(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %c = "tosa.const"() <{values = dense<0.5> : tensor<1x10xf32>}> : () -> tensor<1x10xf32>
  return %c : tensor<1x10xf32>
}
