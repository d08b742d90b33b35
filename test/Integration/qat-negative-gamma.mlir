// RUN: quant-opt %s --quantsim-qat-to-int | FileCheck %s --check-prefix=IR
// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-qat-to-int \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Full-range s8 weights [-128, 127] (PyTorch's default) that use the level
// -128 in both channels, and a BatchNorm whose gamma is negative on channel
// 1: negating that channel's levels would turn -128 into 128.
// --quantsim-fold-affine-chains folds |m| into the weights and leaves the
// sign after the conv; the integer conv multiplies its i32 accumulator by
// it. Compared with the fake-quant graph on the harness's inputs: within
// one output step (a requantized value within an ulp of a tie may round
// apart).
// IR-LABEL: func.func @negative_gamma
// IR: tosa.conv2d {{.*}} -> tensor<1x4x4x2xi32>
// IR-NEXT: tosa.mul {{.*}} : (tensor<1x4x4x2xi32>, tensor<1x1x1x2xi32>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
// IR-NEXT: tosa.rescale
// IR-NOT: xf32>
// IR: quantsim.dequantize
// CHECK: negative_gamma result 0: max_steps {{[01]}} exact {{(3[0-2])}} of 32
func.func @negative_gamma(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x2xf32> attributes {quantsim.test_compare} {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[[-1.28, 0.5, 0.25]]], [[[0.75, -0.96, 0.1]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %inv = "tosa.const"() <{values = dense<[[[[0.8, -1.25]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %k = "tosa.const"() <{values = dense<[[[[1.25, -0.8]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %beta = "tosa.const"() <{values = dense<[[[[0.1, 0.3]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0213:128> : tensor<1x4x4x3xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32:0, {0.01, 0.0075}> : tensor<2x1x1x3xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %m2 = tosa.mul %y, %k, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  %a = tosa.add %m2, %beta : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0157> : tensor<1x4x4x2xf32>
  return %yq : tensor<1x4x4x2xf32>
}

// PyTorch's QAT export of conv+BN: the conv's weights pre-scaled by k, then
// a mul by 1/k and the BatchNorm's mul by k. Both are negative on channel 1:
// the signs cancel, no sign is left.
// IR-LABEL: func.func @qat_export
// IR: tosa.conv2d {{.*}} -> tensor<1x4x4x2xi32>
// IR-NEXT: tosa.rescale
// CHECK: qat_export result 0: max_steps {{[01]}} exact {{(3[0-2])}} of 32
func.func @qat_export(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x2xf32> attributes {quantsim.test_compare} {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[[-1.28, 0.5, 0.25]]], [[[0.75, -0.96, 0.1]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %inv = "tosa.const"() <{values = dense<[[[[0.8, -1.25]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %k = "tosa.const"() <{values = dense<[[[[1.25, -0.8]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %beta = "tosa.const"() <{values = dense<[[[[0.1, 0.3]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0213:128> : tensor<1x4x4x3xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32:0, {0.01, 0.0075}> : tensor<2x1x1x3xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %m1 = tosa.mul %y, %inv, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  %m2 = tosa.mul %m1, %k, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  %a = tosa.add %m2, %beta : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0157> : tensor<1x4x4x2xf32>
  return %yq : tensor<1x4x4x2xf32>
}
