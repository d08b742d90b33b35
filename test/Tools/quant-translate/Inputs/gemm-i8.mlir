// u8 x s8 -> s32 GEMM (u8 as i8 with zero point -128), 64 x 256 x 784.
func.func @gemm(%a: tensor<1x64x784xi8>, %b: tensor<1x784x256xi8>) -> tensor<1x64x256xi32> {
  %azp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %bzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x64x784xi8>, tensor<1x784x256xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x64x256xi32>
  return %c : tensor<1x64x256xi32>
}
