func.func @f(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %c = "tosa.const"() <{values = dense<0.5> : tensor<1x10xf32>}> : () -> tensor<1x10xf32>
  %y = tosa.add %x, %c : (tensor<1x10xf32>, tensor<1x10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}
