// The integer graph of test/Integration/qat-elementwise.mlir @add (after
// --quantsim-qat-to-int), on 4x16x64 tensors: big enough for LLVM to
// vectorize the elementwise loops.
module {
  func.func @add(%arg0: tensor<4x16x64xf32>, %arg1: tensor<4x16x64xf32>) -> tensor<4x16x64xf32> {
    %0 = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %1 = "tosa.const"() <{values = dense<49> : tensor<1xi8>}> : () -> tensor<1xi8>
    %2 = "tosa.const"() <{values = dense<1280372553> : tensor<1xi32>}> : () -> tensor<1xi32>
    %3 = "tosa.const"() <{values = dense<-4> : tensor<1xi8>}> : () -> tensor<1xi8>
    %4 = "tosa.const"() <{values = dense<11> : tensor<1xi8>}> : () -> tensor<1xi8>
    %5 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %6 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %7 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %8 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
    %9 = "tosa.const"() <{values = dense<1318196014> : tensor<1xi32>}> : () -> tensor<1xi32>
    %10 = quantsim.quantize %arg0, !quant.uniform<i8:f32, 2.130000e-02> : tensor<4x16x64xf32> -> tensor<4x16x64xi8>
    %11 = quantsim.quantize %arg1, !quant.uniform<i8:f32, 3.470000e-02:-4> : tensor<4x16x64xf32> -> tensor<4x16x64xi8>
    %12 = tosa.rescale %10, %9, %8, %7, %6 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4x16x64xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<4x16x64xi32>
    %13 = tosa.rescale %11, %5, %4, %3, %6 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4x16x64xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<4x16x64xi32>
    %14 = tosa.add %12, %13 : (tensor<4x16x64xi32>, tensor<4x16x64xi32>) -> tensor<4x16x64xi32>
    %15 = tosa.rescale %14, %2, %1, %6, %0 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4x16x64xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x16x64xi8>
    %16 = quantsim.dequantize %15, !quant.uniform<i8:f32, 2.910000e-02:-128> : tensor<4x16x64xi8> -> tensor<4x16x64xf32>
    return %16 : tensor<4x16x64xf32>
  }
}
