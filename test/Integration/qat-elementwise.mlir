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


// Any function of one quantized value made of elementwise ops and scalar
// constants becomes one tosa.table: HardSwish as the importer writes it
// (x * clamp(x / 6 + 1/2, 0, 1)), SiLU (x * sigmoid(x)), exp.
// CHECK: hardswish result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @hardswish(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %shift = arith.constant dense<0> : tensor<1xi8>
  %sixth = arith.constant dense<0.166666672> : tensor<1x1x1xf32>
  %half = arith.constant dense<0.5> : tensor<1x1x1xf32>
  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.0473:70> : tensor<2x3x8xf32>
  %m = tosa.mul %aq, %sixth, %shift : (tensor<2x3x8xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %p = tosa.add %m, %half : (tensor<2x3x8xf32>, tensor<1x1x1xf32>) -> tensor<2x3x8xf32>
  %c = tosa.clamp %p {min_val = 0.0 : f32, max_val = 1.0 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %y = tosa.mul %aq, %c, %shift : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0381:9> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: silu result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @silu(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %shift = arith.constant dense<0> : tensor<1xi8>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.0521:-7> : tensor<2x3x8xf32>
  %s = tosa.sigmoid %aq : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %y = tosa.mul %aq, %s, %shift : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0293:12> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// CHECK: exp result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @exp(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.0213:3> : tensor<2x3x8xf32>
  %y = tosa.exp %aq : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0417> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}

// A per-channel affine map (a standalone BatchNorm: two muls and an add,
// one gamma negative) and a ReLU: one i32 multiply-add and a per-channel
// rescale.
// CHECK: channel_affine result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @channel_affine(%a: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> attributes {quantsim.test_compare} {
  %shift = arith.constant dense<0> : tensor<1xi8>
  %g = arith.constant dense<[[[1.5, -0.75, 0.25, 2.0, 0.5, -1.25, 1.0, 0.125]]]> : tensor<1x1x8xf32>
  %r = arith.constant dense<[[[0.9, 1.1, 0.8, 1.2, 1.0, 0.7, 1.3, 0.95]]]> : tensor<1x1x8xf32>
  %b = arith.constant dense<[[[0.1, -0.2, 0.3, -0.4, 0.05, 0.6, -0.7, 0.0]]]> : tensor<1x1x8xf32>
  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.0371:117> : tensor<2x3x8xf32>
  %m1 = tosa.mul %aq, %g, %shift : (tensor<2x3x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %m2 = tosa.mul %m1, %r, %shift : (tensor<2x3x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
  %y = tosa.add %m2, %b : (tensor<2x3x8xf32>, tensor<1x1x8xf32>) -> tensor<2x3x8xf32>
  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %yq = quantsim.fake_quant %c, !quant.uniform<u8:f32, 0.0247> : tensor<2x3x8xf32>
  return %yq : tensor<2x3x8xf32>
}
