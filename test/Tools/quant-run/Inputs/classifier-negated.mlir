func.func @f(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %c = "tosa.const"() <{values = dense<0.0> : tensor<1x10xf32>}> : () -> tensor<1x10xf32>
  %y = tosa.sub %c, %x : (tensor<1x10xf32>, tensor<1x10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}
