// RUN: quant-opt %s --quantsim-qat-to-int | FileCheck %s

// ONNX's Flatten + Gemm: the bias add is followed by a reshape before the
// output fake_quant. Quantizing commutes with data movement, so the quantize
// moves above the reshape and the matmul island is found: the whole chain is
// integer and the reshapes run on int8.

// CHECK-LABEL: func.func @gemm_flatten
// CHECK: %[[Q:.*]] = quantsim.quantize %arg0, {{.*}} -> tensor<1x2x2x3xi8>
// CHECK-NEXT: %[[F:.*]] = tosa.reshape %[[Q]], {{.*}} -> tensor<1x1x12xi8>
// CHECK-NEXT: %[[M:.*]] = tosa.matmul %[[F]], {{.*}} -> tensor<1x1x4xi32>
// CHECK-NEXT: %[[A:.*]] = tosa.add %[[M]], {{.*}} -> tensor<1x1x4xi32>
// CHECK-NEXT: %[[R:.*]] = tosa.rescale %[[A]], {{.*}} -> tensor<1x1x4xi8>
// CHECK-NEXT: %[[O:.*]] = tosa.reshape %[[R]], {{.*}} -> tensor<1x4xi8>
// CHECK-NEXT: %[[D:.*]] = quantsim.dequantize %[[O]]
// CHECK-NEXT: return %[[D]]

func.func @gemm_flatten(%x: tensor<1x2x2x3xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<[[[0.5, -0.25, 0.125, 0.75], [0.25, 0.5, -0.5, 0.1], [-0.3, 0.2, 0.6, -0.7],
                              [0.5, 0.25, 0.125, -0.75], [-0.25, 0.5, 0.5, 0.1], [0.3, 0.2, -0.6, 0.7],
                              [0.4, -0.25, 0.125, 0.75], [0.25, -0.5, -0.5, 0.1], [-0.3, 0.2, 0.6, 0.7],
                              [0.5, 0.25, -0.125, -0.75], [0.25, 0.5, 0.5, -0.1], [0.3, -0.2, -0.6, 0.7]]]> : tensor<1x12x4xf32>
  %b = arith.constant dense<[[[0.1, -0.2, 0.3, 0.05]]]> : tensor<1x1x4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0213:120> : tensor<1x2x2x3xf32>
  %s1 = tosa.const_shape {values = dense<[1, 1, 12]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f = tosa.reshape %xq, %s1 : (tensor<1x2x2x3xf32>, !tosa.shape<3>) -> tensor<1x1x12xf32>
  %fq = quantsim.fake_quant %f, !quant.uniform<u8:f32, 0.0213:120> : tensor<1x1x12xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.0059, 0.0047, 0.0051, 0.0061}> : tensor<1x12x4xf32>
  %m = tosa.matmul %fq, %wq, %zp, %zp : (tensor<1x1x12xf32>, tensor<1x12x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %a = tosa.add %m, %b : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %s2 = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %a, %s2 : (tensor<1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
  %yq = quantsim.fake_quant %r, !quant.uniform<i8:f32, 0.0173:-4> : tensor<1x4xf32>
  return %yq : tensor<1x4xf32>
}
