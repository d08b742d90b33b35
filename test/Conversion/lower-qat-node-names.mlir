// RUN: not quant-opt %s --quantsim-lower-qat 2>&1 | FileCheck %s
// RUN: quant-opt %s --quantsim-lower-qat=allow-float-fallback 2>&1 | FileCheck %s --check-prefix=WARN

// An op imported from ONNX carries its node's name; a refusal names it.
// CHECK: error: 'tosa.reduce_max' op (node '/head/ReduceMax') has quantized inputs and a quantized result but no integer lowering (use allow-float-fallback to keep it float)
// WARN: warning: 'tosa.reduce_max' op (node '/head/ReduceMax') has quantized inputs and a quantized result but no integer lowering; it stays float
func.func @named(%x: tensor<4xf32>) -> tensor<1xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<4xf32>
  %y = tosa.reduce_max %xq {axis = 0 : i32} : (tensor<4xf32>) -> tensor<1xf32> loc("/head/ReduceMax"("model.onnx":0:0))
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1xf32>
  return %yq : tensor<1xf32>
}
