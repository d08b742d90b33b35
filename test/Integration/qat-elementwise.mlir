// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Elementwise islands against their fake-quant originals: add and mul of two
// quantized tensors with different scales and zero points, a standalone
// clamp with requantization, and sigmoid / tanh through tosa.table.
// Scales are awkward, as calibrated ones are. Where a requantized value
// lands within an ulp of a .5 tie, the f32 fake-quant graph and TOSA's
// fixed-point rescale (ties half up) may round apart: one step at most.

// CHECK: add result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @add(%a: tensor<2x3x8xf32>, %b: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.0213:128> : tensor<2x3x8xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<i8:f32, 0.0347:-4> : tensor<2x3x8xf32>
  %y = tosa.add %aq, %bq : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0291> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: mul result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @mul(%a: tensor<2x3x8xf32>, %b: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %shift = arith.constant dense<0> : tensor<1xi8>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.02:10> : tensor<2x3x8xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<u8:f32, 0.01:50> : tensor<2x3x8xf32>
  %y = tosa.mul %aq, %bq, %shift : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.004:-3> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: clamp_requant result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @clamp_requant(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.0497:0> : tensor<2x3x8xf32>
  %y = tosa.clamp %aq {min_val = -1.0 : f32, max_val = 2.5 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:50> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: sigmoid result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @sigmoid(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.06:0> : tensor<2x3x8xf32>
  %y = tosa.sigmoid %aq : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.00390625> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: tanh result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @tanh(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.03:128> : tensor<2x3x8xf32>
  %y = tosa.tanh %aq : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.0078125> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

