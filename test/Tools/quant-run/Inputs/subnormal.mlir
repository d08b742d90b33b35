// x * 2e-38: a normal number times one of magnitude below 0.588 is
// subnormal. See flush-denormals.test.
func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = "tosa.const"() <{values = dense<2.0e-38> : tensor<8xf32>}> : () -> tensor<8xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.mul %x, %c, %shift : (tensor<8xf32>, tensor<8xf32>, tensor<1xi8>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
