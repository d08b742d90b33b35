// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-qat-to-int \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Flatten + Gemm as ONNX exports them (reshape between the bias add and the
// output fake_quant), lowered to integers and compared with the fake-quant
// original on seeded random inputs.

// CHECK: gemm_flatten result 0: max_steps {{[01]}} exact {{[34]}} of 4
func.func @gemm_flatten(%x: tensor<1x2x2x3xf32>) -> tensor<1x4xf32> attributes {quantsim.test_compare} {
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
